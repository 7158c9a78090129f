package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.ImageMirroring;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.vertx.core.Future;

/**
 * {@link ImageMirroring} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledImageMirroring extends ImageMirroring {

    @Override
    default Future<Void> mirrorEnable(MirrorImageMode mode) {
        return RoleFakes.notModelled("Image.mirrorEnable");
    }

    @Override
    default Future<Void> mirrorDisable(boolean force) {
        return RoleFakes.notModelled("Image.mirrorDisable");
    }

    @Override
    default Future<Void> mirrorPromote(boolean force) {
        return RoleFakes.notModelled("Image.mirrorPromote");
    }

    @Override
    default Future<Void> mirrorDemote() {
        return RoleFakes.notModelled("Image.mirrorDemote");
    }

    @Override
    default Future<Void> mirrorResync() {
        return RoleFakes.notModelled("Image.mirrorResync");
    }

    @Override
    default Future<Long> mirrorCreateSnapshot() {
        return RoleFakes.notModelled("Image.mirrorCreateSnapshot");
    }

    @Override
    default Future<MirrorImageInfo> mirrorInfo() {
        return RoleFakes.notModelled("Image.mirrorInfo");
    }

    @Override
    default Future<MirrorImageGlobalStatus> mirrorGlobalStatus() {
        return RoleFakes.notModelled("Image.mirrorGlobalStatus");
    }
}
