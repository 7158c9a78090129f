package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorPeers;
import io.mirrorhost.api.cluster.MirrorSettings;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.testing.RoleFakes;
import io.mirrorhost.api.testing.UnmodelledClusterConnection;
import io.mirrorhost.api.testing.UnmodelledImages;
import io.mirrorhost.api.testing.UnmodelledMirrorImages;
import io.mirrorhost.api.testing.UnmodelledPools;
import io.mirrorhost.api.testing.UnmodelledServiceMap;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * An in-memory cluster modelling what the mirror commands rely on from librbd (16.2), rule by rule;
 * each rule names the librbd (or cls_rbd) code it follows, so that the same command tests hold against
 * a real backend. Failure messages are librbd's log lines without their timestamp and thread prefix.
 * Implements the roles of {@link Cluster} the commands use; {@link #asCluster} assembles them.
 */
final class FakeMirrorCluster implements UnmodelledClusterConnection, UnmodelledPools, UnmodelledImages, MirrorSettings,
        MirrorPeers, UnmodelledMirrorImages, UnmodelledServiceMap {
    static final String PEER_CLIENT_ID = "rbd-mirror-peer";

    final String fsid;
    final String clusterName;
    final String monHost;
    String siteName = "";
    final Map<String, Pool> pools = new LinkedHashMap<>();
    /** Peer attributes as librbd keeps them in the config-key store, by pool id and peer uuid. */
    final Map<String, Map<String, String>> configKeys = new TreeMap<>();
    /** Clusters reachable with a bootstrap token, by fsid. */
    final Map<String, FakeMirrorCluster> reachable = new HashMap<>();
    /** The manager's service map and the image-to-daemon-instance map, as tests arrange them. */
    final List<io.mirrorhost.api.cluster.ServiceDaemon> serviceDaemons = new ArrayList<>();
    final Map<String, String> imageInstanceIds = new TreeMap<>();
    private int sequence;
    private long nextPoolId = 1;

    FakeMirrorCluster(String fsid, String clusterName, String monHost) {
        this.fsid = fsid;
        this.clusterName = clusterName;
        this.monHost = monHost;
    }

    Cluster asCluster() {
        return RoleFakes.cluster(this);
    }

    // --- test set-up ---

    Pool addPool(String name) {
        Pool pool = new Pool(nextPoolId++, name);
        pools.put(name, pool);
        return pool;
    }

    FakeMirrorImage addImage(String pool, String namespace, String name, Set<ImageFeature> features) {
        Namespace ns = pools.get(pool).namespaces.get(namespace);
        FakeMirrorImage image = new FakeMirrorImage(this, new ImageSpec(new PoolNamespace(pool, namespace), name),
                String.format("%x", 0x1000 + nextSequence()), features);
        ns.images.put(name, image);
        return image;
    }

    String nextUuid() {
        return String.format("%08x-0000-4000-8000-%012x", nextSequence(), 0xabcL);
    }

    int nextSequence() {
        return ++sequence;
    }

    static final class Pool {
        final long id;
        final String name;
        final Map<String, Namespace> namespaces = new TreeMap<>();
        final List<MirrorPeer> peers = new ArrayList<>();

        Pool(long id, String name) {
            this.id = id;
            this.name = name;
            namespaces.put("", new Namespace());
        }

        Namespace namespace(String name) {
            return namespaces.get(name);
        }
    }

    static final class Namespace {
        MirrorMode mode = MirrorMode.DISABLED;
        String mirrorUuid = "";
        String remoteNamespace = "";
        final TreeMap<String, FakeMirrorImage> images = new TreeMap<>();
    }

    // --- Cluster ---

    @Override
    public String fsid() {
        return fsid;
    }

    @Override
    public String clientName() {
        return "client.admin";
    }

    @Override
    public Future<Void> createPool(String name) {
        return call(() -> {
            if (pools.containsKey(name)) {
                throw ClusterException.exists("");
            }
            addPool(name);
            return null;
        });
    }

    @Override
    public Future<Void> initPool(String name) {
        return call(() -> {
            pool(name);
            return null;
        });
    }

    @Override
    public Future<Void> createNamespace(PoolNamespace where) {
        return call(() -> {
            if (pool(where.pool()).namespaces.putIfAbsent(where.namespace(), new Namespace()) != null) {
                throw ClusterException.exists("");
            }
            return null;
        });
    }

    @Override
    public Future<Void> createImage(ImageSpec spec, io.mirrorhost.api.cluster.ImageOptions options) {
        return call(() -> {
            if (namespace(spec.poolNamespace()).images.containsKey(spec.name())) {
                throw ClusterException.exists("librbd: rbd image " + spec.name() + " already exists");
            }
            FakeMirrorImage image = addImage(spec.pool(), spec.namespace(), spec.name(), options.features());
            // librbd: a new image with journaling in a pool-mode pool is mirrored at once (journal mode)
            if (namespace(spec.poolNamespace()).mode == MirrorMode.POOL
                    && options.features().contains(ImageFeature.JOURNALING)) {
                image.enableMirroring(MirrorImageMode.JOURNAL);
            }
            return null;
        });
    }

    @Override
    public Future<List<PoolInfo>> listPools() {
        return call(() -> pools.values().stream().map(p -> new PoolInfo(p.id, p.name, true)).toList());
    }

    @Override
    public Future<List<String>> listNamespaces(String pool) {
        return call(() -> pool(pool).namespaces.keySet().stream().filter(n -> !n.isEmpty()).toList());
    }

    @Override
    public Future<List<ImageEntry>> listImages(PoolNamespace where) {
        return call(() -> namespace(where).images.values().stream()
                .map(i -> new ImageEntry(i.spec.name(), i.id)).toList());
    }

    @Override
    public Future<Image> openImage(ImageSpec spec) {
        return call(() -> {
            FakeMirrorImage image = namespace(spec.poolNamespace()).images.get(spec.name());
            if (image == null) {
                throw ClusterException.notFound("librbd::image::OpenRequest: failed to open image " + spec.name());
            }
            return image.asImage();
        });
    }

    @Override
    public Future<MirrorMode> mirrorModeGet(PoolNamespace where) {
        return call(() -> namespace(where).mode);
    }

    /** librbd {@code Mirror::mode_set}. */
    @Override
    public Future<Void> mirrorModeSet(PoolNamespace where, MirrorMode next) {
        return call(() -> {
            Namespace ns = namespace(where);
            // peers live in the pool's default namespace; a namespace has none of its own
            if (next == MirrorMode.DISABLED && where.namespace().isEmpty() && !pool(where.pool()).peers.isEmpty()) {
                throw new ClusterException(Errno.EBUSY, "librbd::api::Mirror: mode_set: mirror peers still registered");
            }
            MirrorMode current = ns.mode;
            if (current == next) {
                return null;
            }
            if (current == MirrorMode.DISABLED) {
                ns.mirrorUuid = nextUuid();
            }
            if (next == MirrorMode.POOL) {
                // journal-based mirroring is enabled on every image that has journaling
                for (FakeMirrorImage image : ns.images.values()) {
                    if (image.features.contains(ImageFeature.JOURNALING) && image.mirrorState == null) {
                        image.enableMirroring(MirrorImageMode.JOURNAL);
                    }
                }
            } else if (next == MirrorMode.DISABLED) {
                if (current == MirrorMode.IMAGE) {
                    if (ns.images.values().stream().anyMatch(i -> i.mirrorState == MirrorImageState.ENABLED)) {
                        throw ClusterException.invalid("librbd::api::Mirror: mode_set: failed to disable mirror mode: "
                                + "there are still images with mirroring enabled");
                    }
                } else {
                    ns.images.values().forEach(FakeMirrorImage::disableMirroring);
                }
            }
            ns.mode = next;
            return null;
        });
    }

    @Override
    public Future<String> mirrorRemoteNamespaceGet(PoolNamespace where) {
        return call(() -> namespace(where).remoteNamespace);
    }

    @Override
    public Future<Void> mirrorRemoteNamespaceSet(PoolNamespace where, String remoteNamespace) {
        return call(() -> {
            namespace(where).remoteNamespace = remoteNamespace;
            return null;
        });
    }

    @Override
    public Future<String> mirrorUuidGet(String pool) {
        return call(() -> namespace(PoolNamespace.of(pool)).mirrorUuid);
    }

    /** librbd {@code Mirror::site_name_get}: the fsid until a site name is set. */
    @Override
    public Future<String> mirrorSiteNameGet() {
        return call(() -> siteName.isEmpty() ? fsid : siteName);
    }

    @Override
    public Future<Void> mirrorSiteNameSet(String name) {
        return call(() -> {
            siteName = name.strip();
            return null;
        });
    }

    /** librbd {@code Mirror::peer_bootstrap_create}: base64 of the JSON rbd documents. */
    @Override
    public Future<String> mirrorPeerBootstrapCreate(String pool) {
        return call(() -> {
            if (namespace(PoolNamespace.of(pool)).mode == MirrorMode.DISABLED) {
                throw ClusterException.invalid("");
            }
            return token();
        });
    }

    String token() {
        String json = "{\"fsid\":\"" + fsid + "\",\"client_id\":\"" + PEER_CLIENT_ID + "\",\"key\":\"" + key()
                + "\",\"mon_host\":\"" + monHost + "\"}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    String key() {
        return "AQ" + fsid.substring(0, 8) + "peerkey==";
    }

    /** librbd {@code Mirror::peer_bootstrap_import}. */
    @Override
    public Future<Void> mirrorPeerBootstrapImport(String pool, MirrorPeerDirection direction, String token) {
        return call(() -> {
            pool(pool);
            if (direction == MirrorPeerDirection.TX_ONLY) {
                throw ClusterException.invalid("librbd::api::Mirror: peer_bootstrap_import: invalid mirror peer direction");
            }
            JsonObject json = decodeToken(token);
            String remoteFsid = json.getString("fsid");
            if (fsid.equals(remoteFsid)) {
                throw ClusterException.invalid(
                        "librbd::api::Mirror: peer_bootstrap_import: cannot import token for local cluster");
            }
            FakeMirrorCluster remote = reachable.get(remoteFsid);
            if (remote == null || !remote.monHost.equals(json.getString("mon_host"))) {
                throw new ClusterException(Errno.ETIMEDOUT, "librbd::api::Mirror: peer_bootstrap_import: "
                        + "failed to connect to peer cluster: " + Errno.ETIMEDOUT.describe());
            }
            String localSite = siteName.isEmpty() ? fsid : siteName;
            String remoteSite = remote.siteName.isEmpty() ? remote.fsid : remote.siteName;
            if (localSite.equals(remoteSite)) {
                throw ClusterException.invalid(
                        "librbd::api::Mirror: peer_bootstrap_import: cannot import token for duplicate site name");
            }
            Pool remotePool = remote.pools.get(pool);
            if (remotePool == null) {
                // librbd logs this one at debug level only
                throw ClusterException.notFound("");
            }
            MirrorMode remoteMode = remotePool.namespace("").mode;
            if (remoteMode == MirrorMode.DISABLED) {
                throw new ClusterException(Errno.ENOSYS, "");
            }
            if (namespace(PoolNamespace.of(pool)).mode == MirrorMode.DISABLED) {
                Future<Void> copied = mirrorModeSet(PoolNamespace.of(pool), remoteMode);
                if (copied.failed()) {
                    throw (ClusterException) copied.cause();
                }
            }
            if (direction == MirrorPeerDirection.RX_TX) {
                remote.bootstrapPeer(pool, MirrorPeerDirection.RX_TX, localSite, "client." + PEER_CLIENT_ID,
                        Map.of("mon_host", monHost, "key", key()));
            }
            bootstrapPeer(pool, direction, remoteSite, "client." + json.getString("client_id"),
                    Map.of("mon_host", json.getString("mon_host"), "key", json.getString("key")));
            return null;
        });
    }

    private static JsonObject decodeToken(String token) {
        byte[] decoded;
        try {
            // ceph's decode_base64 refuses anything but the alphabet; the token file's newline is trimmed
            decoded = Base64.getDecoder().decode(token.strip());
        } catch (IllegalArgumentException e) {
            throw ClusterException.invalid("librbd::api::Mirror: peer_bootstrap_import: failed to decode base64");
        }
        try {
            JsonObject json = new JsonObject(new String(decoded, StandardCharsets.UTF_8));
            for (String field : List.of("fsid", "client_id", "key", "mon_host")) {
                if (!(json.getValue(field) instanceof String)) {
                    throw new DecodeException(field);
                }
            }
            return json;
        } catch (DecodeException | ClassCastException e) {
            throw ClusterException.invalid(
                    "librbd::api::Mirror: peer_bootstrap_import: invalid bootstrap token JSON received");
        }
    }

    /** librbd {@code create_bootstrap_peer}: updates the peer of that site if there is one, else adds it. */
    private void bootstrapPeer(String pool, MirrorPeerDirection direction, String site, String client,
                               Map<String, String> attributes) {
        Pool p = pool(pool);
        String uuid = null;
        for (int i = 0; i < p.peers.size(); i++) {
            MirrorPeer peer = p.peers.get(i);
            if (peer.siteName().equals(site)) {
                uuid = peer.uuid();
                p.peers.set(i, new MirrorPeer(uuid, direction, site, peer.mirrorUuid(), client, peer.lastSeen()));
            }
        }
        if (uuid == null) {
            uuid = nextUuid();
            p.peers.add(new MirrorPeer(uuid, direction, site, "", client, null));
        }
        configKeys.put(p.id + "/" + uuid, new TreeMap<>(attributes));
    }

    /** librbd {@code Mirror::peer_site_add} and cls_rbd {@code mirror_peer_add}. */
    @Override
    public Future<String> mirrorPeerSiteAdd(String pool, String site, String client, MirrorPeerDirection direction) {
        return call(() -> {
            Pool p = pool(pool);
            if (clusterName.equals(site)) {
                throw ClusterException.invalid("librbd::api::Mirror: peer_site_add: cannot add self as remote peer");
            }
            if (direction == MirrorPeerDirection.TX_ONLY) {
                throw ClusterException.invalid("");
            }
            if (p.peers.stream().anyMatch(peer -> peer.siteName().equals(site))) {
                throw ClusterException.exists("librbd::api::Mirror: peer_site_add: failed to add mirror peer '"
                        + site + "': " + Errno.EEXIST.describe());
            }
            String uuid = nextUuid();
            p.peers.add(new MirrorPeer(uuid, direction, site, "", client, null));
            return uuid;
        });
    }

    /** librbd {@code Mirror::peer_site_remove}: a missing peer is not an error; its secrets go too. */
    @Override
    public Future<Void> mirrorPeerSiteRemove(String pool, String uuid) {
        return call(() -> {
            Pool p = pool(pool);
            configKeys.remove(p.id + "/" + uuid);
            p.peers.removeIf(peer -> peer.uuid().equals(uuid));
            return null;
        });
    }

    /** librbd {@code Mirror::peer_site_set_name|_client_name|_direction}: ENOENT for an unknown peer. */
    @Override
    public Future<Void> mirrorPeerSiteSetName(String pool, String uuid, String siteName) {
        return updatePeer(pool, uuid, p -> new MirrorPeer(p.uuid(), p.direction(), siteName, p.mirrorUuid(),
                p.clientName(), p.lastSeen()));
    }

    @Override
    public Future<Void> mirrorPeerSiteSetClientName(String pool, String uuid, String clientName) {
        return updatePeer(pool, uuid, p -> new MirrorPeer(p.uuid(), p.direction(), p.siteName(), p.mirrorUuid(),
                clientName, p.lastSeen()));
    }

    @Override
    public Future<Void> mirrorPeerSiteSetDirection(String pool, String uuid, MirrorPeerDirection direction) {
        return updatePeer(pool, uuid, p -> new MirrorPeer(p.uuid(), direction, p.siteName(), p.mirrorUuid(),
                p.clientName(), p.lastSeen()));
    }

    private Future<Void> updatePeer(String pool, String uuid, java.util.function.UnaryOperator<MirrorPeer> change) {
        return call(() -> {
            List<MirrorPeer> peers = pool(pool).peers;
            for (int i = 0; i < peers.size(); i++) {
                if (peers.get(i).uuid().equals(uuid)) {
                    peers.set(i, change.apply(peers.get(i)));
                    return null;
                }
            }
            throw ClusterException.notFound("");
        });
    }

    @Override
    public Future<List<MirrorPeer>> mirrorPeerSiteList(String pool) {
        return call(() -> List.copyOf(pool(pool).peers));
    }

    /** librbd {@code Mirror::peer_site_get_attributes}: ENOENT when none are stored. */
    @Override
    public Future<Map<String, String>> mirrorPeerSiteGetAttributes(String pool, String uuid) {
        return call(() -> {
            Map<String, String> attributes = configKeys.get(pool(pool).id + "/" + uuid);
            if (attributes == null) {
                throw ClusterException.notFound("");
            }
            return Map.copyOf(attributes);
        });
    }

    /** librbd {@code Mirror::peer_site_set_attributes}: the peer must exist; the map replaces the stored one. */
    @Override
    public Future<Void> mirrorPeerSiteSetAttributes(String pool, String uuid, Map<String, String> attributes) {
        return call(() -> {
            Pool p = pool(pool);
            if (p.peers.stream().noneMatch(peer -> peer.uuid().equals(uuid))) {
                throw ClusterException.notFound("");
            }
            configKeys.put(p.id + "/" + uuid, new TreeMap<>(attributes));
            return null;
        });
    }

    /**
     * cls_rbd {@code mirror_peer_ping}: a peer's daemon announces its site name and mirror uuid; the peer of
     * that site learns the mirror uuid, an unknown site becomes a tx-only peer.
     */
    @Override
    public Future<Void> mirrorPeerPing(String pool, String site, String mirrorUuid) {
        return call(() -> {
            Pool p = pool(pool);
            for (int i = 0; i < p.peers.size(); i++) {
                MirrorPeer peer = p.peers.get(i);
                if (peer.siteName().equals(site)) {
                    p.peers.set(i, new MirrorPeer(peer.uuid(), peer.direction(), site, mirrorUuid, peer.clientName(),
                            java.time.Instant.EPOCH));
                    return null;
                }
            }
            p.peers.add(new MirrorPeer(nextUuid(), MirrorPeerDirection.TX_ONLY, site, mirrorUuid, "",
                    java.time.Instant.EPOCH));
            return null;
        });
    }

    @Override
    public Future<Map<String, io.mirrorhost.api.cluster.MirrorImageInfo>> mirrorImageInfoList(PoolNamespace where) {
        return call(() -> {
            Map<String, io.mirrorhost.api.cluster.MirrorImageInfo> infos = new TreeMap<>();
            namespace(where).images.values().stream().filter(i -> i.mirrorState != null)
                    .forEach(i -> infos.put(i.id, i.mirrorInfoNow()));
            return infos;
        });
    }

    @Override
    public Future<List<io.mirrorhost.api.cluster.ServiceDaemon>> serviceDaemonList(String service) {
        return call(() -> service.equals("rbd-mirror") ? List.copyOf(serviceDaemons) : List.of());
    }

    @Override
    public Future<Map<String, String>> mirrorImageInstanceIdList(PoolNamespace where) {
        return call(() -> {
            namespace(where);
            return Map.copyOf(imageInstanceIds);
        });
    }

    @Override
    public Future<List<MirrorImageGlobalStatus>> mirrorImageGlobalStatusList(PoolNamespace where) {
        return call(() -> namespace(where).images.values().stream().filter(i -> i.mirrorState != null)
                .map(FakeMirrorImage::globalStatusNow).toList());
    }

    /**
     * cls_rbd {@code mirror_image_status_get_summary}, as 16.2 was observed to count (it/reference, section c):
     * each mirrored image once, by its up statuses from this site and from the pool's receiving peers with a
     * known mirror uuid; a {@code stopped} (primary) status gives way to a peer's other state; no up status
     * at all counts as unknown.
     */
    @Override
    public Future<Map<MirrorImageStatusState, Integer>> mirrorImageStatusSummary(PoolNamespace where) {
        return call(() -> {
            List<String> sites = new ArrayList<>(List.of(""));
            if (where.namespace().isEmpty()) {
                pool(where.pool()).peers.stream()
                        .filter(p -> !p.mirrorUuid().isEmpty() && p.direction() != MirrorPeerDirection.TX_ONLY)
                        .forEach(p -> sites.add(p.mirrorUuid()));
            }
            Map<MirrorImageStatusState, Integer> states = new TreeMap<>();
            for (FakeMirrorImage image : namespace(where).images.values()) {
                if (image.mirrorState == null) {
                    continue;
                }
                MirrorImageStatusState state = MirrorImageStatusState.UNKNOWN;
                for (String site : sites) {
                    MirrorImageSiteStatus status = image.statuses.get(site);
                    if (status != null && status.up()
                            && (state == MirrorImageStatusState.UNKNOWN || state == MirrorImageStatusState.STOPPED)) {
                        state = status.state();
                    }
                }
                states.merge(state, 1, Integer::sum);
            }
            return states;
        });
    }

    @Override
    public Future<Void> mirrorImageStatusSet(PoolNamespace where, String globalId, MirrorImageSiteStatus status) {
        return call(() -> {
            FakeMirrorImage image = namespace(where).images.values().stream()
                    .filter(i -> globalId.equals(i.globalId)).findFirst()
                    .orElseThrow(() -> ClusterException.notFound(""));
            image.statuses.put(status.mirrorUuid(), status);
            return null;
        });
    }

    // --- helpers ---

    Pool pool(String name) {
        Pool pool = pools.get(name);
        if (pool == null) {
            throw ClusterException.notFound("");
        }
        return pool;
    }

    Namespace namespace(PoolNamespace where) {
        Namespace ns = pool(where.pool()).namespace(where.namespace());
        if (ns == null) {
            throw ClusterException.notFound("");
        }
        return ns;
    }

    /** Peer uuids a new primary mirror-snapshot must reach: every peer that is not rx-only. */
    Set<String> txPeerUuids(String pool) {
        Set<String> uuids = new java.util.TreeSet<>();
        pool(pool).peers.stream().filter(p -> p.direction() != MirrorPeerDirection.RX_ONLY)
                .forEach(p -> uuids.add(p.uuid()));
        return uuids;
    }

    static <T> Future<T> call(Callable<T> body) {
        try {
            return Future.succeededFuture(body.call());
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static EnumSet<ImageFeature> defaults() {
        return EnumSet.copyOf(ImageFeature.defaults());
    }
}
