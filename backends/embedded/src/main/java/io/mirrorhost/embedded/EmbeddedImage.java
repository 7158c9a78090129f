package io.mirrorhost.embedded;

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
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open handle on an embedded image, at the head or at a snapshot. Every call runs on the
 * image's lane, so calls through all handles of one image apply in the order they were made.
 */
public final class EmbeddedImage implements Image {
    private static final AtomicLong SERIAL = new AtomicLong();

    private final ImageStore store;
    private final String clientName;
    private final Long snapId;
    private final long serial = SERIAL.incrementAndGet();
    private final boolean replay;
    private volatile boolean closed;
    private volatile boolean blocklisted;

    EmbeddedImage(ImageStore store, String clientName, Long snapId) {
        this(store, clientName, snapId, false);
    }

    EmbeddedImage(ImageStore store, String clientName, Long snapId, boolean replay) {
        this.store = store;
        this.clientName = clientName;
        this.snapId = snapId;
        this.replay = replay;
    }

    /** Whether this handle is the mirror daemon's, opened with {@code openImageForReplay}. */
    boolean replays() {
        return replay;
    }

    ImageStore store() {
        return store;
    }

    private <T> Future<T> run(StoreExecutor.Work<T> work) {
        return store.cluster().executor.run(store.lane(), work);
    }

    /** For the I/O and snapshot ops a journal may hold back: the work completes the future once the change is applied. */
    private Future<Void> runDeferred(StoreExecutor.DeferredWork work) {
        return store.cluster().executor.runDeferred(store.lane(), work);
    }

    void checkOpen() {
        if (closed) {
            throw ClusterException.invalid("image handle of " + store.spec() + " is closed");
        }
    }

    /** How this handle appears as an exclusive-lock owner. */
    String lockOwnerName() {
        return clientName + ":" + serial;
    }

    boolean isBlocklisted() {
        return blocklisted;
    }

    void blocklist() {
        blocklisted = true;
    }

    @Override
    public ImageSpec spec() {
        return store.spec();
    }

    @Override
    public Long snapId() {
        return snapId;
    }

    @Override
    public Future<ImageInfo> info() {
        return run(() -> {
            checkOpen();
            return store.info(snapId);
        });
    }

    /** The object map at this handle's point, derived from the version index (tests, diagnostics). */
    public Future<List<ObjectState>> objectMap() {
        return run(() -> {
            checkOpen();
            return List.of(store.objectMap(snapId));
        });
    }

    /** Consistency problems between this image's version index and its files; empty when sound. */
    public Future<List<String>> check() {
        return run(store::check);
    }

    @Override
    public Future<Buffer> read(long offset, int length) {
        return run(() -> store.read(this, offset, length));
    }

    @Override
    public Future<Buffer> readExtents(List<Extent> extents) {
        List<Extent> copy = List.copyOf(extents);
        return run(() -> store.readExtents(this, copy));
    }

    @Override
    public Future<Void> write(long offset, Buffer data) {
        ByteBuffer bytes = ((BufferInternal) data).getByteBuf().nioBuffer();
        return runDeferred(done -> store.write(this, offset, bytes, done));
    }

    @Override
    public Future<Void> discard(long offset, long length) {
        return runDeferred(done -> store.discard(this, offset, length, done));
    }

    @Override
    public Future<Void> flush() {
        return runDeferred(done -> store.userFlush(this, done));
    }

    @Override
    public Future<Void> resize(long newSize) {
        return runDeferred(done -> store.resize(this, newSize, done));
    }

    @Override
    public Future<Void> updateFeatures(Set<ImageFeature> features, boolean enabled) {
        return run(() -> {
            store.updateFeatures(this, features, enabled);
            return null;
        });
    }

    @Override
    public Future<Void> objectMapRebuild() {
        return run(() -> {
            store.rebuildObjectMap(this);
            return null;
        });
    }

    @Override
    public Future<List<SnapInfo>> listSnaps() {
        return run(() -> store.listSnaps(this));
    }

    @Override
    public Future<Long> createSnap(String name) {
        long[] id = new long[1];
        return runDeferred(done -> store.createUserSnap(this, name, created -> id[0] = created, done)).map(v -> id[0]);
    }

    @Override
    public Future<Void> removeSnap(String name) {
        return runDeferred(done -> store.removeSnap(this, name, done));
    }

    @Override
    public Future<Void> removeSnapById(long id) {
        return runDeferred(done -> store.removeSnapById(this, id, done));
    }

    @Override
    public Future<Void> rollbackSnap(String name) {
        return runDeferred(done -> store.rollbackSnap(this, name, done));
    }

    @Override
    public Future<Void> protectSnap(String name) {
        return run(() -> {
            store.setProtected(this, name, true);
            return null;
        });
    }

    @Override
    public Future<Void> unprotectSnap(String name) {
        return run(() -> {
            store.setProtected(this, name, false);
            return null;
        });
    }

    @Override
    public Future<List<DiffExtent>> diff(Long fromSnapId, long offset, long length, boolean wholeObject) {
        return run(() -> store.diff(this, fromSnapId, offset, length, wholeObject));
    }

    @Override
    public Future<Void> lockAcquire() {
        return run(() -> {
            store.lockAcquire(this);
            return null;
        });
    }

    @Override
    public Future<Void> lockRelease() {
        return run(() -> {
            store.lockRelease(this);
            return null;
        });
    }

    @Override
    public Future<List<String>> lockOwners() {
        return run(() -> store.lockOwners(this));
    }

    @Override
    public Future<Void> lockBreak(String owner) {
        return run(() -> {
            store.lockBreak(this, owner);
            return null;
        });
    }

    @Override
    public Future<Watch> updateWatch(Runnable onUpdate) {
        if (closed) {
            return Future.failedFuture(ClusterException.invalid("image handle of " + store.spec() + " is closed"));
        }
        return Future.succeededFuture(store.cluster().watches.watch(store.watchKey(), payload -> onUpdate.run()));
    }

    @Override
    public Future<Void> mirrorEnable(MirrorImageMode mode) {
        return run(() -> {
            ImageMirroring.enable(store, this, mode);
            return null;
        });
    }

    @Override
    public Future<Void> mirrorDisable(boolean force) {
        return run(() -> {
            ImageMirroring.disable(store, this, force, false);
            return null;
        });
    }

    /** Disabling as a pool's mode change does it (whatever the pool's mode, without force). */
    Future<Void> mirrorDisableForPool() {
        return run(() -> {
            ImageMirroring.disable(store, this, false, true);
            return null;
        });
    }

    /** Unlinks a removed peer from every mirror-snapshot of the image. */
    Future<Void> mirrorUnlinkPeerEverywhere(String peerUuid) {
        return run(() -> {
            ImageMirroring.unlinkEverywhere(store, this, peerUuid);
            return null;
        });
    }

    @Override
    public Future<Void> mirrorPromote(boolean force) {
        return run(() -> {
            ImageMirroring.promote(store, this, force);
            return null;
        });
    }

    @Override
    public Future<Void> mirrorDemote() {
        return run(() -> {
            ImageMirroring.demote(store, this);
            return null;
        });
    }

    @Override
    public Future<Void> mirrorResync() {
        return run(() -> {
            ImageMirroring.resync(store, this);
            return null;
        });
    }

    @Override
    public Future<Long> mirrorCreateSnapshot() {
        return run(() -> store.mirrorCreatePrimarySnapshot(this));
    }

    @Override
    public Future<MirrorImageInfo> mirrorInfo() {
        return run(() -> ImageMirroring.info(store, this));
    }

    @Override
    public Future<MirrorImageGlobalStatus> mirrorGlobalStatus() {
        return run(() -> ImageMirroring.globalStatus(store, this, java.time.Instant.now()));
    }

    @Override
    public Future<Long> mirrorCreateNonPrimarySnapshot(String primaryMirrorUuid, long primarySnapId,
                                                       Map<Long, Long> snapSeqs, boolean demoted) {
        return EmbeddedReplicas.createNonPrimarySnapshot(this, primaryMirrorUuid, primarySnapId, snapSeqs, demoted);
    }

    @Override
    public Future<Boolean> mirrorResyncRequested() {
        return EmbeddedReplicas.resyncRequested(this);
    }

    @Override
    public Future<Void> mirrorSnapshotSetCopyProgress(long id, boolean complete, long lastCopiedObjectNumber) {
        return run(() -> {
            store.mirrorSnapshotSetCopyProgress(this, id, complete, lastCopiedObjectNumber);
            return null;
        });
    }

    @Override
    public Future<Void> mirrorSnapshotUnlinkPeer(long id, String peerUuid) {
        return run(() -> {
            store.mirrorSnapshotUnlinkPeer(this, id, peerUuid);
            return null;
        });
    }

    @Override
    public Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        return run(() -> {
            store.closeHandle(this);
            return null;
        }).transform(result -> store.released().transform(ignored -> result.succeeded()
            ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(result.cause())));
    }
}
