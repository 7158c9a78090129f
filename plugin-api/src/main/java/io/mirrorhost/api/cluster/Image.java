package io.mirrorhost.api.cluster;

/**
 * An open image, as librbd's {@code rbd_image_t}, and the sum of its roles; a class that needs only
 * some of them takes those roles, not the whole image:
 * <ul>
 * <li>{@link ImageHandle}: what the handle is open on, the image's header info, closing it;</li>
 * <li>{@link ImageData}: reading, writing, discarding, flushing and diffing the bytes;</li>
 * <li>{@link ImageShape}: size, features and object map;</li>
 * <li>{@link ImageSnapshots}: listing, creating, removing, rolling back and protecting snapshots;</li>
 * <li>{@link ImageLockAndWatch}: the exclusive lock and the header watch;</li>
 * <li>{@link ImageMirroring}: enabling, promoting, demoting, resyncing, mirror-snapshots, mirror state;</li>
 * <li>{@link ImageReplay}: what the replayer records on the copies it fills.</li>
 * </ul>
 * Opened at the head (read-write unless the image is non-primary) or at a snapshot (read-only).
 * Every call is asynchronous; failures are {@link ClusterException}s carrying librbd's errno. Close
 * it when done.
 */
public interface Image extends ImageHandle, ImageData, ImageShape, ImageSnapshots, ImageLockAndWatch, ImageMirroring,
        ImageReplay {
}
