package io.mirrorhost.embedded;

/**
 * The bytes in each object of the active set, and when the set must advance: an entry that would
 * take its object past {@code 2^order} bytes closes the whole set and goes to the next one
 * ({@code ObjectRecorder} overflow, {@code JournalRecorder::close_and_advance_object_set}).
 * Not thread-safe: the image's lane drives it.
 */
final class JournalSetFill {
    private final JournalLayout layout;
    private final long[] bytes;
    private long activeSet;

    JournalSetFill(JournalLayout layout, long activeSet) {
        this.layout = layout;
        this.bytes = new long[layout.splayWidth()];
        this.activeSet = activeSet;
    }

    /** Where an entry goes; {@code advanced} when it opens a new set. */
    record Placement(long set, long objectNumber, boolean advanced) {
    }

    Placement place(long entryTid, int frameBytes) {
        int offset = (int) (entryTid % layout.splayWidth());
        boolean advance = bytes[offset] > 0 && bytes[offset] + frameBytes > layout.objectSize();
        if (advance) {
            activeSet++;
            java.util.Arrays.fill(bytes, 0);
        }
        bytes[offset] += frameBytes;
        return new Placement(activeSet, layout.objectNumber(activeSet, entryTid), advance);
    }

    /** Counts an entry already in the active set (found when the journal is reopened). */
    void recount(long entryTid, int frameBytes) {
        bytes[(int) (entryTid % layout.splayWidth())] += frameBytes;
    }

    long activeSet() {
        return activeSet;
    }
}
