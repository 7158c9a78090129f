package io.mirrorhost.api.cluster;

import java.util.List;

/**
 * A peer site's client of a journal (librbd's {@code MirrorPeerClientMeta}): registered by that
 * site's replayer under its own mirror uuid, with the id of its local copy of the image, whether
 * the copy is still being synced in full or replays entries, and how far it has committed.
 */
public record JournalPeerClient(String mirrorUuid, String imageId, SyncState state,
                                List<JournalStatus.ObjectPosition> commitPosition, boolean connected) {

    /** librbd's {@code MirrorPeerState}. */
    public enum SyncState { SYNCING, REPLAYING }
}
