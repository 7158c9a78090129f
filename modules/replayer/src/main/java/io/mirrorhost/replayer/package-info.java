/**
 * The rbd-mirror daemon's job, snapshot-based mirroring.
 *
 * <p>Shape: {@link io.mirrorhost.replayer.ReplayerModule} refreshes the pools' mirroring
 * configuration and runs one {@link io.mirrorhost.replayer.PoolReplayer} per pool with a receiving
 * peer; it connects to the peer, finds this site's peer uuid there, and runs one
 * {@link io.mirrorhost.replayer.NamespaceReplayer} per mirrored namespace, which watches both
 * sites' {@code rbd_mirroring} objects, offers the global ids it sees to the site's instances
 * ({@code context.assignment()}; {@link io.mirrorhost.replayer.AssignedImages} keeps this instance's
 * share with each image's fence token) and keeps one {@link io.mirrorhost.replayer.ImageReplayer}
 * per global image id assigned here, its local writes made through {@code cluster().fenced(token)}.
 * A released image's replayer is handed over: it stops, and the release is acknowledged once its
 * writes in flight have completed. An image replayer only executes: each step it reads both copies, asks the
 * pure {@link io.mirrorhost.replayer.snapshot.SnapshotReplayer} for the next action (create the
 * copy, copy a delta, unlink, prune, stop with a status, delete the copy) and carries it out with
 * {@link io.mirrorhost.replayer.ImageCopier}; statuses go to both sites. Every action has its
 * method in {@link io.mirrorhost.replayer.snapshot.ReplayAction.Handler}, so a new action does not
 * compile until the replayer executes it.
 *
 * <p>An image replayer's state is one {@link io.mirrorhost.replayer.ImageReplayer.Phase}:
 * BOOTSTRAPPING (nothing replayed in this run: new, or after a Stop action or a failed pass),
 * SYNCING (the first, full copy: reported {@code up+syncing}), REPLAYING (copying deltas or
 * waiting for the next primary snapshot), and the final STOPPED (the daemon stopped it, the image
 * was released, or the storage refused a write under its fence: another instance has it) and
 * FINISHED (neither copy exists; its statuses are removed). Passes run one at a time; a change
 * notification during one asks for one more after it.
 *
 * <p>The replica side uses the SPI's replay calls: {@code Cluster.mirrorCreateNonPrimaryImage},
 * {@code Cluster.openImageForReplay} (the local copy is always opened that way, so it accepts the
 * replayer's writes, discards, resizes and user snapshots while its newest mirror-snapshot is an
 * incomplete non-primary one), {@code Image.mirrorCreateNonPrimarySnapshot(..., demoted)} and
 * {@code Image.mirrorResyncRequested}. A backend gives an incomplete non-primary snapshot the
 * image's content as it is when {@code mirrorSnapshotSetCopyProgress(id, true, n)} completes it.
 */
package io.mirrorhost.replayer;
