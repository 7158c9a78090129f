package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.embedded.MirrorSnapshotRules.CreatePlan;
import io.mirrorhost.embedded.MirrorSnapshotRules.Unlink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** librbd's can_create_primary_snapshot and unlink_peer rules, without a store. */
class MirrorSnapshotRulesTest {
    private static Snap snap(long id, MirrorSnapshotInfo info) {
        return new Snap(id, "s" + id, info == null ? SnapNamespace.USER : SnapNamespace.MIRROR, 0, Instant.EPOCH,
            false, info);
    }

    private static MirrorSnapshotInfo primary(String... peers) {
        return MirrorSnapshotInfo.primary(Set.of(peers), false);
    }

    private static MirrorSnapshotInfo nonPrimary(boolean complete) {
        return new MirrorSnapshotInfo(MirrorSnapshotState.NON_PRIMARY, complete, Set.of(), "remote", 3, 0, Map.of());
    }

    private static String refusal(List<Snap> snaps, boolean demoted, boolean force) {
        ClusterException e = assertThrows(ClusterException.class,
            () -> MirrorSnapshotRules.canCreatePrimary(snaps, demoted, force));
        assertEquals(Errno.EINVAL, e.errno());
        return e.getMessage().substring(e.getMessage().indexOf(": trying") + 2);
    }

    @Test
    void canCreatePrimaryFollowsTheNewestMirrorSnapshot() {
        assertEquals(new CreatePlan(false, null), MirrorSnapshotRules.canCreatePrimary(List.of(snap(1, null)), false, false));
        assertEquals(new CreatePlan(false, null),
            MirrorSnapshotRules.canCreatePrimary(List.of(snap(1, primary()), snap(2, null)), true, false));
        List<Snap> demoted = List.of(snap(1, primary()), snap(2, MirrorSnapshotInfo.primary(Set.of(), true)));
        assertEquals("trying to create primary snapshot without force when previous primary snapshot is demoted",
            refusal(demoted, false, false));
        assertEquals(new CreatePlan(false, null), MirrorSnapshotRules.canCreatePrimary(demoted, false, true));
        List<Snap> copied = List.of(snap(1, primary()), snap(2, nonPrimary(true)));
        assertEquals("trying to create primary snapshot without force when previous snapshot is non-primary",
            refusal(copied, false, false));
        assertEquals("trying to create primary demoted snapshot when previous snapshot is non-primary",
            refusal(copied, true, true));
        assertEquals(new CreatePlan(true, null), MirrorSnapshotRules.canCreatePrimary(copied, false, true));
    }

    @Test
    void anIncompleteCopyRollsBackToTheLastCompleteSnapshot() {
        List<Snap> snaps = List.of(snap(1, nonPrimary(true)), snap(2, null), snap(3, nonPrimary(false)));
        assertEquals(new CreatePlan(true, 1L), MirrorSnapshotRules.canCreatePrimary(snaps, false, true));
        ClusterException none = assertThrows(ClusterException.class,
            () -> MirrorSnapshotRules.canCreatePrimary(List.of(snap(3, nonPrimary(false))), false, true));
        assertEquals("librbd::mirror::snapshot::util:  can_create_primary_snapshot: cannot rollback", none.getMessage());
    }

    /** Applies the unlinks after each creation, as ImageMirroring does. */
    private static List<Snap> createAndPrune(List<Snap> snaps, long id, Set<String> peers, int max) {
        List<Snap> current = new ArrayList<>(snaps);
        current.add(snap(id, MirrorSnapshotInfo.primary(peers, false)));
        for (Optional<Unlink> next = MirrorSnapshotRules.nextUnlink(current, peers, max); next.isPresent();
             next = MirrorSnapshotRules.nextUnlink(current, peers, max)) {
            Unlink u = next.get();
            Snap target = current.stream().filter(s -> s.id() == u.snapId()).findFirst().orElseThrow();
            Optional<MirrorSnapshotInfo> kept = MirrorSnapshotRules.afterUnlink(current, target, u.peerUuid());
            current.remove(target);
            kept.ifPresent(info -> {
                current.add(target.withMirror(info));
                current.sort(java.util.Comparator.comparingLong(Snap::id));
            });
        }
        return current;
    }

    @Test
    void atCapacityTheNewestPreExistingSnapshotGoes() {
        // test_mirroring.cc TestMirroring.Snapshot with rbd_mirroring_max_mirroring_snapshots = 3
        List<Snap> snaps = List.of();
        for (long id = 1; id <= 3; id++) {
            snaps = createAndPrune(snaps, id, Set.of("p"), 3);
        }
        assertEquals(List.of(1L, 2L, 3L), snaps.stream().map(Snap::id).toList());
        snaps = createAndPrune(snaps, 4, Set.of("p"), 3);
        assertEquals(List.of(1L, 2L, 4L), snaps.stream().map(Snap::id).toList());
    }

    @Test
    void snapshotsLinkedToNobodyGoFirstAndTheNewestStays() {
        List<Snap> snaps = List.of(snap(1, primary()), snap(2, nonPrimary(true)), snap(3, primary("p")));
        assertEquals(Optional.of(new Unlink(1, "p")), MirrorSnapshotRules.nextUnlink(snaps, Set.of("p"), 5));
        assertEquals(Optional.empty(), MirrorSnapshotRules.nextUnlink(snaps, Set.of(), 5), "no peers: nothing pruned");
        Snap newest = snap(4, primary("p"));
        assertEquals(Optional.of(MirrorSnapshotInfo.primary(Set.of(), false)),
            MirrorSnapshotRules.afterUnlink(List.of(newest), newest, "p"), "the newest stays, linked to nobody");
        Snap older = snap(3, primary("p", "q"));
        assertEquals(Optional.of(primary("q")), MirrorSnapshotRules.afterUnlink(List.of(older, newest), older, "p"));
        assertEquals(Optional.empty(), MirrorSnapshotRules.afterUnlink(List.of(snap(3, primary("p")), newest),
            snap(3, primary("p")), "p"));
    }

    @Test
    void aDemotionRestartsTheCount() {
        List<Snap> snaps = new ArrayList<>();
        long id = 1;
        for (; id <= 3; id++) {
            snaps.add(snap(id, primary("p")));
        }
        snaps.add(snap(id++, MirrorSnapshotInfo.primary(Set.of("p"), true)));
        snaps.add(snap(id++, primary("p")));
        snaps.add(snap(id, primary("p")));
        assertEquals(Optional.empty(), MirrorSnapshotRules.nextUnlink(snaps, Set.of("p"), 3),
            "two primaries since the demotion are below the limit");
    }
}
