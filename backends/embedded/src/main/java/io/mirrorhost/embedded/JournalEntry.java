package io.mirrorhost.embedded;

import java.util.Arrays;

/** One journal entry as Ceph frames it ({@code src/journal/Entry.h}): its tag, its tid within the tag, its payload. */
record JournalEntry(long tagTid, long entryTid, byte[] payload) {
    @Override
    public boolean equals(Object o) {
        return o instanceof JournalEntry e && e.tagTid == tagTid && e.entryTid == entryTid
            && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(tagTid) * 31 + Long.hashCode(entryTid) * 17 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "JournalEntry[tag=" + tagTid + ", entry=" + entryTid + ", " + payload.length + " bytes]";
    }
}
