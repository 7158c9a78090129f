package io.mirrorhost.embedded;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * librbd's object-map flags ({@code RBD_FLAG_*}) of an image's head and of each snapshot, as
 * {@code rbd info} shows them. Our object map is derived from the version index and never wrong, but
 * librbd marks a new map invalid when object-map is enabled (on the head and every snapshot) until
 * {@code rbd object-map rebuild}, and a snapshot taken meanwhile inherits the head's flags.
 *
 * <p>A snapshot's flags are its own entry if it has one, else the head's when it was taken after the
 * head's flags last changed ({@code headSince}, the image's snapshot sequence then), else none. So
 * taking a snapshot needs no bookkeeping; before the head's flags change, the snapshots that inherit
 * them get entries of their own.
 */
final class ObjectMapFlags {
    /** {@code RBD_FLAG_OBJECT_MAP_INVALID}. */
    static final long OBJECT_MAP_INVALID = 1;
    /** {@code RBD_FLAG_FAST_DIFF_INVALID}. */
    static final long FAST_DIFF_INVALID = 1 << 1;

    private long head;
    private long headSince;
    private final Map<Long, Long> snaps = new TreeMap<>();

    /** The flags of the head ({@code snapId} null) or of a snapshot. */
    long of(Long snapId) {
        if (snapId == null) {
            return head;
        }
        Long own = snaps.get(snapId);
        if (own != null) {
            return own;
        }
        return snapId > headSince ? head : 0;
    }

    /**
     * Sets (or clears) {@code flags} on the head and every snapshot, as enabling (or disabling) object-map
     * does ({@code SetFlagsRequest} over all of them).
     */
    void change(long flags, boolean set, long snapSeq, Collection<Long> snapIds) {
        for (long id : snapIds) {
            long now = of(id);
            snaps.put(id, set ? now | flags : now & ~flags);
        }
        setHead(set ? head | flags : head & ~flags, snapSeq, snapIds);
    }

    /** Clears every flag of the head or of one snapshot, as a successful rebuild of its map does. */
    void rebuilt(Long snapId, long snapSeq, Collection<Long> snapIds) {
        if (snapId == null) {
            setHead(0, snapSeq, snapIds);
        } else {
            snaps.put(snapId, 0L);
        }
    }

    private void setHead(long flags, long snapSeq, Collection<Long> snapIds) {
        for (long id : snapIds) {
            snaps.putIfAbsent(id, of(id));
        }
        snaps.keySet().retainAll(Set.copyOf(snapIds));
        snaps.values().removeIf(f -> f == 0);
        head = flags;
        headSince = snapSeq;
    }

    /** The names {@code rbd info} prints, in bit order. */
    static Set<String> names(long flags) {
        Set<String> names = new LinkedHashSet<>();
        if ((flags & OBJECT_MAP_INVALID) != 0) {
            names.add("object map invalid");
        }
        if ((flags & FAST_DIFF_INVALID) != 0) {
            names.add("fast diff invalid");
        }
        return names;
    }

    /** A copy to change, so that the flags in use change only once the change is committed. */
    ObjectMapFlags copy() {
        return decode(encode());
    }

    /** {@code head headSince [snapId=flags ...]}, space-separated. */
    String encode() {
        StringBuilder out = new StringBuilder().append(head).append(' ').append(headSince);
        snaps.forEach((id, f) -> out.append(' ').append(id).append('=').append(f));
        return out.toString();
    }

    static ObjectMapFlags decode(String text) {
        ObjectMapFlags flags = new ObjectMapFlags();
        String[] parts = text.trim().split(" ");
        flags.head = Long.parseLong(parts[0]);
        flags.headSince = Long.parseLong(parts[1]);
        for (int i = 2; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            flags.snaps.put(Long.parseLong(parts[i].substring(0, eq)), Long.parseLong(parts[i].substring(eq + 1)));
        }
        return flags;
    }
}
