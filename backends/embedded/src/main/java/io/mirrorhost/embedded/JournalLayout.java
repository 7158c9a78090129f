package io.mirrorhost.embedded;

import java.util.ArrayList;
import java.util.List;

/**
 * A journal's immutable shape and Ceph's arithmetic on it ({@code JournalRecorder},
 * {@code JournalMetadata::committed}, {@code JournalTrimmer}): objects of {@code 2^order} bytes, sets
 * of {@code splayWidth} objects, entry {@code t} of set {@code s} in object {@code s*W + t%W}.
 */
record JournalLayout(int order, int splayWidth, int maxPayloadBytes) {
    /** librbd 16.2's defaults: {@code rbd_journal_order}, {@code rbd_journal_splay_width}, {@code rbd_journal_max_payload_bytes}. */
    static final JournalLayout DEFAULT = new JournalLayout(24, 4, 16384);

    JournalLayout {
        if (order < 12 || order > 26 || splayWidth < 1 || splayWidth > 255 || maxPayloadBytes < 1) {
            throw new IllegalArgumentException("invalid journal layout: order " + order + ", splay width "
                + splayWidth + ", max payload " + maxPayloadBytes);
        }
    }

    long objectSize() {
        return 1L << order;
    }

    /** {@code Journaler::get_max_append_size}: the largest payload one entry may carry. */
    int maxAppendSize() {
        return (int) Math.min(objectSize() - JournalFraming.OVERHEAD, maxPayloadBytes);
    }

    long objectNumber(long set, long entryTid) {
        return set * splayWidth + entryTid % splayWidth;
    }

    long setOf(long objectNumber) {
        return objectNumber / splayWidth;
    }

    /**
     * A client's commit position after it committed {@code entry} (most recent first, one per
     * splay offset, as {@code JournalMetadata::committed} keeps it).
     */
    List<JournalPosition> committed(List<JournalPosition> positions, JournalPosition entry) {
        List<JournalPosition> next = new ArrayList<>();
        next.add(entry);
        long offset = entry.objectNumber() % splayWidth;
        for (JournalPosition p : positions) {
            if (p.objectNumber() % splayWidth != offset) {
                next.add(p);
            }
        }
        return List.copyOf(next);
    }

    /**
     * {@code JournalTrimmer::handle_metadata_updated}: the set below which every connected client
     * has committed (an empty position pins the minimum set); sets from {@code minimumSet} up to
     * it may be removed.
     */
    long trimTarget(long minimumSet, long activeSet, List<List<JournalPosition>> connectedPositions) {
        long target = activeSet;
        for (List<JournalPosition> positions : connectedPositions) {
            if (positions.isEmpty()) {
                return minimumSet;
            }
            for (JournalPosition p : positions) {
                target = Math.min(target, setOf(p.objectNumber()));
            }
        }
        return Math.max(target, minimumSet);
    }
}
