package io.mirrorhost.replayer.journal;

import io.mirrorhost.api.cluster.JournalStatus.ObjectPosition;

/**
 * How far one run of the replayer has got.
 *
 * @param appliedThrough   the last remote entry applied locally (committed or not); null before the first
 * @param remoteTagTid     the remote tag whose entries are being replayed, linked this run; null until the first link
 * @param next             the remote journal's first entry after {@code appliedThrough}, or null when there is none yet
 * @param unflushedEntries entries applied but not yet committed
 * @param unflushedSince   when the oldest of them was applied (epoch millis)
 */
public record ReplayProgress(ObjectPosition appliedThrough, Long remoteTagTid, NextEntry next, int unflushedEntries,
                             long unflushedSince) {

    /** The head of the remote journal: where it is ({@code position.tagTid()} is its tag) and when it was appended. */
    public record NextEntry(ObjectPosition position, long timestampMillis) {
    }
}
