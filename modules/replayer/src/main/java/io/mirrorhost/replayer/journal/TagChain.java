package io.mirrorhost.replayer.journal;

import io.mirrorhost.api.cluster.JournalTag;
import java.util.List;

/**
 * Whether the local copy's journal epoch links to the remote journal's tags, as rbd-mirror's
 * {@code PrepareReplayRequest::handle_get_remote_tags} decides at bootstrap; and the translation of
 * a remote tag into the local one ({@code journal::Replayer::allocate_local_tag}). Tag tids are
 * compared across the two journals because translated tags keep the remote predecessor's tid.
 */
final class TagChain {
    enum Link { CLEAN_REPLAY, REMOTE_DEMOTED_PROMOTED, SPLIT_BRAIN }

    private TagChain() {
    }

    static Link link(JournalTag local, List<JournalTag> remoteTags, String localMirrorUuid, String remoteMirrorUuid) {
        JournalTag.Predecessor localPred = local.predecessor();
        boolean remoteTagRead = false;
        Long remoteOrphanTagTid = null;
        for (JournalTag remote : remoteTags) {
            if (localPred.commitValid() && localPred.mirrorUuid().equals(remoteMirrorUuid)
                    && localPred.tagTid() > remote.tid()) {
                continue; // a remote tag this copy already replayed
            }
            remoteTagRead = true;
            if (!localPred.commitValid()) {
                // a freshly synced copy replays from the first epoch the remote owned
                if (remote.ownedLocally()) {
                    break;
                }
                continue;
            }
            if (JournalTag.ORPHAN.equals(local.mirrorUuid())) {
                JournalTag.Predecessor remotePred = remote.predecessor();
                if (JournalTag.ORPHAN.equals(remote.mirrorUuid()) && remotePred.commitValid()
                        && remotePred.tagTid() == localPred.tagTid()
                        && matchingDemotion(localPred, remotePred, localMirrorUuid, remoteMirrorUuid)) {
                    remoteOrphanTagTid = remote.tid();
                    continue;
                }
                if (remote.ownedLocally() && JournalTag.ORPHAN.equals(remotePred.mirrorUuid())
                        && remotePred.commitValid() && remoteOrphanTagTid != null
                        && remotePred.tagTid() == remoteOrphanTagTid) {
                    return Link.REMOTE_DEMOTED_PROMOTED;
                }
                remoteOrphanTagTid = null; // a promotion must follow the demotion
            }
        }
        if (local.mirrorUuid().equals(remoteMirrorUuid) && (remoteTagRead || !localPred.commitValid())) {
            // (a remote that has written nothing has no tag yet: a fresh copy of it is linked all the same)
            return Link.CLEAN_REPLAY;
        }
        return Link.SPLIT_BRAIN;
    }

    /** Local demoted and the remote has the matching event, or the remote demoted and the local has it. */
    private static boolean matchingDemotion(JournalTag.Predecessor localPred, JournalTag.Predecessor remotePred,
                                            String localMirrorUuid, String remoteMirrorUuid) {
        return (remotePred.mirrorUuid().equals(localMirrorUuid) && localPred.mirrorUuid().equals(JournalTag.LOCAL))
                || (localPred.mirrorUuid().equals(remoteMirrorUuid) && remotePred.mirrorUuid().equals(JournalTag.LOCAL));
    }

    /** The owner of a remote epoch (or of its predecessor) as the local journal names it. */
    static String translate(String remoteOwner, String localMirrorUuid, String remoteMirrorUuid) {
        if (remoteOwner.equals(JournalTag.LOCAL)) {
            return remoteMirrorUuid;
        }
        return remoteOwner.equals(localMirrorUuid) ? JournalTag.LOCAL : remoteOwner;
    }

    static JournalTag.Predecessor translate(JournalTag.Predecessor p, String localMirrorUuid, String remoteMirrorUuid) {
        return new JournalTag.Predecessor(translate(p.mirrorUuid(), localMirrorUuid, remoteMirrorUuid), p.commitValid(),
                p.tagTid(), p.entryTid());
    }
}
