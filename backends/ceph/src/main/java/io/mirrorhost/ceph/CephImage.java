package io.mirrorhost.ceph;

import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Extent;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.Watch;
import io.mirrorhost.ceph.jna.LibRbd;
import io.mirrorhost.ceph.jna.RbdImageInfo;
import io.mirrorhost.ceph.jna.RbdMirrorImageGlobalStatus;
import io.mirrorhost.ceph.jna.RbdMirrorImageInfo;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * An open librbd image ({@code rbd_image_t}). rados-java's {@link RbdImage} does the basic calls
 * (write, resize, user snapshots); the JNA bindings the rest. Closing twice is harmless.
 */
final class CephImage implements Image, CephConnection.NativeResource {
    private static final LibRbd RBD = LibRbd.INSTANCE;

    private final CephConnection connection;
    private final ImageSpec spec;
    private final Long snapId;
    private final Pointer handle;
    /** rados-java's wrapper; it takes the address of a cell holding the {@code rbd_image_t}. */
    private final RbdImage image;
    private volatile boolean closed;
    private final java.util.Set<UpdateWatch> updateWatches = java.util.concurrent.ConcurrentHashMap.newKeySet();

    CephImage(CephConnection connection, ImageSpec spec, Pointer handle, Long snapId) {
        this.connection = connection;
        this.spec = spec;
        this.snapId = snapId;
        this.handle = handle;
        Memory cell = new Memory(Native.POINTER_SIZE);
        cell.setPointer(0, handle);
        this.image = new RbdImage(cell, spec.name());
        connection.register(this);
    }

    /** The name of an image opened by id ({@code rbd_get_name}). */
    static String name(Pointer image) {
        return NativeText.cString(NativeText.fill((buf, len) -> RBD.rbd_get_name(image, buf, len), 128,
                "get the image name"));
    }

    private Pointer handle() {
        if (closed) {
            throw ClusterException.invalid("image " + spec + " is closed");
        }
        return handle;
    }

    private <T> Future<T> blocking(Callable<T> call) {
        return connection.blocking(call);
    }

    private Future<Void> run(String operation, Function<Pointer, Integer> call) {
        return blocking(() -> {
            CephErrors.check(call.apply(handle()), errno -> describe(operation, errno));
            return null;
        });
    }

    /**
     * For mirroring state changes: the text librbd logs for the failure where we know it (computed after
     * the call, from the state that made librbd refuse), else librbd's errno as it is.
     */
    private Future<Void> runMirror(String operation, Function<Pointer, Integer> call,
                                   Function<Errno, String> librbdLog) {
        return blocking(() -> {
            CephErrors.check(call.apply(handle()), errno -> Objects.requireNonNullElseGet(librbdLog.apply(errno),
                    () -> CephErrors.failed(operation + " image " + spec, errno)));
            return null;
        });
    }

    private String describe(String operation, Errno errno) {
        return switch (errno) {
            case EROFS -> "cannot " + operation + ": image " + spec + (snapId != null ? " is open at a snapshot"
                    : " is read-only (not primary)");
            default -> CephErrors.failed(operation + " on image " + spec, errno);
        };
    }

    /** For rados-java's calls, which report the return code in an exception. */
    private interface RbdCall {
        void run(RbdImage image) throws RbdException;
    }

    private Future<Void> runRbd(String operation, Function<Errno, String> describe, RbdCall call) {
        return blocking(() -> {
            handle();
            try {
                call.run(image);
            } catch (RbdException e) {
                CephErrors.check(e.getReturnValue() == 0 ? -Errno.EINVAL.code() : e.getReturnValue(),
                        describe != null ? describe : errno -> describe(operation, errno));
            }
            return null;
        });
    }

    @Override
    public ImageSpec spec() {
        return spec;
    }

    @Override
    public Long snapId() {
        return snapId;
    }

    @Override
    public Future<ImageInfo> info() {
        return blocking(() -> {
            Pointer h = handle();
            RbdImageInfo stat = new RbdImageInfo();
            CephErrors.check(RBD.rbd_stat(h, stat, stat.size()), errno -> describe("stat", errno));
            LongByReference features = new LongByReference();
            CephErrors.check(RBD.rbd_get_features(h, features), errno -> describe("get features", errno));
            LongByReference flags = new LongByReference();
            CephErrors.check(RBD.rbd_get_flags(h, flags), errno -> describe("get flags", errno));
            byte[] id = new byte[64];
            CephErrors.check(RBD.rbd_get_id(h, id, id.length), errno -> describe("get id", errno));
            io.mirrorhost.ceph.jna.Timespec created = new io.mirrorhost.ceph.jna.Timespec();
            io.mirrorhost.ceph.jna.Timespec accessed = new io.mirrorhost.ceph.jna.Timespec();
            io.mirrorhost.ceph.jna.Timespec modified = new io.mirrorhost.ceph.jna.Timespec();
            RBD.rbd_get_create_timestamp(h, created);
            RBD.rbd_get_access_timestamp(h, accessed);
            RBD.rbd_get_modify_timestamp(h, modified);
            return new ImageInfo(spec.name(), NativeText.cString(id), stat.size, stat.order,
                    ImageFeature.fromMask(features.getValue()), flagNames(flags.getValue()), dataPool(h),
                    snapCount(h), created.toInstant(), accessed.toInstant(), modified.toInstant());
        });
    }

    private static Set<String> flagNames(long flags) {
        Set<String> names = new LinkedHashSet<>();
        if ((flags & LibRbd.RBD_FLAG_OBJECT_MAP_INVALID) != 0) {
            names.add("object map invalid");
        }
        if ((flags & LibRbd.RBD_FLAG_FAST_DIFF_INVALID) != 0) {
            names.add("fast diff invalid");
        }
        return names;
    }

    /** The data pool's name, or null when the data lives in the image's own pool. */
    private String dataPool(Pointer h) {
        long dataPoolId = RBD.rbd_get_data_pool_id(h);
        long ownPoolId = connection.ioContext(spec.poolNamespace()).getId();
        if (dataPoolId < 0 || dataPoolId == ownPoolId) {
            return null;
        }
        return new MonCommands(connection.cluster()).poolName(dataPoolId);
    }

    private static int snapCount(Pointer h) {
        return Snapshots.list(h).size();
    }

    // --- I/O ---

    @Override
    public Future<Buffer> read(long offset, int length) {
        return blocking(() -> {
            byte[] data = new byte[length];
            long n = CephErrors.check(RBD.rbd_read(handle(), offset, length, data),
                    errno -> errno == Errno.EINVAL ? "read of " + length + " bytes at " + offset
                            + " is outside the image " + spec : describe("read", errno));
            return Buffer.buffer(n == length ? data : java.util.Arrays.copyOf(data, (int) n));
        });
    }

    @Override
    public Future<Buffer> readExtents(List<Extent> extents) {
        List<Extent> copy = List.copyOf(extents);
        return blocking(() -> {
            Buffer out = Buffer.buffer(copy.stream().mapToInt(Extent::length).sum());
            for (Extent e : copy) {
                byte[] data = new byte[e.length()];
                long n = CephErrors.check(RBD.rbd_read(handle(), e.offset(), e.length(), data),
                        errno -> describe("read", errno));
                if (n != e.length()) {
                    throw ClusterException.invalid("read of " + e.length() + " bytes at " + e.offset()
                            + " is outside the image " + spec);
                }
                out.appendBytes(data);
            }
            return out;
        });
    }

    @Override
    public Future<Void> write(long offset, Buffer data) {
        byte[] bytes = data.getBytes();
        return blocking(() -> {
            CephErrors.check(RBD.rbd_write(handle(), offset, bytes.length, bytes), errno -> errno == Errno.EINVAL
                    ? "I/O of " + bytes.length + " bytes at " + offset + " goes past the end of image " + spec
                    : describe("write", errno));
            return null;
        });
    }

    @Override
    public Future<Void> discard(long offset, long length) {
        return run("discard", h -> RBD.rbd_discard(h, offset, length));
    }

    @Override
    public Future<Void> flush() {
        return run("flush", RBD::rbd_flush);
    }

    @Override
    public Future<Void> resize(long newSize) {
        if (newSize < 0) {
            return Future.failedFuture(ClusterException.invalid("size must not be negative"));
        }
        return runRbd("resize", null, img -> img.resize(newSize));
    }

    @Override
    public Future<Void> updateFeatures(Set<ImageFeature> features, boolean enabled) {
        return blocking(() -> {
            Pointer h = handle();
            long current = features(h);
            long change = ImageFeature.mask(features);
            CephErrors.check(RBD.rbd_update_features(h, change, (byte) (enabled ? 1 : 0)), errno ->
                    Objects.requireNonNullElseGet(LibrbdLogTexts.updateFeatures(errno, current, change, enabled),
                            () -> describe((enabled ? "enable" : "disable") + " features", errno)));
            return null;
        });
    }

    private long features(Pointer h) {
        LongByReference features = new LongByReference();
        CephErrors.check(RBD.rbd_get_features(h, features), errno -> describe("get features", errno));
        return features.getValue();
    }

    /**
     * librbd rebuilds a snapshot's map through a writable handle set to that snapshot (as rbd opens it),
     * so a snapshot handle, opened read-only, rebuilds through a second handle.
     */
    @Override
    public Future<Void> objectMapRebuild() {
        return blocking(() -> {
            Pointer h = handle();
            if (snapId == null) {
                rebuildObjectMap(h);
                return null;
            }
            byte[] id = new byte[64];
            CephErrors.check(RBD.rbd_get_id(h, id, id.length), errno -> describe("get id", errno));
            PointerByReference ref = new PointerByReference();
            CephErrors.check(RBD.rbd_open_by_id(connection.io(spec.poolNamespace()), NativeText.cString(id), ref, null),
                    errno -> describe("open", errno));
            try {
                CephErrors.check(RBD.rbd_snap_set_by_id(ref.getValue(), snapId), errno -> describe("set snapshot", errno));
                rebuildObjectMap(ref.getValue());
            } finally {
                RBD.rbd_close(ref.getValue());
            }
            return null;
        });
    }

    private static final LibRbd.ProgressCallback NO_PROGRESS = (offset, total, arg) -> 0;

    private void rebuildObjectMap(Pointer h) {
        CephErrors.check(RBD.rbd_rebuild_object_map(h, NO_PROGRESS, null), errno -> Objects.requireNonNullElseGet(
                LibrbdLogTexts.rebuildObjectMap(errno, features(h)), () -> describe("rebuild the object map", errno)));
    }

    // --- snapshots ---

    @Override
    public Future<List<SnapInfo>> listSnaps() {
        return blocking(() -> Snapshots.list(handle()));
    }

    @Override
    public Future<Long> createSnap(String name) {
        return runRbd("create snapshot", errno -> errno == Errno.EEXIST ? "snapshot '" + name + "' already exists"
                : describe("create snapshot '" + name + "'", errno), img -> img.snapCreate(name))
                .compose(v -> blocking(() -> Snapshots.idOf(handle(), name)));
    }

    @Override
    public Future<Void> removeSnap(String name) {
        return runRbd("remove snapshot", snapErrors(name, "remove"), img -> img.snapRemove(name));
    }

    private Function<Errno, String> snapErrors(String name, String operation) {
        return errno -> switch (errno) {
            case ENOENT -> "snapshot '" + name + "' does not exist";
            case EBUSY -> "snapshot '" + name + "' is protected from removal";
            default -> describe(operation + " snapshot '" + name + "'", errno);
        };
    }

    @Override
    public Future<Void> removeSnapById(long snapId) {
        return blocking(() -> {
            CephErrors.check(RBD.rbd_snap_remove_by_id(handle(), snapId), errno -> errno == Errno.ENOENT
                    ? "snapshot id " + snapId + " does not exist" : describe("remove snapshot id " + snapId, errno));
            return null;
        });
    }

    @Override
    public Future<Void> rollbackSnap(String name) {
        return runRbd("roll back", snapErrors(name, "roll back to"), img -> img.snapRollBack(name));
    }

    @Override
    public Future<Void> protectSnap(String name) {
        return runRbd("protect", errno -> switch (errno) {
            case ENOENT -> "snapshot '" + name + "' does not exist";
            case EBUSY -> "snapshot '" + name + "' is already protected";
            case ENOSYS -> "image must support layering";
            default -> describe("protect snapshot '" + name + "'", errno);
        }, img -> img.snapProtect(name));
    }

    @Override
    public Future<Void> unprotectSnap(String name) {
        return runRbd("unprotect", errno -> switch (errno) {
            case ENOENT -> "snapshot '" + name + "' does not exist";
            case EINVAL -> "snapshot '" + name + "' is already unprotected";
            default -> describe("unprotect snapshot '" + name + "'", errno);
        }, img -> img.snapUnprotect(name));
    }

    @Override
    public Future<List<DiffExtent>> diff(Long fromSnapId, long offset, long length, boolean wholeObject) {
        if (offset < 0 || length < 0) {
            return Future.failedFuture(ClusterException.invalid("diff range must not be negative"));
        }
        return blocking(() -> Snapshots.diff(handle(), spec, fromSnapId, offset, length, wholeObject));
    }

    // --- exclusive lock ---

    @Override
    public Future<Void> lockAcquire() {
        return run("acquire the exclusive lock", h -> RBD.rbd_lock_acquire(h, LibRbd.RBD_LOCK_MODE_EXCLUSIVE));
    }

    @Override
    public Future<Void> lockRelease() {
        return run("release the exclusive lock", RBD::rbd_lock_release);
    }

    @Override
    public Future<List<String>> lockOwners() {
        return blocking(() -> {
            Pointer h = handle();
            int max = 8;
            while (true) {
                Pointer[] owners = new Pointer[max];
                LongByReference count = new LongByReference(max);
                IntByReference mode = new IntByReference();
                int rc = RBD.rbd_lock_get_owners(h, mode, owners, count);
                if (rc == -Errno.ENOENT.code()) {
                    return List.<String>of();
                }
                if (rc == -Errno.ERANGE.code()) {
                    max = (int) Math.max(count.getValue(), max * 2L);
                    continue;
                }
                CephErrors.check(rc, errno -> describe("get the lock owners", errno));
                List<String> list = new ArrayList<>();
                for (int i = 0; i < count.getValue(); i++) {
                    list.add(NativeText.string(owners[i]));
                }
                RBD.rbd_lock_get_owners_cleanup(owners, count.getValue());
                return list;
            }
        });
    }

    @Override
    public Future<Void> lockBreak(String owner) {
        return run("break the lock of " + owner, h -> RBD.rbd_lock_break(h, LibRbd.RBD_LOCK_MODE_EXCLUSIVE, owner));
    }

    // --- watch ---

    @Override
    public Future<Watch> updateWatch(Runnable onUpdate) {
        Context context = connection.context();
        return blocking(() -> {
            LibRbd.UpdateCallback callback = arg -> context.runOnContext(v -> onUpdate.run());
            LongByReference handle = new LongByReference();
            CephErrors.check(RBD.rbd_update_watch(handle(), handle, callback, null),
                    errno -> describe("watch", errno));
            UpdateWatch watch = new UpdateWatch(callback, handle.getValue());
            updateWatches.add(watch);
            return watch;
        });
    }

    private final class UpdateWatch implements Watch {
        @SuppressWarnings("unused") // librbd holds only a raw pointer; this keeps the callback alive
        private final LibRbd.UpdateCallback callback;
        private final long handle;
        private boolean closed;

        UpdateWatch(LibRbd.UpdateCallback callback, long handle) {
            this.callback = callback;
            this.handle = handle;
        }

        @Override
        public synchronized Future<Void> close() {
            if (closed || CephImage.this.closed) {
                closed = true;
                return Future.succeededFuture();
            }
            closed = true;
            updateWatches.remove(this);
            return run("unwatch", h -> RBD.rbd_update_unwatch(h, handle));
        }
    }

    // --- mirroring ---

    @Override
    public Future<Void> mirrorEnable(MirrorImageMode mode) {
        return runMirror("enable " + mode.label() + " mirroring", h -> RBD.rbd_mirror_image_enable2(h, mode.ordinal()),
                errno -> LibrbdLogTexts.imageEnable(errno, poolMode()));
    }

    @Override
    public Future<Void> mirrorDisable(boolean force) {
        return runMirror("disable mirroring", h -> RBD.rbd_mirror_image_disable(h, (byte) (force ? 1 : 0)),
                errno -> LibrbdLogTexts.imageDisable(errno, poolMode()));
    }

    @Override
    public Future<Void> mirrorPromote(boolean force) {
        return runMirror("promote", h -> RBD.rbd_mirror_image_promote(h, (byte) (force ? 1 : 0)),
                LibrbdLogTexts::promote);
    }

    @Override
    public Future<Void> mirrorDemote() {
        return runMirror("demote", RBD::rbd_mirror_image_demote, LibrbdLogTexts::demote);
    }

    @Override
    public Future<Void> mirrorResync() {
        return runMirror("flag for resync", RBD::rbd_mirror_image_resync,
                errno -> LibrbdLogTexts.resync(errno, mirrorState(handle()) == MirrorImageState.ENABLED));
    }

    @Override
    public Future<Long> mirrorCreateSnapshot() {
        return blocking(() -> {
            LongByReference id = new LongByReference();
            Pointer h = handle();
            CephErrors.check(RBD.rbd_mirror_image_create_snapshot(h, id), errno -> Objects.requireNonNullElseGet(
                    LibrbdLogTexts.createPrimarySnapshot(errno, newestMirrorSnapshot(h), hasTxPeers()),
                    () -> describe("create a mirror-snapshot", errno)));
            return id.getValue();
        });
    }

    private MirrorMode poolMode() {
        return PoolMirroring.modeGet(connection.io(spec.poolNamespace()), spec.poolNamespace().toString());
    }

    private static MirrorImageState mirrorState(Pointer h) {
        RbdMirrorImageInfo info = new RbdMirrorImageInfo();
        if (RBD.rbd_mirror_image_get_info(h, info, info.size()) < 0) {
            return MirrorImageState.DISABLED;
        }
        RBD.rbd_mirror_image_get_info_cleanup(info);
        return MirrorEnums.imageState(info.state);
    }

    private static MirrorSnapshotState newestMirrorSnapshot(Pointer h) {
        List<SnapInfo> snaps = Snapshots.list(h);
        for (int i = snaps.size() - 1; i >= 0; i--) {
            if (snaps.get(i).mirror() != null) {
                return snaps.get(i).mirror().state();
            }
        }
        return null;
    }

    private boolean hasTxPeers() {
        return PoolMirroring.peerList(connection.io(PoolNamespace.of(spec.pool())), spec.pool()).stream()
                .anyMatch(p -> p.direction() != MirrorPeerDirection.RX_ONLY);
    }

    @Override
    public Future<MirrorImageInfo> mirrorInfo() {
        return blocking(() -> {
            Pointer h = handle();
            RbdMirrorImageInfo info = new RbdMirrorImageInfo();
            CephErrors.check(RBD.rbd_mirror_image_get_info(h, info, info.size()),
                    errno -> describe("get mirroring info", errno));
            try {
                return PoolMirroring.info(info, mode(h));
            } finally {
                RBD.rbd_mirror_image_get_info_cleanup(info);
            }
        });
    }

    private int mode(Pointer h) {
        IntByReference mode = new IntByReference();
        CephErrors.check(RBD.rbd_mirror_image_get_mode(h, mode), errno -> describe("get the mirror mode", errno));
        return mode.getValue();
    }

    @Override
    public Future<MirrorImageGlobalStatus> mirrorGlobalStatus() {
        return blocking(() -> {
            Pointer h = handle();
            RbdMirrorImageGlobalStatus status = new RbdMirrorImageGlobalStatus();
            CephErrors.check(RBD.rbd_mirror_image_get_global_status(h, status, status.size()),
                    errno -> describe("get the mirror status", errno));
            try {
                byte[] id = new byte[64];
                CephErrors.check(RBD.rbd_get_id(h, id, id.length), errno -> describe("get id", errno));
                return PoolMirroring.globalStatus(status, NativeText.cString(id), mode(h));
            } finally {
                RBD.rbd_mirror_image_global_status_cleanup(status);
            }
        });
    }

    @Override
    public Future<Long> mirrorCreateNonPrimarySnapshot(String primaryMirrorUuid, long primarySnapId,
                                                       Map<Long, Long> snapSeqs, boolean demoted) {
        return Future.failedFuture(CephErrors.unsupported("creating a non-primary mirror-snapshot"));
    }

    /**
     * Whether {@code rbd mirror image resync} flagged this copy: in snapshot mode librbd keeps the flag in
     * the image metadata {@code .rbd_mirror.<local pool mirror uuid>} as {@code {"resync_requested": true}}.
     */
    @Override
    public Future<Boolean> mirrorResyncRequested() {
        return blocking(() -> {
            String key = ".rbd_mirror." + PoolMirroring.uuid(connection.io(spec.poolNamespace()), spec.pool());
            byte[] value = new byte[256];
            LongByReference length = new LongByReference(value.length);
            int rc = RBD.rbd_metadata_get(handle(), key, value, length);
            if (rc == -Errno.ENOENT.code()) {
                return false;
            }
            CephErrors.check(rc, errno -> describe("read the resync flag", errno));
            String json = NativeText.cString(value).trim();
            return !json.isEmpty() && new io.vertx.core.json.JsonObject(json).getBoolean("resync_requested", false);
        });
    }

    @Override
    public Future<Void> mirrorSnapshotSetCopyProgress(long snapId, boolean complete, long lastCopiedObjectNumber) {
        return Future.failedFuture(CephErrors.unsupported("recording the copy progress of a mirror-snapshot"));
    }

    @Override
    public Future<Void> mirrorSnapshotUnlinkPeer(long snapId, String peerUuid) {
        return blocking(() -> {
            Snapshots.unlinkPeer(handle(), connection.io(spec.poolNamespace()), snapId, peerUuid);
            return null;
        });
    }

    @Override
    public Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        return blocking(() -> {
            release();
            return null;
        });
    }

    /** Unregisters the update watches and closes the handle (blocking); also used when the connection closes. */
    @Override
    public synchronized void release() {
        if (closed) {
            return;
        }
        for (UpdateWatch watch : List.copyOf(updateWatches)) {
            RBD.rbd_update_unwatch(handle, watch.handle);
        }
        updateWatches.clear();
        closed = true;
        connection.unregister(this);
        CephErrors.check(RBD.rbd_close(handle), errno -> describe("close", errno));
    }
}
