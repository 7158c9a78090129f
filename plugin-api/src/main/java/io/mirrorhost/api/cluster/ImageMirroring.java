package io.mirrorhost.api.cluster;

import io.vertx.core.Future;

/**
 * The image's mirroring as an administrator drives it ({@code rbd_mirror_image_*}): enabled,
 * disabled, promoted, demoted and resynced by {@code rbd mirror image} commands, mirror-snapshots
 * taken by {@code rbd mirror image snapshot} and the snapshot schedule, its state read by both
 * and by the replayer.
 */
public interface ImageMirroring {

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
}
