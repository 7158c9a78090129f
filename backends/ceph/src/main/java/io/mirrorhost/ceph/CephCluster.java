package io.mirrorhost.ceph;

import com.ceph.rados.exceptions.RadosException;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.AuthEntity;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.JournalBatch;
import io.mirrorhost.api.cluster.JournalInfo;
import io.mirrorhost.api.cluster.JournalPeerClient;
import io.mirrorhost.api.cluster.JournalStatus;
import io.mirrorhost.api.cluster.JournalTag;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.ServiceDaemon;
import io.mirrorhost.api.cluster.Watch;
import io.mirrorhost.ceph.jna.LibRados;
import io.mirrorhost.ceph.jna.LibRbd;
import io.mirrorhost.ceph.jna.RbdImageSpec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A real Ceph cluster through librados and librbd: rados-java for the connection, pools, I/O contexts
 * and basic image calls, JNA bindings ({@link LibRbd}, {@link io.mirrorhost.ceph.jna.LibRados}) for
 * the rest. Every call runs on the connection's worker executor. The replayer-side calls
 * (non-primary snapshots, copy progress, image statuses, peer pings) fail with EOPNOTSUPP: on Ceph
 * the real rbd-mirror daemon does the data path.
 */
final class CephCluster implements Cluster {
    private static final LibRbd RBD = LibRbd.INSTANCE;

    private final CephConnection connection;
    private final MonCommands mon;
    private final ObjectWatches watches;
    private final String fsid;

    private CephCluster(CephConnection connection, String fsid) {
        this.connection = connection;
        this.mon = new MonCommands(connection.cluster());
        this.watches = new ObjectWatches(connection);
        this.fsid = fsid;
    }

    /** Connects (blocking). */
    static CephCluster connect(CephConnection connection) {
        try {
            return new CephCluster(connection, connection.rados().clusterFsid());
        } catch (RadosException e) {
            throw new ClusterException(Errno.of(e.getReturnValue()), "cannot read the cluster fsid: " + e.getMessage());
        }
    }

    @Override
    public String fsid() {
        return fsid;
    }

    @Override
    public String clientName() {
        return connection.client();
    }

    private <T> Future<T> blocking(java.util.concurrent.Callable<T> call) {
        return connection.blocking(call);
    }

    private Pointer io(PoolNamespace where) {
        return connection.io(where);
    }

    // --- pools and namespaces ---

    @Override
    public Future<List<PoolInfo>> listPools() {
        return blocking(mon::listPools);
    }

    @Override
    public Future<Void> createPool(String pool) {
        return blocking(() -> {
            try {
                connection.rados().poolCreate(pool);
            } catch (RadosException e) {
                CephErrors.checkNamed(rc(e.getReturnValue()), "create pool '" + pool + "'", "pool '" + pool + "'");
            }
            // a call that raced with the removal of an earlier pool of this name may have cached its I/O context
            connection.forgetPool(pool);
            return null;
        });
    }

    @Override
    public Future<Void> removePool(String pool) {
        return blocking(() -> {
            connection.forgetPool(pool);
            try {
                connection.rados().poolDelete(pool);
            } catch (RadosException e) {
                CephErrors.checkNamed(rc(e.getReturnValue()), "remove pool '" + pool + "'", "pool '" + pool + "'");
            }
            return null;
        });
    }

    private static int rc(int returnValue) {
        return returnValue == 0 ? -Errno.EIO.code() : returnValue;
    }

    @Override
    public Future<Void> initPool(String pool) {
        return blocking(() -> {
            CephErrors.check(RBD.rbd_pool_init(io(PoolNamespace.of(pool)), (byte) 0), "initialise pool '" + pool + "'");
            return null;
        });
    }

    @Override
    public Future<List<String>> listNamespaces(String pool) {
        return blocking(() -> NativeText.cStrings(NativeText.fill(
                (buf, len) -> RBD.rbd_namespace_list(io(PoolNamespace.of(pool)), buf, len), 1024,
                "list the namespaces of pool '" + pool + "'")));
    }

    @Override
    public Future<Void> createNamespace(PoolNamespace namespace) {
        return blocking(() -> {
            CephErrors.check(RBD.rbd_namespace_create(io(PoolNamespace.of(namespace.pool())), namespace.namespace()),
                    errno -> errno == Errno.EEXIST ? "namespace '" + namespace.namespace() + "' already exists"
                            : CephErrors.failed("create namespace " + namespace, errno));
            return null;
        });
    }

    @Override
    public Future<Void> removeNamespace(PoolNamespace namespace) {
        return blocking(() -> {
            CephErrors.check(RBD.rbd_namespace_remove(io(PoolNamespace.of(namespace.pool())), namespace.namespace()),
                    errno -> switch (errno) {
                        case ENOENT -> "namespace '" + namespace + "' does not exist";
                        case EBUSY -> "namespace '" + namespace.namespace() + "' is not empty";
                        default -> CephErrors.failed("remove namespace " + namespace, errno);
                    });
            return null;
        });
    }

    // --- images ---

    @Override
    public Future<List<ImageEntry>> listImages(PoolNamespace where) {
        return blocking(() -> {
            Pointer io = io(where);
            int max = 64;
            while (true) {
                RbdImageSpec[] specs = (RbdImageSpec[]) new RbdImageSpec().toArray(max);
                LongByReference count = new LongByReference(max);
                int rc = RBD.rbd_list2(io, specs, count);
                if (rc == -Errno.ERANGE.code()) {
                    max = (int) Math.max(count.getValue(), max * 2L);
                    continue;
                }
                CephErrors.check(rc, "list the images of " + where);
                List<ImageEntry> images = new ArrayList<>();
                for (int i = 0; i < count.getValue(); i++) {
                    images.add(new ImageEntry(NativeText.string(specs[i].name), NativeText.string(specs[i].id)));
                }
                RBD.rbd_image_spec_list_cleanup(specs, count.getValue());
                return images;
            }
        });
    }

    @Override
    public Future<Void> createImage(ImageSpec spec, ImageOptions options) {
        return blocking(() -> {
            Pointer io = io(spec.poolNamespace());
            PointerByReference ref = new PointerByReference();
            RBD.rbd_image_options_create(ref);
            Pointer opts = ref.getValue();
            try {
                RBD.rbd_image_options_set_uint64(opts, LibRbd.RBD_IMAGE_OPTION_FORMAT, 2);
                RBD.rbd_image_options_set_uint64(opts, LibRbd.RBD_IMAGE_OPTION_FEATURES,
                        ImageFeature.mask(options.features()));
                RBD.rbd_image_options_set_uint64(opts, LibRbd.RBD_IMAGE_OPTION_ORDER, options.order());
                if (options.dataPool() != null && !options.dataPool().isEmpty()) {
                    if (mon.listPools().stream().noneMatch(p -> p.name().equals(options.dataPool()))) {
                        throw ClusterException.notFound("data pool '" + options.dataPool() + "' does not exist");
                    }
                    RBD.rbd_image_options_set_string(opts, LibRbd.RBD_IMAGE_OPTION_DATA_POOL, options.dataPool());
                }
                CephErrors.check(RBD.rbd_create4(io, spec.name(), options.size(), opts), errno -> switch (errno) {
                    case EEXIST -> LibrbdLogTexts.createImage(spec.name());
                    default -> Objects.requireNonNullElseGet(
                            LibrbdLogTexts.createImage(errno, ImageFeature.mask(options.features()),
                                    options.size(), options.order()),
                            () -> CephErrors.failed("create image " + spec, errno));
                });
            } finally {
                RBD.rbd_image_options_destroy(opts);
            }
            return null;
        });
    }

    @Override
    public Future<Void> removeImage(ImageSpec spec) {
        return blocking(() -> {
            try {
                new Rbd(connection.ioContext(spec.poolNamespace())).remove(spec.name());
            } catch (RbdException e) {
                CephErrors.check(rc(e.getReturnValue()), errno -> switch (errno) {
                    case ENOENT -> "image " + spec + " does not exist";
                    case EBUSY -> LibrbdLogTexts.removeBusy();
                    case ENOTEMPTY -> "image has snapshots - these must be deleted with 'rbd snap purge' before"
                            + " the image can be removed.";
                    default -> CephErrors.failed("remove image " + spec, errno);
                });
            }
            return null;
        });
    }

    @Override
    public Future<Void> renameImage(ImageSpec spec, String newName) {
        return blocking(() -> {
            try {
                new Rbd(connection.ioContext(spec.poolNamespace())).rename(spec.name(), newName);
            } catch (RbdException e) {
                CephErrors.check(rc(e.getReturnValue()), errno -> switch (errno) {
                    case ENOENT -> LibrbdLogTexts.renameSourceMissing();
                    case EEXIST -> LibrbdLogTexts.renameTaken(newName);
                    default -> CephErrors.failed("rename image " + spec, errno);
                });
            }
            return null;
        });
    }

    @Override
    public Future<Image> openImage(ImageSpec spec) {
        return blocking(() -> {
            PointerByReference image = new PointerByReference();
            CephErrors.checkNamed(RBD.rbd_open(io(spec.poolNamespace()), spec.name(), image, null),
                    "open image " + spec, "image " + spec);
            return new CephImage(connection, spec, image.getValue(), null);
        });
    }

    @Override
    public Future<Image> openImageById(PoolNamespace where, String imageId) {
        return blocking(() -> {
            PointerByReference image = new PointerByReference();
            CephErrors.check(RBD.rbd_open_by_id(io(where), imageId, image, null),
                    errno -> errno == Errno.ENOENT ? "image id " + imageId + " does not exist in " + where
                            : CephErrors.failed("open image id " + imageId + " in " + where, errno));
            return new CephImage(connection, new ImageSpec(where, CephImage.name(image.getValue())),
                    image.getValue(), null);
        });
    }

    /** rbd-mirror opens non-primary images for replay on Ceph. */
    @Override
    public Future<Image> openImageForReplay(PoolNamespace where, String imageId) {
        return Future.failedFuture(CephErrors.unsupported("replaying into a non-primary image"));
    }

    /** rbd-mirror creates the non-primary copies on Ceph. */
    @Override
    public Future<Void> mirrorCreateNonPrimaryImage(ImageSpec spec, ImageOptions options, String globalId,
                                                    String primaryMirrorUuid) {
        return Future.failedFuture(CephErrors.unsupported("creating the non-primary copy of an image"));
    }

    @Override
    public Future<Image> openImageAtSnap(PoolNamespace where, String imageId, long snapId) {
        return blocking(() -> {
            PointerByReference ref = new PointerByReference();
            CephErrors.check(RBD.rbd_open_by_id_read_only(io(where), imageId, ref, null),
                    errno -> errno == Errno.ENOENT ? "image id " + imageId + " does not exist in " + where
                            : CephErrors.failed("open image id " + imageId + " in " + where, errno));
            Pointer image = ref.getValue();
            int rc = RBD.rbd_snap_set_by_id(image, snapId);
            if (rc < 0) {
                RBD.rbd_close(image);
                CephErrors.check(rc, errno -> errno == Errno.ENOENT ? "snapshot id " + snapId + " does not exist"
                        : CephErrors.failed("open image id " + imageId + " at snapshot id " + snapId, errno));
            }
            return new CephImage(connection, new ImageSpec(where, CephImage.name(image)), image, snapId);
        });
    }

    // --- omap, objects, watch/notify ---

    @Override
    public Future<Map<String, String>> omapGet(PoolNamespace where, String object) {
        return blocking(() -> ObjectStore.omapGet(io(where), object));
    }

    @Override
    public Future<Void> omapSet(PoolNamespace where, String object, Map<String, String> values) {
        return blocking(() -> {
            ObjectStore.omapSet(io(where), object, values);
            return null;
        });
    }

    @Override
    public Future<Void> omapRemove(PoolNamespace where, String object, Set<String> keys) {
        return blocking(() -> {
            ObjectStore.omapRemove(io(where), object, keys);
            return null;
        });
    }

    @Override
    public Future<Void> removeObject(PoolNamespace where, String object) {
        return blocking(() -> {
            ObjectStore.remove(io(where), object);
            return null;
        });
    }

    @Override
    public Future<Watch> watch(PoolNamespace where, String object, Consumer<Buffer> onNotify) {
        return watches.watch(where, object, onNotify);
    }

    @Override
    public Future<Void> notify(PoolNamespace where, String object, Buffer payload) {
        return watches.notify(where, object, payload);
    }

    // --- config-key store ---

    @Override
    public Future<Optional<String>> configKeyGet(String key) {
        return blocking(() -> mon.configKeyGet(key));
    }

    @Override
    public Future<Void> configKeySet(String key, String value) {
        return blocking(() -> {
            mon.configKeySet(key, value);
            return null;
        });
    }

    @Override
    public Future<Void> configKeyRemove(String key) {
        return blocking(() -> {
            mon.configKeyRemove(key);
            return null;
        });
    }

    @Override
    public Future<Map<String, String>> configKeyList(String prefix) {
        return blocking(() -> mon.configKeyList(prefix));
    }

    @Override
    public Future<Boolean> configKeyCompareAndSet(String key, String expected, String value) {
        return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP,
                "the monitor's config-key store has no compare-and-set"));
    }

    // --- fences: to be built on rados_blocklist_add of the previous holder's address (docs/design/high-availability.md 3.3) ---

    @Override
    public Future<FenceToken> fenceTake(String name, long known, String holder) {
        return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP, "fences are not built for Ceph yet"
                + " (they will blocklist the previous holder's client address)"));
    }

    @Override
    public Future<Optional<FenceRecord>> fenceGet(String name) {
        return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP, "fences are not built for Ceph yet"));
    }

    /** On Ceph the OSDs refuse a superseded holder (it is blocklisted), so the view is the cluster itself. */
    @Override
    public Cluster fenced(FenceToken token) {
        return this;
    }

    // --- auth (ceph auth get-or-create/get/ls/rm, through the monitor) ---

    @Override
    public Future<AuthEntity> authGetOrCreate(String entity, Map<String, String> caps) {
        return blocking(() -> new AuthCommands(mon).getOrCreate(entity, caps == null ? Map.of() : caps));
    }

    @Override
    public Future<AuthEntity> authGet(String entity) {
        return blocking(() -> new AuthCommands(mon).get(entity));
    }

    @Override
    public Future<List<AuthEntity>> authList() {
        return blocking(() -> new AuthCommands(mon).list());
    }

    @Override
    public Future<Boolean> authRemove(String entity) {
        return blocking(() -> new AuthCommands(mon).remove(entity));
    }

    // --- mirroring: pools and namespaces ---

    @Override
    public Future<MirrorMode> mirrorModeGet(PoolNamespace where) {
        return blocking(() -> PoolMirroring.modeGet(io(where), where.toString()));
    }

    @Override
    public Future<Void> mirrorModeSet(PoolNamespace where, MirrorMode mode) {
        return blocking(() -> {
            PoolMirroring.modeSet(io(where), where.toString(), mode);
            return null;
        });
    }

    /** librbd 16.2 mirrors a namespace with the namespace of the same name on the peer. */
    @Override
    public Future<String> mirrorRemoteNamespaceGet(PoolNamespace where) {
        return blocking(() -> {
            io(where);
            return where.namespace();
        });
    }

    @Override
    public Future<Void> mirrorRemoteNamespaceSet(PoolNamespace where, String remoteNamespace) {
        if (remoteNamespace.equals(where.namespace())) {
            return Future.succeededFuture();
        }
        return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP, "cannot mirror " + where
                + " with remote namespace '" + remoteNamespace + "': Ceph 16.2 mirrors a namespace only with the"
                + " namespace of the same name"));
    }

    @Override
    public Future<String> mirrorUuidGet(String pool) {
        return blocking(() -> PoolMirroring.uuid(io(PoolNamespace.of(pool)), pool));
    }

    @Override
    public Future<String> mirrorSiteNameGet() {
        return blocking(() -> PoolMirroring.siteNameGet(connection.cluster()));
    }

    @Override
    public Future<Void> mirrorSiteNameSet(String siteName) {
        return blocking(() -> {
            PoolMirroring.siteNameSet(connection.cluster(), siteName);
            return null;
        });
    }

    @Override
    public Future<String> mirrorPeerBootstrapCreate(String pool) {
        return blocking(() -> PoolMirroring.bootstrapCreate(io(PoolNamespace.of(pool)), pool));
    }

    @Override
    public Future<Void> mirrorPeerBootstrapImport(String pool, MirrorPeerDirection direction, String token) {
        return blocking(() -> {
            PoolMirroring.bootstrapImport(io(PoolNamespace.of(pool)), pool, direction, token);
            return null;
        });
    }

    @Override
    public Future<String> mirrorPeerSiteAdd(String pool, String siteName, String clientName,
                                            MirrorPeerDirection direction) {
        return blocking(() -> PoolMirroring.peerAdd(io(PoolNamespace.of(pool)), pool, siteName, clientName, direction));
    }

    @Override
    public Future<Void> mirrorPeerSiteRemove(String pool, String uuid) {
        return blocking(() -> {
            PoolMirroring.peerRemove(io(PoolNamespace.of(pool)), pool, uuid);
            return null;
        });
    }

    @Override
    public Future<Void> mirrorPeerSiteSetName(String pool, String uuid, String siteName) {
        return blocking(() -> {
            PoolMirroring.peerSet("site name", RBD.rbd_mirror_peer_site_set_name(io(PoolNamespace.of(pool)), uuid,
                    siteName), pool, uuid);
            return null;
        });
    }

    @Override
    public Future<Void> mirrorPeerSiteSetClientName(String pool, String uuid, String clientName) {
        return blocking(() -> {
            PoolMirroring.peerSet("client", RBD.rbd_mirror_peer_site_set_client_name(io(PoolNamespace.of(pool)), uuid,
                    clientName), pool, uuid);
            return null;
        });
    }

    @Override
    public Future<Void> mirrorPeerSiteSetDirection(String pool, String uuid, MirrorPeerDirection direction) {
        return blocking(() -> {
            PoolMirroring.peerSet("direction", RBD.rbd_mirror_peer_site_set_direction(io(PoolNamespace.of(pool)), uuid,
                    MirrorEnums.direction(direction)), pool, uuid);
            return null;
        });
    }

    @Override
    public Future<List<MirrorPeer>> mirrorPeerSiteList(String pool) {
        return blocking(() -> PoolMirroring.peerList(io(PoolNamespace.of(pool)), pool));
    }

    @Override
    public Future<Map<String, String>> mirrorPeerSiteGetAttributes(String pool, String uuid) {
        return blocking(() -> PoolMirroring.peerAttributes(io(PoolNamespace.of(pool)), pool, uuid));
    }

    @Override
    public Future<Void> mirrorPeerSiteSetAttributes(String pool, String uuid, Map<String, String> attributes) {
        return blocking(() -> {
            PoolMirroring.setPeerAttributes(io(PoolNamespace.of(pool)), pool, uuid, attributes);
            return null;
        });
    }

    @Override
    public Future<Void> mirrorPeerPing(String pool, String siteName, String mirrorUuid) {
        return Future.failedFuture(CephErrors.unsupported("pinging a peer"));
    }

    // --- mirroring: images and statuses ---

    @Override
    public Future<Map<String, MirrorImageInfo>> mirrorImageInfoList(PoolNamespace where) {
        return blocking(() -> PoolMirroring.imageInfoList(io(where), where.toString()));
    }

    @Override
    public Future<List<MirrorImageGlobalStatus>> mirrorImageGlobalStatusList(PoolNamespace where) {
        return blocking(() -> PoolMirroring.globalStatusList(io(where), where.toString()));
    }

    @Override
    public Future<Map<MirrorImageStatusState, Integer>> mirrorImageStatusSummary(PoolNamespace where) {
        return blocking(() -> PoolMirroring.statusSummary(io(where), where.toString()));
    }

    @Override
    public Future<Void> mirrorImageStatusSet(PoolNamespace where, String globalId, MirrorImageSiteStatus status) {
        return Future.failedFuture(CephErrors.unsupported("recording an image's mirror status"));
    }

    @Override
    public Future<Void> mirrorImageStatusRemove(PoolNamespace where, String globalId, String mirrorUuid) {
        return Future.failedFuture(CephErrors.unsupported("removing an image's mirror status"));
    }

    // --- journals: cls_journal is not reachable through librbd's C API ---

    @Override
    public Future<JournalInfo> journalInfo(PoolNamespace where, String journalId) {
        return journalsNotSupported();
    }

    @Override
    public Future<JournalStatus> journalStatus(PoolNamespace where, String journalId) {
        return journalsNotSupported();
    }

    @Override
    public Future<List<String>> journalClientDisconnect(PoolNamespace where, String journalId, String clientId) {
        return journalsNotSupported();
    }

    @Override
    public Future<Void> journalClientRegister(PoolNamespace where, String journalId, String mirrorUuid, String imageId,
                                              JournalPeerClient.SyncState state) {
        return journalsNotSupported();
    }

    @Override
    public Future<Void> journalClientUpdate(PoolNamespace where, String journalId, String mirrorUuid, String imageId,
                                            JournalPeerClient.SyncState state) {
        return journalsNotSupported();
    }

    @Override
    public Future<Void> journalClientUnregister(PoolNamespace where, String journalId, String mirrorUuid) {
        return journalsNotSupported();
    }

    @Override
    public Future<List<JournalPeerClient>> journalPeerClients(PoolNamespace where, String journalId) {
        return journalsNotSupported();
    }

    @Override
    public Future<JournalBatch> journalRead(PoolNamespace where, String journalId, JournalStatus.ObjectPosition after,
                                            int maxEntries, long maxBytes) {
        return journalsNotSupported();
    }

    @Override
    public Future<Void> journalClientCommit(PoolNamespace where, String journalId, String mirrorUuid,
                                            JournalStatus.ObjectPosition position) {
        return journalsNotSupported();
    }

    @Override
    public Future<List<JournalTag>> journalTags(PoolNamespace where, String journalId) {
        return journalsNotSupported();
    }

    /** Journal replay on Ceph is the real rbd-mirror's; this backend neither reads nor follows journals. */
    private static <T> Future<T> journalsNotSupported() {
        return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP, "reading image journals is not supported on"
            + " the ceph backend yet: the journal header is cls_journal's, which librbd's C API does not expose"
            + " (use the rbd command of the cluster)"));
    }

    // --- the manager's service map (ServiceMap) ---

    @Override
    public Future<Long> instanceId() {
        return blocking(() -> LibRados.INSTANCE.rados_get_instance_id(connection.cluster()));
    }

    /**
     * Registers through librados; refuses {@code rbd-mirror} (EOPNOTSUPP) like the other replayer-side calls:
     * on Ceph the real rbd-mirror registers itself, and a second entry would be a daemon that replays nothing.
     */
    @Override
    public Future<Void> serviceDaemonRegister(String service, String daemon, Map<String, String> metadata) {
        if ("rbd-mirror".equals(service)) {
            return Future.failedFuture(CephErrors.unsupported("registering as an rbd-mirror daemon"));
        }
        return blocking(() -> {
            ServiceMap.register(connection.cluster(), service, daemon, metadata);
            return null;
        });
    }

    @Override
    public Future<Void> serviceDaemonUpdateStatus(Map<String, String> status) {
        return blocking(() -> {
            ServiceMap.updateStatus(connection.cluster(), status);
            return null;
        });
    }

    /** librados has no unregister: the daemon stays registered (and beaconing) until this connection closes. */
    @Override
    public Future<Void> serviceDaemonUnregister() {
        return Future.succeededFuture();
    }

    @Override
    public Future<List<ServiceDaemon>> serviceDaemonList(String service) {
        return blocking(() -> ServiceMap.list(connection.cluster(), service));
    }

    @Override
    public Future<Map<String, String>> mirrorImageInstanceIdList(PoolNamespace where) {
        return blocking(() -> ServiceMap.instanceIds(io(where), where.toString()));
    }

    @Override
    public Future<Void> close() {
        return connection.close();
    }
}
