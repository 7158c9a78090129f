package io.mirrorhost.api.cluster;

import java.util.List;

/**
 * Entries read from a journal, in order, and whether they reach its end ({@code endOfJournal}:
 * nothing was appended after the last of them when it was read).
 */
public record JournalBatch(List<Entry> entries, boolean endOfJournal) {

    /** One entry: where it is (its tag is {@code position.tagTid()}), when it was appended, what it records. */
    public record Entry(JournalStatus.ObjectPosition position, long timestampMillis, JournalEvent event) {
    }
}
