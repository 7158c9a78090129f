package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * librbd's rules for creating primary mirror-snapshots and pruning them, free of I/O
 * ({@code mirror/snapshot/Utils.cc can_create_primary_snapshot},
 * {@code CreatePrimaryRequest::unlink_peer}, {@code UnlinkPeerRequest}).
 */
final class MirrorSnapshotRules {
    private static final String UTIL = "librbd::mirror::snapshot::util:  can_create_primary_snapshot: ";

    private MirrorSnapshotRules() {
    }

    /** What must happen before a primary snapshot can be created ({@code can_create_primary_snapshot}). */
    record CreatePlan(boolean requiresOrphan, Long rollbackSnapId) {
    }

    /**
     * Whether a primary (or, with {@code demoted}, demoted primary) snapshot may follow the image's
     * mirror-snapshots; EINVAL with librbd's line if not.
     */
    static CreatePlan canCreatePrimary(List<Snap> oldestFirst, boolean demoted, boolean force) {
        List<Snap> mirror = oldestFirst.stream().filter(s -> s.mirror() != null).toList();
        for (int i = mirror.size() - 1; i >= 0; i--) {
            MirrorSnapshotInfo m = mirror.get(i).mirror();
            if (m.state().isDemoted() && !force) {
                throw ClusterException.invalid(UTIL + "trying to create primary snapshot without force when previous"
                    + " primary snapshot is demoted");
            }
            if (m.state() != MirrorSnapshotState.NON_PRIMARY) {
                return new CreatePlan(false, null);
            }
            if (!force) {
                throw ClusterException.invalid(UTIL + "trying to create primary snapshot without force when previous"
                    + " snapshot is non-primary");
            }
            if (demoted) {
                throw ClusterException.invalid(UTIL + "trying to create primary demoted snapshot when previous"
                    + " snapshot is non-primary");
            }
            Long rollback = null;
            if (!m.complete()) {
                for (int j = i; j >= 0 && rollback == null; j--) {
                    if (mirror.get(j).mirror().complete()) {
                        rollback = mirror.get(j).id();
                    }
                }
                if (rollback == null) {
                    throw ClusterException.invalid(UTIL + "cannot rollback");
                }
            }
            return new CreatePlan(true, rollback);
        }
        return new CreatePlan(false, null);
    }

    /** The orphan snapshot a forced promotion records first: non-primary, demoted, of no primary. */
    static MirrorSnapshotInfo orphan() {
        return new MirrorSnapshotInfo(MirrorSnapshotState.NON_PRIMARY_DEMOTED, true, Set.of(), "", -1, 0, Map.of());
    }

    /** One peer to unlink from one snapshot. */
    record Unlink(long snapId, String peerUuid) {
    }

    /**
     * The next unlink after a primary snapshot linked to {@code peers} was created
     * ({@code CreatePrimaryRequest::unlink_peer}): a snapshot linked to nobody, or an incomplete
     * primary one, goes first; then, for a peer linked to more than {@code max} primary snapshots
     * since the last non-primary one, the newest pre-existing one (the oldest, which the peer's
     * daemon may still sync from, are kept).
     */
    static Optional<Unlink> nextUnlink(List<Snap> oldestFirst, Set<String> peers, int max) {
        List<Snap> mirror = oldestFirst.stream().filter(s -> s.mirror() != null).toList();
        for (String peer : peers) {
            for (Snap s : mirror) {
                MirrorSnapshotInfo m = s.mirror();
                if (m.mirrorPeerUuids().isEmpty()
                    || m.mirrorPeerUuids().contains(peer) && m.state().isPrimary() && !m.complete()) {
                    return Optional.of(new Unlink(s.id(), peer));
                }
            }
        }
        for (String peer : peers) {
            int count = 0;
            long candidate = 0;
            for (Snap s : mirror) {
                MirrorSnapshotInfo m = s.mirror();
                if (m.state() != MirrorSnapshotState.PRIMARY) {
                    count = 0;
                    candidate = 0;
                    continue;
                }
                if (!m.mirrorPeerUuids().contains(peer)) {
                    continue;
                }
                count++;
                if (count == max) {
                    candidate = s.id();
                }
                if (count > max) {
                    return Optional.of(new Unlink(candidate, peer));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The snapshot's record without {@code peerUuid}, or empty when the snapshot is to be removed
     * instead: it is then linked to nobody and a newer mirror-snapshot exists ({@code UnlinkPeerRequest}
     * with remove-empty).
     */
    static Optional<MirrorSnapshotInfo> afterUnlink(List<Snap> oldestFirst, Snap target, String peerUuid) {
        MirrorSnapshotInfo m = target.mirror();
        Set<String> remaining = new TreeSet<>(m.mirrorPeerUuids());
        remaining.remove(peerUuid);
        boolean newerExists = oldestFirst.stream().anyMatch(s -> s.mirror() != null && s.id() > target.id());
        if (remaining.isEmpty() && newerExists) {
            return Optional.empty();
        }
        return Optional.of(new MirrorSnapshotInfo(m.state(), m.complete(), remaining, m.primaryMirrorUuid(),
            m.primarySnapId(), m.lastCopiedObjectNumber(), m.snapSeqs()));
    }
}
