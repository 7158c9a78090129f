package io.mirrorhost.api.cluster;

/**
 * cls_journal's {@code Tag} with librbd's {@code TagData}: the epoch an entry belongs to, owned by
 * {@code mirrorUuid} ({@code ""} = this cluster, the image is primary; {@code "<orphan>"} = demoted),
 * and the last committed position of the epoch before it.
 */
public record JournalTag(long tid, long tagClass, String mirrorUuid, Predecessor predecessor) {
    public static final String LOCAL = "";
    public static final String ORPHAN = "<orphan>";

    public record Predecessor(String mirrorUuid, boolean commitValid, long tagTid, long entryTid) {
        public static final Predecessor NONE = new Predecessor(LOCAL, false, 0, 0);
    }

    public boolean ownedLocally() {
        return LOCAL.equals(mirrorUuid);
    }
}
