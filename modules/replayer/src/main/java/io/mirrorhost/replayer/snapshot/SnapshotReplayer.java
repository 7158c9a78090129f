package io.mirrorhost.replayer.snapshot;

import io.mirrorhost.api.cluster.MirrorImageState;

import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.replayer.snapshot.ReplayAction.CopySnapshot;
import io.mirrorhost.replayer.snapshot.ReplayAction.CreateLocalImage;
import io.mirrorhost.replayer.snapshot.ReplayAction.DeleteLocalImage;
import io.mirrorhost.replayer.snapshot.ReplayAction.Finished;
import io.mirrorhost.replayer.snapshot.ReplayAction.Idle;
import io.mirrorhost.replayer.snapshot.ReplayAction.PruneLocalSnapshot;
import io.mirrorhost.replayer.snapshot.ReplayAction.Stop;
import io.mirrorhost.replayer.snapshot.ReplayAction.UnlinkRemoteSnapshot;
import java.util.List;
import java.util.TreeSet;

/**
 * The decisions of rbd-mirror's snapshot replayer (ImageReplayer bootstrap plus
 * {@code image_replayer/snapshot/Replayer.cc}'s local and remote scans), without any I/O: given
 * both copies' mirror-snapshots it answers the one next action. The caller executes it, re-reads
 * both sides and asks again.
 */
public final class SnapshotReplayer {
    public static final String LOCAL_PRIMARY = "local image is primary";
    public static final String FORCE_PROMOTED = "force promoted";
    public static final String REMOTE_NON_PRIMARY = "remote image is non-primary";
    public static final String REMOTE_GONE = "remote image no longer exists";
    public static final String RESYNC_REQUESTED = "resync requested";
    public static final String SPLIT_BRAIN = "split-brain";
    public static final String SPLIT_BRAIN_DETECTED = "split-brain detected";
    public static final String REMOTE_DEMOTED = "remote image demoted";
    public static final String ORPHAN = "orphan (force promoting)";
    public static final String UNKNOWN_PEER = "local image linked to unknown peer";
    public static final String INCOMPLETE_LOCAL_PRIMARY = "incomplete local primary snapshot";
    public static final String BOOTSTRAP_ERROR = "error bootstrapping replay";

    private SnapshotReplayer() {
    }

    public static ReplayAction next(ReplayInput in) {
        ReplayAction bootstrap = bootstrap(in);
        return bootstrap != null ? bootstrap : replay(in);
    }

    /** ImageReplayer's bootstrap outcomes (notes §1.8, §4.1-4.3); null when replay may proceed. */
    private static ReplayAction bootstrap(ReplayInput in) {
        ImageSide local = in.local();
        ImageSide remote = in.remote();
        if (remote == null) {
            // an image whose mirroring was disabled here (its mirror snapshots gone with it) is the
            // user's again, never a copy to delete
            if (local == null || local.info() == null || local.info().state() != MirrorImageState.ENABLED) {
                return new Finished();
            }
            if (local.promotion() == Promotion.PRIMARY) {
                return stopped(LOCAL_PRIMARY);
            }
            return linked(in) ? new DeleteLocalImage(REMOTE_GONE, false) : error(BOOTSTRAP_ERROR);
        }
        if (local != null && local.promotion() == Promotion.PRIMARY) {
            return stopped(in.replaying() ? FORCE_PROMOTED : LOCAL_PRIMARY);
        }
        if (local != null && local.info() != null && remote.info() != null
                && local.info().mode() != remote.info().mode()) {
            return error(SPLIT_BRAIN_DETECTED);
        }
        if (remote.disabling() || (remote.promotion() != Promotion.PRIMARY
                && (local == null || local.promotion() == Promotion.UNKNOWN))) {
            return new Stop(MirrorImageStatusState.UNKNOWN, REMOTE_NON_PRIMARY);
        }
        if (local == null) {
            return new CreateLocalImage();
        }
        if (in.resyncRequested() && remote.promotion() == Promotion.PRIMARY) {
            return new DeleteLocalImage(RESYNC_REQUESTED, true);
        }
        return null;
    }

    /** The local copy follows this remote: non-primary linked to it, or never synced at all. */
    private static boolean linked(ReplayInput in) {
        SnapInfo newest = in.local().newest();
        if (newest == null) {
            return true;
        }
        MirrorSnapshotInfo m = newest.mirror();
        return !m.state().isPrimary() && m.primaryMirrorUuid().equals(in.remoteMirrorUuid());
    }

    private static ReplayAction replay(ReplayInput in) {
        String remoteName = in.remote().name();
        if (remoteName != null && in.local().name() != null && !remoteName.equals(in.local().name())) {
            return new ReplayAction.RenameLocalImage(remoteName);
        }
        LocalScan local = LocalScan.of(in.local().mirrorSnaps());
        if (local.error != null) {
            return error(local.error);
        }
        if (local.prune != null) {
            return new PruneLocalSnapshot(local.prune);
        }
        SnapInfo newest = in.local().newest();
        Long remoteStart = null;
        if (newest != null) {
            MirrorSnapshotInfo m = newest.mirror();
            if (m.state() == MirrorSnapshotState.NON_PRIMARY || m.state() == MirrorSnapshotState.NON_PRIMARY_DEMOTED) {
                if (m.primaryMirrorUuid().isEmpty()) {
                    return stopped(ORPHAN);
                }
                if (!m.primaryMirrorUuid().equals(in.remoteMirrorUuid())) {
                    return error(UNKNOWN_PEER);
                }
                if (m.complete()) {
                    remoteStart = m.primarySnapId();
                }
            }
        }
        ReplayAction overLimit = pruneBeyondLimit(in, local);
        if (overLimit != null) {
            return overLimit;
        }
        return RemoteScan.of(in, local, newest, remoteStart).decide(in, local);
    }

    /**
     * Local mirror-snapshots beyond the limit (old demotion snapshots after failovers) go, oldest
     * first, but never the sync base, an in-progress copy or a primary snapshot a peer still needs.
     */
    private static ReplayAction pruneBeyondLimit(ReplayInput in, LocalScan local) {
        List<SnapInfo> snaps = in.local().mirrorSnaps();
        if (snaps.size() <= in.maxSnapshots()) {
            return null;
        }
        SnapInfo newest = snaps.get(snaps.size() - 1);
        for (SnapInfo s : snaps) {
            boolean needed = s.id() == newest.id()
                    || (local.start != null && s.id() == local.start)
                    || (local.end != null && s.id() == local.end)
                    || !s.mirror().mirrorPeerUuids().isEmpty();
            if (!needed) {
                return new PruneLocalSnapshot(s.id());
            }
        }
        return null;
    }

    static Stop stopped(String description) {
        return new Stop(MirrorImageStatusState.STOPPED, description);
    }

    static Stop error(String description) {
        return new Stop(MirrorImageStatusState.ERROR, description);
    }

    /** Notes §2.5: the local scan. */
    static final class LocalScan {
        Long start;
        Long end;
        SnapInfo endSnap;
        SnapInfo last;
        Long prune;
        String error;

        static LocalScan of(List<SnapInfo> snaps) {
            LocalScan scan = new LocalScan();
            TreeSet<Long> candidates = new TreeSet<>();
            for (SnapInfo s : snaps) {
                scan.last = s;
                MirrorSnapshotInfo m = s.mirror();
                if (!m.state().isPrimary()) {
                    if (m.complete()) {
                        scan.start = s.id();
                        if (m.mirrorPeerUuids().isEmpty()) {
                            candidates.add(s.id());
                        }
                    } else if (m.lastCopiedObjectNumber() == 0 && scan.start != null) {
                        // an interrupted copy that never got going is removed and made again
                        candidates.clear();
                        candidates.add(s.id());
                        break;
                    } else {
                        scan.end = s.id();
                        scan.endSnap = s;
                        break;
                    }
                } else if (m.complete()) {
                    scan.start = s.id();
                } else {
                    scan.error = INCOMPLETE_LOCAL_PRIMARY;
                    return scan;
                }
            }
            if (scan.start != null) {
                candidates.remove(scan.start);
            }
            scan.prune = candidates.isEmpty() ? null : candidates.first();
            return scan;
        }
    }

    /**
     * Notes §2.6: the remote scan, split-brain detection and the choice of the next delta. Only
     * remote snapshots that list this site's peer uuid count: the primary links each snapshot to
     * the peers that still have to copy it, so the linked ones are exactly what this site owes
     * itself, and one this site already unlinked can never be a base again.
     */
    static final class RemoteScan {
        Long start;
        Long end;
        SnapInfo endSnap;
        int pending;
        boolean splitBrain;
        boolean remoteDemoted;
        final TreeSet<Long> unlink = new TreeSet<>();

        static RemoteScan of(ReplayInput in, LocalScan local, SnapInfo localNewest, Long initialStart) {
            RemoteScan scan = new RemoteScan();
            scan.start = initialStart;
            // a copy created but never synced has no mirror-snapshot yet: it gets a full copy
            boolean haveLocal = local.start != null || local.end != null;
            MirrorSnapshotInfo localNs = localNewest == null ? null : localNewest.mirror();
            for (SnapInfo s : in.remote().mirrorSnaps()) {
                MirrorSnapshotInfo m = s.mirror();
                // the newest one decides (linked to us or not): a demotion after everything this
                // site copied ends replay once it is copied
                scan.remoteDemoted = m.state().isDemoted();
                if (!m.mirrorPeerUuids().contains(in.remotePeerUuid())) {
                    continue;
                }
                if (haveLocal) {
                    if (!localNs.state().isPrimary()) {
                        // everything before the next target is only kept for us until we let go
                        // (the base and the target themselves are taken out in decide)
                        if (scan.end == null) {
                            scan.unlink.add(s.id());
                        }
                        // a complete local copy holds its own primary snapshot, so that one is
                        // the base; an incomplete one is still copying it, so that one is the
                        // target (resumed) and only the snapshots before it can be the base
                        if (localNs.complete() && localNs.primarySnapId() >= s.id()) {
                            scan.start = s.id();
                            continue;
                        }
                        if (!localNs.complete() && localNs.primarySnapId() > s.id()) {
                            scan.start = s.id();
                            continue;
                        }
                    } else if (localNs.state() == MirrorSnapshotState.PRIMARY_DEMOTED) {
                        // we were demoted and the peer promoted: its history continues ours only
                        // from its copy of our demotion (non-primary demoted, of our newest
                        // snapshot), which its daemon makes before an orderly promotion. That
                        // copy is the base. A snapshot linked to us before it (an older demotion
                        // of the peer, after a failover loop) is split-brain only until the copy
                        // shows up; a peer promoted without ever copying it (forced) stays so.
                        if (m.state() == MirrorSnapshotState.NON_PRIMARY_DEMOTED
                                && m.primaryMirrorUuid().equals(in.localMirrorUuid())
                                && m.primarySnapId() == local.start) {
                            scan.start = s.id();
                            scan.splitBrain = false;
                            continue;
                        }
                        if (scan.start == null) {
                            scan.splitBrain = true;
                            continue;
                        }
                    }
                } else if (!m.state().isPrimary()) {
                    // a fresh copy starts from the remote's own data, never from its copy of
                    // another site's snapshot
                    continue;
                }
                scan.pending++;
                if (scan.end == null) {
                    scan.end = s.id();
                    scan.endSnap = s;
                }
            }
            // without its base this copy cannot be related to the remote's history (only a delta
            // from the base would be right), so replacing it is left to an operator's resync
            if (scan.start != null && in.remote().byId(scan.start) == null) {
                scan.splitBrain = true;
            }
            return scan;
        }

        ReplayAction decide(ReplayInput in, LocalScan local) {
            // unlinking tells the primary a snapshot may go; in a split-brain this site follows
            // nothing, so it lets go of nothing either. The base stays linked until the delta from
            // it is copied (without it only a full copy would do), and so does the target.
            if (!splitBrain) {
                if (start != null) {
                    unlink.remove(start);
                }
                if (end != null) {
                    unlink.remove(end);
                }
                if (!unlink.isEmpty()) {
                    long id = unlink.first();
                    return new UnlinkRemoteSnapshot(id, removable(in, id));
                }
            }
            if (splitBrain) {
                return error(SPLIT_BRAIN);
            }
            if (end != null) {
                // an interrupted copy can only be finished from the snapshot it started from
                if (local.end != null && local.endSnap.mirror().primarySnapId() != end) {
                    return error(SPLIT_BRAIN);
                }
                // the primary has not finished taking it yet; its completion notifies us
                if (!endSnap.mirror().complete()) {
                    return new Idle(pending);
                }
                boolean resume = local.end != null;
                return new CopySnapshot(start, end, local.start, resume ? local.end : null,
                        resume ? local.endSnap.mirror().lastCopiedObjectNumber() : 0,
                        endSnap.mirror().state().isDemoted(), pending);
            }
            // an interrupted copy whose snapshot the remote no longer lists for us
            if (local.end != null) {
                return error(SPLIT_BRAIN);
            }
            // everything copied and the remote demoted: nothing comes until a side is promoted
            if (remoteDemoted) {
                return new Stop(MirrorImageStatusState.UNKNOWN, REMOTE_DEMOTED);
            }
            return new Idle(0);
        }

        /** UnlinkPeerRequest: a snapshot left without peers goes when a newer mirror-snapshot exists. */
        private static boolean removable(ReplayInput in, long id) {
            SnapInfo s = in.remote().byId(id);
            boolean onlyUs = s.mirror().mirrorPeerUuids().equals(java.util.Set.of(in.remotePeerUuid()));
            return onlyUs && in.remote().newest().id() != id;
        }
    }
}
