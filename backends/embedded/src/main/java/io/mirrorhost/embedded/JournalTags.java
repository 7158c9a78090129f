package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.JournalTag;
import java.util.List;

/**
 * librbd's rules for a journal's next tag ({@code Journal::allocate_local_tag},
 * {@code journal::DemoteRequest}, {@code journal::PromoteRequest}); pure, the caller stores the tag.
 * {@code imageClient} is the image client's commit position (most recent first), {@code next} the
 * tid cls_journal hands out next.
 */
final class JournalTags {
    private JournalTags() {
    }

    /** Exclusive lock acquired on a primary image: a new local epoch after the image client's last commit. */
    static JournalTag onLockAcquired(JournalTag current, long next, List<JournalPosition> imageClient) {
        if (current != null && !current.ownedLocally()) {
            throw new ClusterException(io.mirrorhost.api.Errno.EPERM, "librbd::journal::StandardPolicy: "
                + "allocate_tag_on_lock: local image not promoted");
        }
        return new JournalTag(next, current == null ? 0 : current.tagClass(), JournalTag.LOCAL,
            predecessorOf(JournalTag.LOCAL, imageClient));
    }

    /**
     * Demotion: the epoch is orphaned, linked to the image client's last commit ({@code current} is
     * null while the primary has written nothing since its journal began).
     */
    static JournalTag demote(JournalTag current, long next, List<JournalPosition> imageClient) {
        if (current != null && !current.ownedLocally()) {
            throw ClusterException.invalid("librbd::journal::DemoteRequest: image is not currently the primary");
        }
        return new JournalTag(next, current == null ? 0 : current.tagClass(), JournalTag.ORPHAN,
            predecessorOf(JournalTag.LOCAL, imageClient));
    }

    /**
     * Promotion: an orderly one links to the demotion epoch's single entry; a forced one starts
     * "an epoch no peers can link against" (entry 0 of the current tag); a journal without tags
     * starts unlinked.
     */
    static JournalTag promote(JournalTag current, long next, boolean force) {
        if (current == null) {
            return new JournalTag(next, 0, JournalTag.LOCAL, JournalTag.Predecessor.NONE);
        }
        boolean orderly = !force && JournalTag.ORPHAN.equals(current.mirrorUuid());
        JournalTag.Predecessor predecessor = orderly
            ? new JournalTag.Predecessor(JournalTag.ORPHAN, true, current.tid(), 1)
            : new JournalTag.Predecessor(JournalTag.LOCAL, true, current.tid(), 0);
        return new JournalTag(next, current.tagClass(), JournalTag.LOCAL, predecessor);
    }

    private static JournalTag.Predecessor predecessorOf(String owner, List<JournalPosition> imageClient) {
        if (imageClient.isEmpty()) {
            return new JournalTag.Predecessor(owner, false, 0, 0);
        }
        JournalPosition last = imageClient.get(0);
        return new JournalTag.Predecessor(owner, true, last.tagTid(), last.entryTid());
    }
}
