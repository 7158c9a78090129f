package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.List;

/**
 * The images of a pool or namespace ({@code rbd_list2}, {@code rbd_create4}, {@code rbd_remove},
 * {@code rbd_rename}, {@code rbd_open}): listed and opened by every module that works on images,
 * created, removed and renamed by {@code rbd} commands and by the replayer for its local copies.
 * An opened {@link Image} is the caller's to close.
 */
public interface Images {

    Future<List<ImageEntry>> listImages(PoolNamespace where);

    Future<Void> createImage(ImageSpec spec, ImageOptions options);

    /** Removes an image; ENOTEMPTY while it has user snapshots, EBUSY while it is open elsewhere (librbd). */
    Future<Void> removeImage(ImageSpec spec);

    Future<Void> renameImage(ImageSpec spec, String newName);

    Future<Image> openImage(ImageSpec spec);

    Future<Image> openImageById(PoolNamespace where, String imageId);

    /** Opens an image read-only at a snapshot ({@code rbd_open_by_id} then {@code rbd_snap_set_by_id}). */
    Future<Image> openImageAtSnap(PoolNamespace where, String imageId, long snapId);

    /**
     * Opens a non-primary image for the mirror daemon that replays into it: while its newest
     * mirror-snapshot is an incomplete non-primary one, the handle may write, discard, resize and
     * create user snapshots, which other clients of a non-primary image may not (librbd's
     * {@code read_only_mask} without {@code IMAGE_READ_ONLY_FLAG_NON_PRIMARY}, as rbd-mirror opens it).
     */
    Future<Image> openImageForReplay(PoolNamespace where, String imageId);
}
