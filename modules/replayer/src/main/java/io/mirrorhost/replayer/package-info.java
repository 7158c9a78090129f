/**
 * The rbd-mirror daemon's job, snapshot-based mirroring.
 *
 * <p>Shape: {@link io.mirrorhost.replayer.ReplayerModule} refreshes the pools' mirroring
 * configuration and runs one {@link io.mirrorhost.replayer.PoolReplayer} per pool with a receiving
 * peer; it connects to the peer, finds this site's peer uuid there, and runs one
 * {@link io.mirrorhost.replayer.NamespaceReplayer} per mirrored namespace, which watches both
 * sites' {@code rbd_mirroring} objects and keeps one {@link io.mirrorhost.replayer.ImageReplayer}
 * per global image id. An image replayer only executes: each step it reads both copies, asks the
 * pure {@link io.mirrorhost.replayer.snapshot.SnapshotReplayer} for the next action (create the
 * copy, copy a delta, unlink, prune, stop with a status, delete the copy) and carries it out with
 * {@link io.mirrorhost.replayer.ImageCopier}; statuses go to both sites.
 *
 * <p>What a backend must do for a replayer to work on it, beyond the cluster SPI's documented calls
 * (the SPI gaps are behind {@link io.mirrorhost.replayer.ReplicaOps}):
 * <ul>
 *   <li>create an image as the mirror-enabled, snapshot-mode, non-primary copy of a given global id;</li>
 *   <li>accept the replayer's writes, discards and resizes on a non-primary image while its newest
 *       mirror-snapshot is an incomplete non-primary one, and give that snapshot the image's content
 *       as it is when {@code mirrorSnapshotSetCopyProgress(id, true, n)} marks it complete;</li>
 *   <li>report the resync flag set by {@code mirrorResync};</li>
 *   <li>create a non-primary snapshot as demoted (copying a demotion), listing the pool's tx peers.</li>
 * </ul>
 */
package io.mirrorhost.replayer;
