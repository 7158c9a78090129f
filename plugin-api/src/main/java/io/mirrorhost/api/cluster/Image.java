package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An open image, as librbd's {@code rbd_image_t}. Opened at the head (read-write unless the image
 * is non-primary) or at a snapshot (read-only). Every call is asynchronous; failures are
 * {@link ClusterException}s carrying librbd's errno. Close it when done.
 */
public interface Image {

    ImageSpec spec();

    /** The snapshot this handle reads, or null for the head. */
    Long snapId();

    Future<ImageInfo> info();

    // --- I/O (rbd_aio_read / write / discard / flush) ---

    /** Reads {@code length} bytes at {@code offset}; unwritten ranges read as zeros. */
    Future<Buffer> read(long offset, int length);

    /**
     * Reads several extents in one call and returns their bytes concatenated in the order given, as
     * if each were {@link #read}; what rbd-mirror's object copier gets from one sparse read of an
     * object's changed extents. On a remote cluster it is one round trip instead of one per extent.
     * Every extent must lie within the image (EINVAL otherwise: the concatenation has no short reads).
     */
    Future<Buffer> readExtents(List<Extent> extents);

    /** Writes; durable once a later {@link #flush()} has completed. EROFS on a snapshot or non-primary image. */
    Future<Void> write(long offset, Buffer data);

    /** Deallocates a range; it then reads as zeros. */
    Future<Void> discard(long offset, long length);

    /** Makes every write acknowledged before this call durable. */
    Future<Void> flush();

    Future<Void> resize(long newSize);

    /** Enables or disables features ({@code rbd_update_features}), with librbd's dependency rules. */
    Future<Void> updateFeatures(Set<ImageFeature> features, boolean enabled);

    /**
     * Rebuilds the object map of this handle's point, the head or its snapshot
     * ({@code rbd_rebuild_object_map}), clearing its invalid flags; EINVAL without the object-map feature.
     */
    Future<Void> objectMapRebuild();

    // --- snapshots (rbd_snap_*) ---

    /** Every snapshot, all namespaces, oldest first. */
    Future<List<SnapInfo>> listSnaps();

    /** Creates a user snapshot; returns its id. */
    Future<Long> createSnap(String name);

    Future<Void> removeSnap(String name);

    /** Removes a snapshot of any namespace by id (mirror-snapshots have generated names). */
    Future<Void> removeSnapById(long snapId);

    Future<Void> rollbackSnap(String name);

    Future<Void> protectSnap(String name);

    Future<Void> unprotectSnap(String name);

    /**
     * The extents that differ between snapshot {@code fromSnapId} (null: the beginning, an empty
     * image) and this handle's point (its snapshot, or the head), as {@code rbd_diff_iterate2};
     * answered from object maps when the image has fast-diff, without reading data. With
     * {@code wholeObject} extents are whole objects.
     */
    Future<List<DiffExtent>> diff(Long fromSnapId, long offset, long length, boolean wholeObject);

    // --- exclusive lock (rbd_lock_acquire / release / get_owners / break) ---

    Future<Void> lockAcquire();

    Future<Void> lockRelease();

    Future<List<String>> lockOwners();

    Future<Void> lockBreak(String owner);

    // --- watch (rbd_update_watch) ---

    /** Calls {@code onUpdate} whenever the image's header changes (size, snapshots, features, mirroring). */
    Future<Watch> updateWatch(Runnable onUpdate);

    // --- mirroring (rbd_mirror_image_*) ---

    Future<Void> mirrorEnable(MirrorImageMode mode);

    Future<Void> mirrorDisable(boolean force);

    Future<Void> mirrorPromote(boolean force);

    Future<Void> mirrorDemote();

    /** Flags the image for resync; the replayer acts on the flag. */
    Future<Void> mirrorResync();

    /** Creates a primary mirror-snapshot, pruning the oldest beyond the limit; returns its id. */
    Future<Long> mirrorCreateSnapshot();

    Future<MirrorImageInfo> mirrorInfo();

    Future<MirrorImageGlobalStatus> mirrorGlobalStatus();

    // --- the replayer's side of snapshot mirroring (librbd internals rbd-mirror uses) ---

    /**
     * Creates a non-primary mirror-snapshot recording which primary snapshot it copies; incomplete
     * until {@link #mirrorSnapshotSetCopyProgress} marks it complete.
     */
    default Future<Long> mirrorCreateNonPrimarySnapshot(String primaryMirrorUuid, long primarySnapId,
                                                        Map<Long, Long> snapSeqs) {
        return mirrorCreateNonPrimarySnapshot(primaryMirrorUuid, primarySnapId, snapSeqs, false);
    }

    /**
     * As {@link #mirrorCreateNonPrimarySnapshot(String, long, Map)}; with {@code demoted} the snapshot
     * copies a demotion (NON_PRIMARY_DEMOTED, linked to the pool's tx peers), after which the copy
     * may be promoted without force (librbd's {@code CreateNonPrimaryRequest}).
     */
    Future<Long> mirrorCreateNonPrimarySnapshot(String primaryMirrorUuid, long primarySnapId,
                                                Map<Long, Long> snapSeqs, boolean demoted);

    /** Whether {@code rbd mirror image resync} flagged this copy (librbd's {@code resync_requested}). */
    Future<Boolean> mirrorResyncRequested();

    Future<Void> mirrorSnapshotSetCopyProgress(long snapId, boolean complete, long lastCopiedObjectNumber);

    /** Removes {@code peerUuid} from a primary mirror-snapshot's peers (the snapshot stays). */
    Future<Void> mirrorSnapshotUnlinkPeer(long snapId, String peerUuid);

    Future<Void> close();
}
