package io.mirrorhost.embedded;

/**
 * cls_journal's {@code Tag} with librbd's {@code TagData}: the epoch an entry belongs to, owned by
 * {@code mirrorUuid} ({@code ""} = this cluster, the image is primary; {@code "<orphan>"} = demoted),
 * and the last committed position of the epoch before it.
 */
record JournalTag(long tid, long tagClass, String mirrorUuid, Predecessor predecessor) {
    static final String LOCAL = "";
    static final String ORPHAN = "<orphan>";

    record Predecessor(String mirrorUuid, boolean commitValid, long tagTid, long entryTid) {
        static final Predecessor NONE = new Predecessor(LOCAL, false, 0, 0);
    }

    boolean ownedLocally() {
        return LOCAL.equals(mirrorUuid);
    }
}
