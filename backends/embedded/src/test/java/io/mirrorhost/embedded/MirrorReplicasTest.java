package io.mirrorhost.embedded;

import static io.mirrorhost.embedded.MirrorPoolModesTest.RBD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The replica side rbd-mirror needs beyond the SPI: copies of a global id, demoted copies, the resync flag. */
class MirrorReplicasTest extends StoreTestBase {
    private static final String GLOBAL_ID = "0b7e1c1e-1111-4111-8111-000000000001";

    @Test
    void aCopyOfAGlobalIdIsNonPrimaryAndFollowsItsPrimarysDemotion() {
        Await.failure(Errno.EINVAL, EmbeddedReplicas.createNonPrimaryImage(cluster, spec("copy"), ImageOptions.of(MIB),
            GLOBAL_ID));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        String peer = Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-a", "client.rbd-mirror-peer",
            MirrorPeerDirection.RX_TX));
        Await.result(EmbeddedReplicas.createNonPrimaryImage(cluster, spec("copy"), ImageOptions.of(MIB), GLOBAL_ID));
        Await.failure(Errno.EEXIST, EmbeddedReplicas.createNonPrimaryImage(cluster, spec("other"), ImageOptions.of(MIB),
            GLOBAL_ID));
        Image copy = Await.result(cluster.openImage(spec("copy")));
        assertEquals(new MirrorImageInfo(GLOBAL_ID, MirrorImageState.ENABLED, MirrorImageMode.SNAPSHOT, false),
            Await.result(copy.mirrorInfo()));

        long first = Await.result(EmbeddedReplicas.createNonPrimarySnapshot(copy, "a-uuid", 10, Map.of(), false));
        ClusterExceptionText.assertMessage("librbd::mirror::snapshot::util:  can_create_non_primary_snapshot: trying to"
                + " create non-primary snapshot when previous non-primary snapshot is not copied yet",
            Await.failure(Errno.EINVAL, EmbeddedReplicas.createNonPrimarySnapshot(copy, "a-uuid", 11, Map.of(), false)));
        Await.result(copy.mirrorSnapshotSetCopyProgress(first, true, 0));
        Await.failure(Errno.EROFS, copy.write(0, random(1, 10)));
        Await.failure(Errno.EBUSY, copy.mirrorPromote(false));

        // the primary was demoted there: the copy of that demotion makes this copy an orphan
        long demoted = Await.result(EmbeddedReplicas.createNonPrimarySnapshot(copy, "a-uuid", 12, Map.of(), true));
        SnapInfo snap = Await.result(copy.listSnaps()).stream().filter(s -> s.id() == demoted).findFirst().orElseThrow();
        assertEquals(MirrorSnapshotState.NON_PRIMARY_DEMOTED, snap.mirror().state());
        assertEquals(Set.of(peer), snap.mirror().mirrorPeerUuids());
        Await.result(copy.mirrorSnapshotSetCopyProgress(demoted, true, 0));
        Await.result(copy.mirrorPromote(false));
        assertTrue(Await.result(copy.mirrorInfo()).primary());
        Await.result(copy.write(0, random(1, 10)));
        ClusterExceptionText.assertMessage("librbd::mirror::snapshot::util:  can_create_non_primary_snapshot: trying to"
                + " create non-primary snapshot when previous primary snapshot is not in demoted state",
            Await.failure(Errno.EINVAL, EmbeddedReplicas.createNonPrimarySnapshot(copy, "a-uuid", 13, Map.of(), false)));
        Await.result(copy.close());
    }

    @Test
    void theResyncFlagIsReadable() {
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.result(EmbeddedReplicas.createNonPrimaryImage(cluster, spec("copy"), ImageOptions.of(MIB), GLOBAL_ID));
        Image copy = Await.result(cluster.openImage(spec("copy")));
        Await.result(EmbeddedReplicas.createNonPrimarySnapshot(copy, "a-uuid", 10, Map.of(), false));
        assertFalse(Await.result(EmbeddedReplicas.resyncRequested(copy)));
        Await.result(copy.mirrorResync());
        assertTrue(Await.result(EmbeddedReplicas.resyncRequested(copy)));
        Image plain = create("plain", MIB, 22, ImageFeature.defaults());
        assertFalse(Await.result(EmbeddedReplicas.resyncRequested(plain)));
        assertEquals(List.of(), Await.result(plain.listSnaps()));
        Await.result(plain.close());
        Await.result(copy.close());
    }
}
