package io.mirrorhost.replayer;

import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.PeerConnection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays one local pool from one peer: connects to the peer's cluster with the peer's attributes
 * and announces this site there ({@code mirror_peer_ping}), the way rbd-mirror's PoolReplayer and
 * RemotePoolPoller do, then replays every mirrored namespace ({@link NamespaceReplayer}). Failures become callouts with rbd-mirror's texts, and the planner restarts
 * a replayer that is not running on the next refresh.
 */
public final class PoolReplayer {
    static final String CONNECT_REMOTE_FAILED = "unable to connect to remote cluster";
    static final String REMOTE_POOL_FAILED = "unable to access remote pool";
    static final String LOCAL_UUID_FAILED = "unable to query local mirror uuid";
    static final String NAMESPACE_FAILED = "unable to initialize default namespace replayer";

    private final PoolReplayerTarget target;
    private final ModuleContext context;
    private final ReplayerShared shared;
    private final Context vertxContext;
    private final List<Callout> callouts = new ArrayList<>();
    private final Map<String, NamespaceReplayer> namespaces = new LinkedHashMap<>();
    private String remotePeerUuid;
    private Cluster remote;
    private String localMirrorUuid;
    private String remoteMirrorUuid;
    private boolean running;

    public PoolReplayer(PoolReplayerTarget target, ModuleContext context, ReplayerShared shared) {
        this.target = target;
        this.context = context;
        this.shared = shared;
        this.vertxContext = context.vertx().getOrCreateContext();
        if (target.warning() != null) {
            callouts.add(Callout.warning(target.warning()));
        }
    }

    public PoolReplayerTarget target() {
        return target;
    }

    public boolean running() {
        return running;
    }

    /** Connects and announces this site; always completes, recording what failed as a callout. */
    public Future<Void> start() {
        String pool = target.pool();
        Cluster local = context.cluster();
        return step(local.mirrorUuidGet(pool), LOCAL_UUID_FAILED, Callout.Level.ERROR)
                .compose(uuid -> {
                    localMirrorUuid = uuid;
                    return step(local.mirrorPeerSiteGetAttributes(pool, target.peer().uuid())
                            .compose(this::connect), CONNECT_REMOTE_FAILED, Callout.Level.ERROR);
                })
                .compose(cluster -> {
                    remote = cluster;
                    return poll();
                })
                .onSuccess(v -> running = true)
                .otherwiseEmpty()
                .mapEmpty();
    }

    /**
     * Re-reads the peer's pool and pings it again (rbd-mirror's RemotePoolPoller, each refresh), then
     * brings the namespace replayers in line with the namespaces mirrored now.
     */
    public Future<Void> poll() {
        String pool = target.pool();
        return step(remote.mirrorUuidGet(pool)
                .compose(uuid -> {
                    remoteMirrorUuid = uuid;
                    return remote.mirrorPeerPing(pool, context.siteName(), localMirrorUuid);
                })
                .compose(v -> remote.mirrorPeerSiteList(pool))
                .map(this::findRemotePeerUuid), REMOTE_POOL_FAILED, Callout.Level.WARNING)
                .onSuccess(v -> callouts.removeIf(c -> c.text().equals(REMOTE_POOL_FAILED)))
                .compose(v -> step(reconcileNamespaces(), NAMESPACE_FAILED, Callout.Level.ERROR))
                .onSuccess(v -> callouts.removeIf(c -> c.text().equals(NAMESPACE_FAILED)))
                .mapEmpty();
    }

    /**
     * This site's peer uuid in the remote pool, the one remote primary snapshots list: the remote
     * peer whose mirror uuid is ours (set by our pings), else the one named after this site.
     */
    private Void findRemotePeerUuid(List<MirrorPeer> remotePeers) {
        remotePeerUuid = remotePeers.stream().filter(p -> p.mirrorUuid().equals(localMirrorUuid)).findFirst()
                .or(() -> remotePeers.stream().filter(p -> p.siteName().equals(context.siteName())).findFirst())
                .map(MirrorPeer::uuid).orElse(null);
        if (remotePeerUuid == null) {
            throw new IllegalStateException("failed to retrieve mirror peer uuid from remote pool");
        }
        return null;
    }

    private Future<Void> reconcileNamespaces() {
        Cluster local = context.cluster();
        String pool = target.pool();
        return local.listNamespaces(pool).compose(names -> {
            List<String> all = new ArrayList<>();
            all.add("");
            all.addAll(names);
            List<Future<Map.Entry<String, String>>> mirrored = new ArrayList<>();
            for (String ns : all) {
                PoolNamespace where = new PoolNamespace(pool, ns);
                mirrored.add(local.mirrorModeGet(where).compose(mode -> mode == MirrorMode.DISABLED
                        ? Future.succeededFuture(null)
                        : local.mirrorRemoteNamespaceGet(where).otherwise(ns)
                                .map(remoteNs -> Map.entry(ns, remoteNs == null || remoteNs.isEmpty() && !ns.isEmpty()
                                        ? ns : remoteNs))));
            }
            return Future.all(mirrored).map(all2 -> {
                Map<String, String> wanted = new LinkedHashMap<>();
                for (int i = 0; i < all2.size(); i++) {
                    Map.Entry<String, String> e = all2.resultAt(i);
                    if (e != null) {
                        wanted.put(e.getKey(), e.getValue());
                    }
                }
                return wanted;
            });
        }).compose(this::applyNamespaces);
    }

    private Future<Void> applyNamespaces(Map<String, String> wanted) {
        List<Future<Void>> work = new ArrayList<>();
        for (var it = namespaces.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            ReplaySettings s = e.getValue().settings();
            boolean same = wanted.containsKey(e.getKey())
                    && s.remoteNamespace().namespace().equals(wanted.get(e.getKey()))
                    && s.remoteMirrorUuid().equals(remoteMirrorUuid) && s.remotePeerUuid().equals(remotePeerUuid);
            if (!same) {
                work.add(e.getValue().stop());
                it.remove();
            } else {
                e.getValue().refresh();
                e.getValue().republish();
            }
        }
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!namespaces.containsKey(e.getKey())) {
                NamespaceReplayer ns = new NamespaceReplayer(settings(e.getKey(), e.getValue()), shared.assigned());
                namespaces.put(e.getKey(), ns);
                work.add(ns.start());
            }
        }
        return Future.join(work).mapEmpty();
    }

    private ReplaySettings settings(String localNs, String remoteNs) {
        return new ReplaySettings(vertxContext, context.clock(), context.logger(), context.cluster(), remote,
                new PoolNamespace(target.pool(), localNs), new PoolNamespace(target.pool(), remoteNs), localMirrorUuid,
                remoteMirrorUuid, remotePeerUuid, shared.syncs(), shared.bandwidth(),
                shared.objectsInFlight(), shared.maxSnapshots(), shared.defaultDataPool());
    }

    /** The image replayers, by namespace then global id (for status and tests). */
    Map<String, NamespaceReplayer> namespaces() {
        return namespaces;
    }

    private Future<Cluster> connect(Map<String, String> attributes) {
        PeerConnection peer = new PeerConnection(target.peer().siteName(), target.peer().clientName(),
                attributes.get("mon_host"), attributes.get("key"));
        return context.connectPeer(peer);
    }

    private <T> Future<T> step(Future<T> call, String calloutText, Callout.Level level) {
        return call.recover(failure -> {
            context.logger().warn("pool {}: {}: {}", target.pool(), calloutText, failure.getMessage());
            callouts.removeIf(c -> c.text().equals(calloutText));
            callouts.add(new Callout(level, calloutText));
            return Future.failedFuture(failure);
        });
    }

    public Future<Void> stop() {
        running = false;
        List<Future<Void>> stops = namespaces.values().stream().map(NamespaceReplayer::stop).toList();
        namespaces.clear();
        Cluster r = remote;
        remote = null;
        return Future.join(stops).transform(ar -> r == null ? Future.succeededFuture() : r.close().otherwiseEmpty());
    }

    private JsonObject namespaceStatus() {
        JsonObject json = new JsonObject();
        namespaces.forEach((ns, replayer) -> {
            JsonObject images = new JsonObject();
            replayer.images().forEach((id, image) -> {
                var st = image.status();
                images.put(id, st == null ? null : new JsonObject().put("state", st.state().label())
                        .put("description", st.description()));
            });
            json.put(ns, new JsonObject().put("images", images));
        });
        return json;
    }

    /** Status as rbd-mirror's service daemon reports a pool (callouts numbered from 0). */
    public JsonObject status() {
        JsonObject calloutJson = new JsonObject();
        for (int i = 0; i < callouts.size(); i++) {
            calloutJson.put(Integer.toString(i), new JsonObject()
                    .put("level", callouts.get(i).level().label())
                    .put("text", callouts.get(i).text()));
        }
        return new JsonObject()
                .put("name", target.pool())
                .put("peer", new JsonObject()
                        .put("uuid", target.peer().uuid())
                        .put("site_name", target.peer().siteName())
                        .put("client_name", target.peer().clientName()))
                .put("state", running ? "running" : "stopped")
                .put("local_mirror_uuid", localMirrorUuid)
                .put("namespaces", namespaceStatus())
                .put("remote_mirror_uuid", remoteMirrorUuid)
                .put("callouts", calloutJson);
    }
}
