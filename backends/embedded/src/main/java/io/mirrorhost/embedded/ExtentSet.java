package io.mirrorhost.embedded;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Disjoint, non-adjacent byte ranges {@code [start, end)} within one object: the ranges an object
 * version wrote itself. Small by construction (callers cap the number of ranges).
 */
final class ExtentSet {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    static ExtentSet of(long start, long end) {
        ExtentSet s = new ExtentSet();
        s.add(start, end);
        return s;
    }

    ExtentSet copy() {
        ExtentSet s = new ExtentSet();
        s.ranges.putAll(ranges);
        return s;
    }

    /** Adds {@code [start, end)}; true when the set changed. */
    boolean add(long start, long end) {
        if (start >= end) {
            return false;
        }
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= end) {
            return false;
        }
        long s = start;
        long e = end;
        if (before != null && before.getValue() >= s) {
            s = before.getKey();
            e = Math.max(e, before.getValue());
            ranges.remove(before.getKey());
        }
        Map.Entry<Long, Long> next = ranges.ceilingEntry(s);
        while (next != null && next.getKey() <= e) {
            e = Math.max(e, next.getValue());
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(s);
        }
        ranges.put(s, e);
        return true;
    }

    void addAll(ExtentSet other) {
        other.ranges.forEach(this::add);
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    int rangeCount() {
        return ranges.size();
    }

    long totalLength() {
        long n = 0;
        for (Map.Entry<Long, Long> r : ranges.entrySet()) {
            n += r.getValue() - r.getKey();
        }
        return n;
    }

    boolean covers(long start, long end) {
        Map.Entry<Long, Long> r = ranges.floorEntry(start);
        return r != null && r.getValue() >= end;
    }

    /** The set's ranges as {start, end} pairs, in order. */
    List<long[]> list() {
        List<long[]> out = new ArrayList<>(ranges.size());
        ranges.forEach((s, e) -> out.add(new long[] {s, e}));
        return out;
    }

    /** The parts of {@code [start, end)} this set does not hold, in order. */
    List<long[]> gaps(long start, long end) {
        List<long[]> out = new ArrayList<>();
        long pos = start;
        Map.Entry<Long, Long> r = ranges.floorEntry(start);
        if (r != null && r.getValue() > pos) {
            pos = r.getValue();
        }
        for (Map.Entry<Long, Long> e : ranges.subMap(start, true, end, false).entrySet()) {
            if (e.getKey() > pos) {
                out.add(new long[] {pos, e.getKey()});
            }
            pos = Math.max(pos, e.getValue());
        }
        if (pos < end) {
            out.add(new long[] {pos, end});
        }
        return out;
    }

    /** The parts of this set that {@code other} does not hold. */
    ExtentSet minus(ExtentSet other) {
        ExtentSet out = new ExtentSet();
        for (Map.Entry<Long, Long> r : ranges.entrySet()) {
            for (long[] g : other.gaps(r.getKey(), r.getValue())) {
                out.add(g[0], g[1]);
            }
        }
        return out;
    }

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(ranges.size() * 16);
        ranges.forEach((s, e) -> b.putLong(s).putLong(e));
        return b.array();
    }

    static ExtentSet decode(byte[] bytes) {
        ExtentSet s = new ExtentSet();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.remaining() >= 16) {
            s.add(b.getLong(), b.getLong());
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtentSet other && ranges.equals(other.ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        ranges.forEach((s, e) -> sb.append(sb.length() > 1 ? ", " : "").append('[').append(s).append(',').append(e).append(')'));
        return sb.append('}').toString();
    }
}
