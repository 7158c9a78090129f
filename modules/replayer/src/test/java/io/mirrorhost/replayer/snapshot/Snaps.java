package io.mirrorhost.replayer.snapshot;

import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Plain-data builders of mirror-snapshots for the decision tests. */
final class Snaps {
    static final String LOCAL_UUID = "uuid-local";
    static final String REMOTE_UUID = "uuid-remote";
    /** This site's peer uuid in the remote pool. */
    static final String US = "peer-us";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Snaps() {
    }

    static SnapInfo snap(long id, MirrorSnapshotInfo m) {
        return new SnapInfo(id, ".mirror." + id, 1 << 20, T0.plusSeconds(id), SnapNamespace.MIRROR, false, m);
    }

    static SnapInfo primary(long id, String... peers) {
        return snap(id, MirrorSnapshotInfo.primary(Set.of(peers), false));
    }

    static SnapInfo demoted(long id, String... peers) {
        return snap(id, MirrorSnapshotInfo.primary(Set.of(peers), true));
    }

    static SnapInfo incompletePrimary(long id, String... peers) {
        return snap(id, new MirrorSnapshotInfo(MirrorSnapshotState.PRIMARY, false, Set.of(peers), "", -1, 0, Map.of()));
    }

    static SnapInfo nonPrimary(long id, String primaryUuid, long primarySnapId) {
        return snap(id, new MirrorSnapshotInfo(MirrorSnapshotState.NON_PRIMARY, true, Set.of(), primaryUuid,
                primarySnapId, 0, Map.of()));
    }

    static SnapInfo copying(long id, String primaryUuid, long primarySnapId, long lastCopied) {
        return snap(id, new MirrorSnapshotInfo(MirrorSnapshotState.NON_PRIMARY, false, Set.of(), primaryUuid,
                primarySnapId, lastCopied, Map.of()));
    }

    static SnapInfo nonPrimaryDemoted(long id, String primaryUuid, long primarySnapId, String... peers) {
        return snap(id, new MirrorSnapshotInfo(MirrorSnapshotState.NON_PRIMARY_DEMOTED, true, Set.of(peers),
                primaryUuid, primarySnapId, 0, Map.of()));
    }

    static SnapInfo user(long id) {
        return new SnapInfo(id, "user" + id, 1 << 20, T0.plusSeconds(id), SnapNamespace.USER, false, null);
    }

    static ImageSide side(SnapInfo... snaps) {
        return side(MirrorImageState.ENABLED, snaps);
    }

    static ImageSide side(MirrorImageState state, SnapInfo... snaps) {
        ImageSide probe = new ImageSide(null, List.of(snaps));
        boolean primary = probe.promotion() == Promotion.PRIMARY;
        return new ImageSide(new MirrorImageInfo("global-1", state, MirrorImageMode.SNAPSHOT, primary), List.of(snaps));
    }
}
