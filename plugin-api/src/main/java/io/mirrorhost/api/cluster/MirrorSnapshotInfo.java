package io.mirrorhost.api.cluster;

import java.util.Map;
import java.util.Set;

/**
 * The fields of a mirror-snapshot ({@code cls::rbd::MirrorSnapshotNamespace}).
 *
 * @param state                  primary, non-primary, or demoted
 * @param complete               for a non-primary snapshot: whether the delta is fully copied
 * @param mirrorPeerUuids        for a primary snapshot: the peers that still need it
 * @param primaryMirrorUuid      for a non-primary snapshot: the mirror uuid of the primary's pool
 * @param primarySnapId          for a non-primary snapshot: the primary snapshot it copies
 * @param lastCopiedObjectNumber for an incomplete non-primary snapshot: progress of the copy
 * @param snapSeqs               primary snap id to local snap id, for the snapshots in between
 */
public record MirrorSnapshotInfo(MirrorSnapshotState state, boolean complete, Set<String> mirrorPeerUuids,
                                 String primaryMirrorUuid, long primarySnapId, long lastCopiedObjectNumber,
                                 Map<Long, Long> snapSeqs) {

    public MirrorSnapshotInfo {
        mirrorPeerUuids = Set.copyOf(mirrorPeerUuids);
        primaryMirrorUuid = primaryMirrorUuid == null ? "" : primaryMirrorUuid;
        snapSeqs = Map.copyOf(snapSeqs);
    }

    public static MirrorSnapshotInfo primary(Set<String> peerUuids, boolean demoted) {
        return new MirrorSnapshotInfo(demoted ? MirrorSnapshotState.PRIMARY_DEMOTED : MirrorSnapshotState.PRIMARY,
                true, peerUuids, "", -1, 0, Map.of());
    }
}
