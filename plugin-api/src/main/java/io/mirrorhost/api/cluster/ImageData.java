package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The image's bytes ({@code rbd_aio_read / write / discard / flush}, {@code rbd_diff_iterate2}):
 * read and written by {@code rbd} export, import and bench, and by the replayer, which asks what
 * changed between two snapshots and copies just that.
 */
public interface ImageData {

    /** Reads {@code length} bytes at {@code offset}; unwritten ranges read as zeros. */
    Future<Buffer> read(long offset, int length);

    /**
     * Reads several extents in one call and returns their bytes concatenated in the order given, as
     * if each were {@link #read}; what rbd-mirror's object copier gets from one sparse read of an
     * object's changed extents. On a remote cluster it is one round trip instead of one per extent.
     * Every extent must lie within the image (EINVAL otherwise: the concatenation has no short reads).
     */
    Future<Buffer> readExtents(List<Extent> extents);

    /** Writes; durable once a later {@link #flush()} has completed. EROFS on a snapshot or non-primary image. */
    Future<Void> write(long offset, Buffer data);

    /** Deallocates a range; it then reads as zeros. */
    Future<Void> discard(long offset, long length);

    /** Makes every write acknowledged before this call durable. */
    Future<Void> flush();

    /**
     * The extents that differ between snapshot {@code fromSnapId} (null: the beginning, an empty
     * image) and this handle's point (its snapshot, or the head), as {@code rbd_diff_iterate2};
     * answered from object maps when the image has fast-diff, without reading data. With
     * {@code wholeObject} extents are whole objects.
     */
    Future<List<DiffExtent>> diff(Long fromSnapId, long offset, long length, boolean wholeObject);
}
