package io.mirrorhost.replayer.journal;

import io.mirrorhost.api.cluster.JournalTag;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.replayer.snapshot.Promotion;

/**
 * The local copy of a journal-mirrored image: its id, its mirroring record (null when it has none),
 * its journal's current tag (null when it has none) and whether an operator asked for a resync.
 */
public record LocalCopy(String imageId, MirrorImageInfo info, JournalTag tag, boolean resyncRequested) {

    /** librbd's {@code Journal::is_tag_owner} and {@code mirror::GetInfoRequest} for journal mode: the tag's owner decides. */
    public Promotion promotion() {
        if (tag == null) {
            return Promotion.UNKNOWN;
        }
        return switch (tag.mirrorUuid()) {
            case JournalTag.LOCAL -> Promotion.PRIMARY;
            case JournalTag.ORPHAN -> Promotion.ORPHAN;
            default -> Promotion.NON_PRIMARY;
        };
    }

    public boolean mirrored() {
        return info != null && info.state() == MirrorImageState.ENABLED;
    }

    /** Whether its journal's epoch is owned by {@code mirrorUuid}: it replays that peer. */
    public boolean ownedBy(String mirrorUuid) {
        return tag != null && tag.mirrorUuid().equals(mirrorUuid);
    }
}
