package io.mirrorhost.replayer.journal;

import io.mirrorhost.api.cluster.JournalPeerClient;

/**
 * Everything the journal replayer decides from, read afresh before every step.
 *
 * @param local            the local copy, or null when there is none
 * @param remote           the remote image, or null when it is gone or no longer mirrored
 * @param client           this site's client in the remote journal, or null when not registered
 * @param localMirrorUuid  the local pool's mirror uuid (this site's client id in remote journals)
 * @param remoteMirrorUuid the remote pool's mirror uuid
 * @param replaying        this replayer already got past bootstrap in its current run
 * @param progress         how far this run has replayed, and the head of the remote journal after it
 * @param options          the image's replay settings
 * @param nowMillis        the time of this decision
 */
public record JournalReplayInput(LocalCopy local, RemoteImage remote, JournalPeerClient client, String localMirrorUuid,
                                 String remoteMirrorUuid, boolean replaying, ReplayProgress progress,
                                 ReplayOptions options, long nowMillis) {

    /**
     * @param resyncAfterDisconnect {@code rbd_mirroring_resync_after_disconnect}
     * @param replayDelaySeconds    {@code rbd_mirroring_replay_delay}
     * @param commitAgeMillis       {@code rbd_mirror_journal_commit_age}: the longest applied entries wait uncommitted while more follow
     */
    public record ReplayOptions(boolean resyncAfterDisconnect, long replayDelaySeconds, long commitAgeMillis) {
    }
}
