package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.DiffExtent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;

/**
 * {@code rbd_diff_iterate2} over the version index: an object changed between two points when
 * the versions they see differ. Whole-object diffs come from the index alone, without reading data
 * (what fast-diff gives librbd). Exact extents come from what the versions wrote (their
 * {@link ObjectVersion#written} since the version both points read through), also without reading
 * data; only where that is unknown (stores from before it was kept) are the two versions' data
 * compared in 4 KiB blocks, as librbd does without an object map.
 */
final class ImageDiff {
    /** The point "before anything": no version is visible there. */
    static final long BEGINNING = Long.MIN_VALUE;
    private static final int COMPARE_BLOCK = 4096;

    interface Versions {
        ObjectVersion visibleAt(long objno, long point);
    }

    interface History {
        /** Every version of an object, oldest first (an overlay's base is the one before it). */
        List<ObjectVersion> of(long objno);
    }

    interface Reader {
        /** Reads a version's bytes at {@code position} of its object into a zeroed buffer. */
        void read(ObjectVersion version, long position, ByteBuffer into) throws IOException;
    }

    private final int order;
    private final SortedSet<Long> objects;
    private final Versions versions;
    private final History history;
    private final Reader reader;

    /** {@code objects}: the objects that have any version; no other can differ between two points. */
    ImageDiff(int order, SortedSet<Long> objects, Versions versions, History history, Reader reader) {
        this.order = order;
        this.objects = objects;
        this.versions = versions;
        this.history = history;
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
        if (offset >= end) {
            return extents;
        }
        for (long objno : objects.subSet(offset >>> order, ((end - 1) >>> order) + 1)) {
            long objStart = objno << order;
            long start = Math.max(offset, objStart);
            long objEnd = Math.min(objStart + objectSize, end);
            ObjectVersion a = from == BEGINNING ? null : versions.visibleAt(objno, from);
            ObjectVersion b = versions.visibleAt(objno, to);
            if (a != b) {
                long s = wholeObject ? objStart : start;
                long e = wholeObject ? Math.min(objStart + objectSize, toSize) : objEnd;
                ExtentSet changed = wholeObject || b == null ? null : changed(objno, a, b);
                if (wholeObject || b == null) {
                    add(extents, s, e - s, b != null);
                } else if (changed != null) {
                    for (long[] r : changed.list()) {
                        long rs = Math.max(objStart + r[0], s);
                        long re = Math.min(objStart + r[1], e);
                        if (rs < re) {
                            add(extents, rs, re - rs, true);
                        }
                    }
                } else {
                    compareData(extents, a, b, objStart, s, e);
                }
            }
        }
        return extents;
    }

    /**
     * What may differ between versions {@code a} (null: none) and {@code b} of one object: what
     * each wrote since the version both read through, or, without one, all either wrote (outside
     * that both read zeros). Null when a version on the way does not know what it wrote.
     */
    private ExtentSet changed(long objno, ObjectVersion a, ObjectVersion b) {
        List<ObjectVersion> all = history.of(objno);
        List<ObjectVersion> chainB = chain(all, b);
        List<ObjectVersion> chainA = a == null ? List.of() : chain(all, a);
        ExtentSet out = new ExtentSet();
        ObjectVersion common = null;
        for (ObjectVersion v : chainB) {
            if (chainA.contains(v)) {
                common = v;
                break;
            }
        }
        for (List<ObjectVersion> chain : List.of(chainB, chainA)) {
            for (ObjectVersion v : chain) {
                if (v == common) {
                    break;
                }
                if (v.written == null) {
                    return null;
                }
                out.addAll(v.written);
            }
        }
        return out;
    }

    /** {@code v} and the versions it reads through, newest first. */
    private static List<ObjectVersion> chain(List<ObjectVersion> all, ObjectVersion v) {
        List<ObjectVersion> chain = new ArrayList<>();
        int i = all.indexOf(v);
        chain.add(v);
        while (i > 0 && all.get(i).overlay) {
            i--;
            chain.add(all.get(i));
        }
        return chain;
    }

    private void compareData(List<DiffExtent> out, ObjectVersion a, ObjectVersion b, long objStart, long s, long e)
        throws IOException {
        int n = (int) (e - s);
        byte[] before = new byte[n];
        byte[] after = new byte[n];
        if (a != null) {
            reader.read(a, s - objStart, ByteBuffer.wrap(before));
        }
        reader.read(b, s - objStart, ByteBuffer.wrap(after));
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
