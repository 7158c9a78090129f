package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageShape;
import io.vertx.core.Future;
import java.util.Set;

/**
 * {@link ImageShape} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledImageShape extends ImageShape {

    @Override
    default Future<Void> resize(long newSize) {
        return RoleFakes.notModelled("Image.resize");
    }

    @Override
    default Future<Void> updateFeatures(Set<ImageFeature> features, boolean enabled) {
        return RoleFakes.notModelled("Image.updateFeatures");
    }

    @Override
    default Future<Void> objectMapRebuild() {
        return RoleFakes.notModelled("Image.objectMapRebuild");
    }
}
