package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** librbd's rules for mirror-snapshots, free of I/O: names, states, copy progress, peers, pruning. */
final class MirrorSnapshots {
    /** {@code rbd_mirroring_max_mirroring_snapshots}. */

    private MirrorSnapshots() {
    }

    /**
     * Whether the image is a mirroring copy or demoted, and so read-only: its newest mirror-snapshot
     * is not a (non-demoted) primary one, or it has none yet and has the non-primary feature (a copy
     * rbd-mirror just created). The newest snapshot decides first, so a promotion interrupted
     * between its primary snapshot and dropping the feature still leaves a primary.
     */
    static boolean isNonPrimary(long features, NavigableMap<Long, Snap> snaps) {
        for (Snap s : snaps.descendingMap().values()) {
            if (s.mirror() != null) {
                return s.mirror().state() != MirrorSnapshotState.PRIMARY;
            }
        }
        return (features & ImageFeature.NON_PRIMARY.bit()) != 0;
    }

    /** Whether the image has been mirrored from, as a primary (a non-primary snapshot is refused then). */
    static boolean isPrimaryMirrored(long features, NavigableMap<Long, Snap> snaps) {
        return !isNonPrimary(features, snaps) && snaps.values().stream().anyMatch(s -> s.mirror() != null);
    }

    static String primaryName(String globalId) {
        return ".mirror.primary." + globalId + "." + UUID.randomUUID();
    }

    static String nonPrimaryName(String globalId) {
        return ".mirror.non_primary." + globalId + "." + UUID.randomUUID();
    }

    static MirrorSnapshotInfo nonPrimary(String primaryMirrorUuid, long primarySnapId, Map<Long, Long> snapSeqs) {
        return new MirrorSnapshotInfo(MirrorSnapshotState.NON_PRIMARY, false, Set.of(), primaryMirrorUuid,
            primarySnapId, 0, snapSeqs);
    }

    static MirrorSnapshotInfo withCopyProgress(Snap s, boolean complete, long lastCopiedObjectNumber) {
        if (!s.isNonPrimaryMirror()) {
            throw ClusterException.invalid("snapshot id " + s.id() + " is not a non-primary mirror snapshot");
        }
        MirrorSnapshotInfo m = s.mirror();
        return new MirrorSnapshotInfo(m.state(), complete, m.mirrorPeerUuids(), m.primaryMirrorUuid(),
            m.primarySnapId(), lastCopiedObjectNumber, m.snapSeqs());
    }

    static MirrorSnapshotInfo withoutPeer(Snap s, String peerUuid) {
        // librbd's UnlinkPeerRequest takes any mirror-snapshot: a copied demotion lists tx peers too
        if (s.mirror() == null) {
            throw ClusterException.invalid("snapshot id " + s.id() + " is not a mirror snapshot");
        }
        MirrorSnapshotInfo m = s.mirror();
        if (!m.mirrorPeerUuids().contains(peerUuid)) {
            throw ClusterException.notFound("peer " + peerUuid + " is not linked to snapshot id " + s.id());
        }
        Set<String> peers = new TreeSet<>(m.mirrorPeerUuids());
        peers.remove(peerUuid);
        return new MirrorSnapshotInfo(m.state(), m.complete(), peers, m.primaryMirrorUuid(), m.primarySnapId(),
            m.lastCopiedObjectNumber(), m.snapSeqs());
    }
}
