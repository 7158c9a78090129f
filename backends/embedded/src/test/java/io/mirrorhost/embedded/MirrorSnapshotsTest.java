package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapNamespace;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MirrorSnapshotsTest {
    private static Snap user(long id) {
        return new Snap(id, "s" + id, SnapNamespace.USER, 0, Instant.EPOCH, false, null);
    }

    private static Snap mirror(long id, MirrorSnapshotInfo info) {
        return new Snap(id, ".mirror." + id, SnapNamespace.MIRROR, 0, Instant.EPOCH, false, info);
    }

    private static TreeMap<Long, Snap> snaps(Snap... s) {
        TreeMap<Long, Snap> map = new TreeMap<>();
        for (Snap x : s) {
            map.put(x.id(), x);
        }
        return map;
    }

    @Test
    void theNewestMirrorSnapshotDecidesWhetherTheImageIsPrimary() {
        MirrorSnapshotInfo primary = MirrorSnapshotInfo.primary(Set.of(), false);
        MirrorSnapshotInfo demoted = MirrorSnapshotInfo.primary(Set.of(), true);
        MirrorSnapshotInfo nonPrimary = MirrorSnapshots.nonPrimary("u", 1, Map.of());
        assertFalse(MirrorSnapshots.isNonPrimary(0, snaps()));
        assertFalse(MirrorSnapshots.isNonPrimary(0, snaps(mirror(1, nonPrimary), mirror(2, primary), user(3))));
        assertTrue(MirrorSnapshots.isNonPrimary(0, snaps(mirror(1, primary), mirror(2, demoted))));
        assertTrue(MirrorSnapshots.isNonPrimary(0, snaps(mirror(1, primary), mirror(2, nonPrimary), user(3))));
        assertTrue(MirrorSnapshots.isNonPrimary(ImageFeature.NON_PRIMARY.bit(), snaps()));
        assertTrue(MirrorSnapshots.isPrimaryMirrored(0, snaps(mirror(1, primary))));
        assertFalse(MirrorSnapshots.isPrimaryMirrored(0, snaps(user(1))));
    }

    @Test
    void copyProgressOnlyOnNonPrimarySnapshots() {
        Snap np = mirror(1, MirrorSnapshots.nonPrimary("uuid", 7, Map.of(7L, 1L)));
        MirrorSnapshotInfo done = MirrorSnapshots.withCopyProgress(np, true, 12);
        assertEquals(new MirrorSnapshotInfo(MirrorSnapshotState.NON_PRIMARY, true, Set.of(), "uuid", 7, 12,
            Map.of(7L, 1L)), done);
        ClusterException e = assertThrows(ClusterException.class,
            () -> MirrorSnapshots.withCopyProgress(user(2), true, 1));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void unlinkingRemovesOnePeer() {
        Snap p = mirror(1, MirrorSnapshotInfo.primary(Set.of("a", "b"), false));
        assertEquals(Set.of("b"), MirrorSnapshots.withoutPeer(p, "a").mirrorPeerUuids());
        assertEquals(Errno.ENOENT, assertThrows(ClusterException.class, () -> MirrorSnapshots.withoutPeer(p, "c")).errno());
        assertEquals(Errno.EINVAL, assertThrows(ClusterException.class,
            () -> MirrorSnapshots.withoutPeer(user(3), "a")).errno());
    }

    @Test
    void mirrorSnapshotNamesCarryTheGlobalId() {
        assertTrue(MirrorSnapshots.primaryName("g").startsWith(".mirror.primary.g."));
        assertTrue(MirrorSnapshots.nonPrimaryName("g").startsWith(".mirror.non_primary.g."));
    }
}
