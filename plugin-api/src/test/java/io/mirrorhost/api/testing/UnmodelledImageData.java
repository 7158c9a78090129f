package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Extent;
import io.mirrorhost.api.cluster.ImageData;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * {@link ImageData} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledImageData extends ImageData {

    @Override
    default Future<Buffer> read(long offset, int length) {
        return RoleFakes.notModelled("Image.read");
    }

    @Override
    default Future<Buffer> readExtents(List<Extent> extents) {
        return RoleFakes.notModelled("Image.readExtents");
    }

    @Override
    default Future<Void> write(long offset, Buffer data) {
        return RoleFakes.notModelled("Image.write");
    }

    @Override
    default Future<Void> discard(long offset, long length) {
        return RoleFakes.notModelled("Image.discard");
    }

    @Override
    default Future<Void> flush() {
        return RoleFakes.notModelled("Image.flush");
    }

    @Override
    default Future<List<DiffExtent>> diff(Long fromSnapId, long offset, long length, boolean wholeObject) {
        return RoleFakes.notModelled("Image.diff");
    }
}
