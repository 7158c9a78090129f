package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.Map;

/**
 * The replayer's side of snapshot mirroring (librbd internals rbd-mirror uses), called only by the
 * replayer while it copies a primary's mirror-snapshot: on its local non-primary copy it records
 * which snapshot it copies and how far it got, and on the remote primary it unlinks itself from
 * snapshots it no longer needs.
 */
public interface ImageReplay {

    /**
     * Creates a non-primary mirror-snapshot recording which primary snapshot it copies; incomplete
     * until {@link #mirrorSnapshotSetCopyProgress} marks it complete.
     */
    default Future<Long> mirrorCreateNonPrimarySnapshot(String primaryMirrorUuid, long primarySnapId,
                                                        Map<Long, Long> snapSeqs) {
        return mirrorCreateNonPrimarySnapshot(primaryMirrorUuid, primarySnapId, snapSeqs, false);
    }

    /**
     * As {@link #mirrorCreateNonPrimarySnapshot(String, long, Map)}; with {@code demoted} the snapshot
     * copies a demotion (NON_PRIMARY_DEMOTED, linked to the pool's tx peers), after which the copy
     * may be promoted without force (librbd's {@code CreateNonPrimaryRequest}).
     */
    Future<Long> mirrorCreateNonPrimarySnapshot(String primaryMirrorUuid, long primarySnapId,
                                                Map<Long, Long> snapSeqs, boolean demoted);

    /** Whether {@code rbd mirror image resync} flagged this copy (librbd's {@code resync_requested}). */
    Future<Boolean> mirrorResyncRequested();

    Future<Void> mirrorSnapshotSetCopyProgress(long snapId, boolean complete, long lastCopiedObjectNumber);

    /** Removes {@code peerUuid} from a primary mirror-snapshot's peers (the snapshot stays). */
    Future<Void> mirrorSnapshotUnlinkPeer(long snapId, String peerUuid);
}
