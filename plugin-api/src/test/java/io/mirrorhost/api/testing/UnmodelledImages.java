package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.Images;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@link Images} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledImages extends Images {

    @Override
    default Future<List<ImageEntry>> listImages(PoolNamespace where) {
        return RoleFakes.notModelled("Cluster.listImages");
    }

    @Override
    default Future<Void> createImage(ImageSpec spec, ImageOptions options) {
        return RoleFakes.notModelled("Cluster.createImage");
    }

    @Override
    default Future<Void> removeImage(ImageSpec spec) {
        return RoleFakes.notModelled("Cluster.removeImage");
    }

    @Override
    default Future<Void> renameImage(ImageSpec spec, String newName) {
        return RoleFakes.notModelled("Cluster.renameImage");
    }

    @Override
    default Future<Image> openImage(ImageSpec spec) {
        return RoleFakes.notModelled("Cluster.openImage");
    }

    @Override
    default Future<Image> openImageById(PoolNamespace where, String imageId) {
        return RoleFakes.notModelled("Cluster.openImageById");
    }

    @Override
    default Future<Image> openImageAtSnap(PoolNamespace where, String imageId, long snapId) {
        return RoleFakes.notModelled("Cluster.openImageAtSnap");
    }

    @Override
    default Future<Image> openImageForReplay(PoolNamespace where, String imageId) {
        return RoleFakes.notModelled("Cluster.openImageForReplay");
    }
}
