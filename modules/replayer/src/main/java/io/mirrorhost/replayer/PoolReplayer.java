package io.mirrorhost.replayer;

import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.PeerConnection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replays one local pool from one peer: connects to the peer's cluster with the peer's attributes
 * and announces this site there ({@code mirror_peer_ping}), the way rbd-mirror's PoolReplayer and
 * RemotePoolPoller do. Failures become callouts with rbd-mirror's texts, and the planner restarts
 * a replayer that is not running on the next refresh.
 */
public final class PoolReplayer {
    static final String CONNECT_REMOTE_FAILED = "unable to connect to remote cluster";
    static final String REMOTE_POOL_FAILED = "unable to access remote pool";
    static final String LOCAL_UUID_FAILED = "unable to query local mirror uuid";

    private final PoolReplayerTarget target;
    private final ModuleContext context;
    private final List<Callout> callouts = new ArrayList<>();
    private Cluster remote;
    private String localMirrorUuid;
    private String remoteMirrorUuid;
    private boolean running;

    public PoolReplayer(PoolReplayerTarget target, ModuleContext context) {
        this.target = target;
        this.context = context;
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

    /** Re-reads the peer's pool and pings it again (rbd-mirror's RemotePoolPoller, each refresh). */
    public Future<Void> poll() {
        String pool = target.pool();
        return step(remote.mirrorUuidGet(pool)
                .compose(uuid -> {
                    remoteMirrorUuid = uuid;
                    return remote.mirrorPeerPing(pool, context.siteName(), localMirrorUuid);
                }), REMOTE_POOL_FAILED, Callout.Level.WARNING)
                .onSuccess(v -> callouts.removeIf(c -> c.text().equals(REMOTE_POOL_FAILED)))
                .mapEmpty();
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
        Cluster r = remote;
        remote = null;
        return r == null ? Future.succeededFuture() : r.close().otherwiseEmpty();
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
                .put("remote_mirror_uuid", remoteMirrorUuid)
                .put("callouts", calloutJson);
    }
}
