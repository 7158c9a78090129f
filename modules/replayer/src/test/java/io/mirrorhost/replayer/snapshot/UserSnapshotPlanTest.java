package io.mirrorhost.replayer.snapshot;

import static io.mirrorhost.replayer.snapshot.Snaps.T0;
import static io.mirrorhost.replayer.snapshot.Snaps.primary;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserSnapshotPlanTest {
    static SnapInfo user(long id, String name, boolean isProtected) {
        return new SnapInfo(id, name, 1 << 20, T0, SnapNamespace.USER, isProtected, null);
    }

    @Test
    void userSnapshotsInsideTheDeltaBecomeSegmentsInOrder() {
        List<SnapInfo> remote = List.of(user(1, "old", false), primary(2), user(3, "a", true), user(4, "b", false),
                primary(5), user(6, "after", false));
        UserSnapshotPlan plan = UserSnapshotPlan.of(2L, 5, remote, List.of(user(40, "old", false)));
        assertEquals(2L, plan.from());
        assertEquals(List.of(3L, 4L), plan.segments().stream().map(SnapInfo::id).toList());
        assertEquals(List.of(), plan.toRemove());
        assertEquals(List.of("a"), plan.toProtect());
    }

    @Test
    void aFullCopyTakesEverySnapshotBeforeTheEnd() {
        List<SnapInfo> remote = List.of(user(1, "old", false), primary(2));
        assertEquals(List.of(1L), UserSnapshotPlan.of(null, 2, remote, List.of()).segments().stream()
                .map(SnapInfo::id).toList());
    }

    @Test
    void anInterruptedRunResumesAfterTheSnapshotsItAlreadyTook() {
        List<SnapInfo> remote = List.of(primary(2), user(3, "a", false), user(4, "b", false), primary(5));
        UserSnapshotPlan plan = UserSnapshotPlan.of(2L, 5, remote, List.of(user(41, "a", false)));
        assertEquals(3L, plan.from(), "the head already holds a's data");
        assertEquals(List.of(4L), plan.segments().stream().map(SnapInfo::id).toList());
    }

    @Test
    void snapshotsThePrimaryDroppedAreRemoved() {
        List<SnapInfo> remote = List.of(primary(2), primary(5));
        UserSnapshotPlan plan = UserSnapshotPlan.of(2L, 5, remote, List.of(user(41, "gone", true)));
        assertEquals(List.of("gone"), plan.toRemove());
        assertEquals(List.of(), plan.segments());
        assertEquals(2L, plan.from());
    }
}
