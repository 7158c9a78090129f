package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.ImageHandle;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageSpec;
import io.vertx.core.Future;

/**
 * {@link ImageHandle} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledImageHandle extends ImageHandle {

    @Override
    default ImageSpec spec() {
        throw RoleFakes.notModelledException("Image.spec");
    }

    @Override
    default Long snapId() {
        throw RoleFakes.notModelledException("Image.snapId");
    }

    @Override
    default Future<ImageInfo> info() {
        return RoleFakes.notModelled("Image.info");
    }

    @Override
    default Future<Void> close() {
        return RoleFakes.notModelled("Image.close");
    }
}
