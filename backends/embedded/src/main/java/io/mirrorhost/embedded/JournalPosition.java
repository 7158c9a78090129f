package io.mirrorhost.embedded;

/** Where an entry is: cls_journal's {@code ObjectPosition} (object number, tag tid, entry tid). */
record JournalPosition(long objectNumber, long tagTid, long entryTid) {
    /** Parses {@link #toString()}'s compact form {@code object:tag:entry}. */
    static JournalPosition parse(String text) {
        String[] p = text.split(":");
        return new JournalPosition(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]));
    }

    String compact() {
        return objectNumber + ":" + tagTid + ":" + entryTid;
    }
}
