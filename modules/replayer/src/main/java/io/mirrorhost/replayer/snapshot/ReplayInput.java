package io.mirrorhost.replayer.snapshot;

/**
 * Everything the snapshot replayer decides from, read afresh before every step.
 *
 * @param local            the local copy, or null when there is none
 * @param remote           the remote copy, or null when it is gone or no longer mirrored
 * @param localMirrorUuid  the local pool's mirror uuid
 * @param remoteMirrorUuid the remote pool's mirror uuid
 * @param remotePeerUuid   this site's peer uuid in the remote pool: what remote primary snapshots list
 * @param resyncRequested  an operator flagged the local copy for resync
 * @param replaying        this replayer already got past bootstrap in its current run
 * @param maxSnapshots     {@code rbd_mirroring_max_mirroring_snapshots}
 */
public record ReplayInput(ImageSide local, ImageSide remote, String localMirrorUuid, String remoteMirrorUuid,
                          String remotePeerUuid, boolean resyncRequested, boolean replaying, int maxSnapshots) {
}
