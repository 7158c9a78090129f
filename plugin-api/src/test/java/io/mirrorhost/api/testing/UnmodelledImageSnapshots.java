package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.ImageSnapshots;
import io.mirrorhost.api.cluster.SnapInfo;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@link ImageSnapshots} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledImageSnapshots extends ImageSnapshots {

    @Override
    default Future<List<SnapInfo>> listSnaps() {
        return RoleFakes.notModelled("Image.listSnaps");
    }

    @Override
    default Future<Long> createSnap(String name) {
        return RoleFakes.notModelled("Image.createSnap");
    }

    @Override
    default Future<Void> removeSnap(String name) {
        return RoleFakes.notModelled("Image.removeSnap");
    }

    @Override
    default Future<Void> removeSnapById(long snapId) {
        return RoleFakes.notModelled("Image.removeSnapById");
    }

    @Override
    default Future<Void> rollbackSnap(String name) {
        return RoleFakes.notModelled("Image.rollbackSnap");
    }

    @Override
    default Future<Void> protectSnap(String name) {
        return RoleFakes.notModelled("Image.protectSnap");
    }

    @Override
    default Future<Void> unprotectSnap(String name) {
        return RoleFakes.notModelled("Image.unprotectSnap");
    }
}
