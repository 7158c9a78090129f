package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.DiffExtent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code rbd_diff_iterate2} over the version index: an object changed between two points when
 * the versions they see differ. Whole-object diffs come from the index alone, without reading data
 * (what fast-diff gives librbd); otherwise, as librbd does, the changed objects' data is compared
 * in 4 KiB blocks to narrow the extents.
 */
final class ImageDiff {
    /** The point "before anything": no version is visible there. */
    static final long BEGINNING = Long.MIN_VALUE;
    private static final int COMPARE_BLOCK = 4096;

    interface Versions {
        ObjectVersion visibleAt(long objno, long point);
    }

    interface Reader {
        void read(String fileName, long position, ByteBuffer into) throws IOException;
    }

    private final int order;
    private final Versions versions;
    private final Reader reader;

    ImageDiff(int order, Versions versions, Reader reader) {
        this.order = order;
        this.versions = versions;
        this.reader = reader;
    }

    /**
     * Extents of {@code [offset, offset + length)} (cut at {@code toSize}) that differ between the
     * points {@code from} and {@code to}.
     */
    List<DiffExtent> between(long from, long to, long toSize, long offset, long length, boolean wholeObject)
        throws IOException {
        long objectSize = 1L << order;
        long end = Math.min(toSize, offset + length);
        List<DiffExtent> extents = new ArrayList<>();
        for (long start = offset; start < end; ) {
            long objno = start >>> order;
            long objStart = objno << order;
            long objEnd = Math.min(objStart + objectSize, end);
            ObjectVersion a = from == BEGINNING ? null : versions.visibleAt(objno, from);
            ObjectVersion b = versions.visibleAt(objno, to);
            if (a != b) {
                long s = wholeObject ? objStart : start;
                long e = wholeObject ? Math.min(objStart + objectSize, toSize) : objEnd;
                if (wholeObject || b == null) {
                    add(extents, s, e - s, b != null);
                } else {
                    compareData(extents, a, b, objStart, s, e);
                }
            }
            start = objEnd;
        }
        return extents;
    }

    private void compareData(List<DiffExtent> out, ObjectVersion a, ObjectVersion b, long objStart, long s, long e)
        throws IOException {
        int n = (int) (e - s);
        byte[] before = new byte[n];
        byte[] after = new byte[n];
        if (a != null) {
            reader.read(a.fileName(), s - objStart, ByteBuffer.wrap(before));
        }
        reader.read(b.fileName(), s - objStart, ByteBuffer.wrap(after));
        for (int i = 0; i < n; i += COMPARE_BLOCK) {
            int len = Math.min(COMPARE_BLOCK, n - i);
            if (!Arrays.equals(before, i, i + len, after, i, i + len)) {
                add(out, s + i, len, true);
            }
        }
    }

    /** Appends, merging with the previous extent when adjacent and of the same kind. */
    private static void add(List<DiffExtent> extents, long offset, long length, boolean exists) {
        if (!extents.isEmpty()) {
            DiffExtent last = extents.get(extents.size() - 1);
            if (last.exists() == exists && last.offset() + last.length() == offset) {
                extents.set(extents.size() - 1, new DiffExtent(last.offset(), last.length() + length, exists));
                return;
            }
        }
        extents.add(new DiffExtent(offset, length, exists));
    }
}
