package io.mirrorhost.api.cluster;

import java.util.List;

/** A journal's object sets and registered clients ({@code rbd journal status}). */
public record JournalStatus(long minimumSet, long activeSet, List<JournalClient> clients) {

    /** cls_journal's {@code ObjectPosition}. */
    public record ObjectPosition(long objectNumber, long tagTid, long entryTid) {
    }

    /**
     * A registered client: the image itself ({@code ""}) or a peer site's rbd-mirror (its mirror
     * uuid), its commit position (most recent first) and whether it is still connected.
     */
    public record JournalClient(String id, List<ObjectPosition> commitPosition, boolean connected) {
    }
}
