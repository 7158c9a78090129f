package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.ImageLockAndWatch;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@link ImageLockAndWatch} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledImageLockAndWatch extends ImageLockAndWatch {

    @Override
    default Future<Void> lockAcquire() {
        return RoleFakes.notModelled("Image.lockAcquire");
    }

    @Override
    default Future<Void> lockRelease() {
        return RoleFakes.notModelled("Image.lockRelease");
    }

    @Override
    default Future<List<String>> lockOwners() {
        return RoleFakes.notModelled("Image.lockOwners");
    }

    @Override
    default Future<Void> lockBreak(String owner) {
        return RoleFakes.notModelled("Image.lockBreak");
    }

    @Override
    default Future<Watch> updateWatch(Runnable onUpdate) {
        return RoleFakes.notModelled("Image.updateWatch");
    }
}
