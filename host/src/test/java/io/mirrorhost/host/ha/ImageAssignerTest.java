package io.mirrorhost.host.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.host.ha.AssignChange.Acquire;
import io.mirrorhost.host.ha.AssignChange.Release;
import io.mirrorhost.host.ha.AssignChange.Unmap;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ImageAssignerTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final String POOL = "image-pool/";
    private static final ImageAssigner ASSIGNER = new ImageAssigner(Duration.ofSeconds(30), Duration.ofSeconds(10));

    private static ItemKey key(String item) {
        return new ItemKey(POOL, item);
    }

    /** Items {@code i0 .. i(n-1)} of the one scope. */
    private static Set<String> items(int n) {
        return IntStream.range(0, n).mapToObj(i -> "i" + i).collect(Collectors.toSet());
    }

    private static Map<ItemKey, MapEntry> allOn(String owner, int n, Instant since) {
        Map<ItemKey, MapEntry> map = new HashMap<>();
        items(n).forEach(item -> map.put(key(item), MapEntry.assigned(owner, since)));
        return map;
    }

    private static Assignment assign(Set<String> offered, List<String> instances, Map<ItemKey, MapEntry> current,
                                     Set<ReleaseAck> acks, Instant now) {
        return ASSIGNER.assign(new AssignInput(Map.of(POOL, offered), instances, current, acks, now));
    }

    /** How many items each instance has or is about to get. */
    private static Map<String, Long> counts(Assignment assignment) {
        return assignment.map().values().stream()
            .collect(Collectors.groupingBy(entry -> entry.releasingTo().orElse(entry.owner()), TreeMap::new, Collectors.counting()));
    }

    private static Set<ReleaseAck> acksOf(Assignment assignment) {
        return assignment.changes().stream().map(c -> (Release) c)
            .map(r -> new ReleaseAck(r.key(), r.from())).collect(Collectors.toSet());
    }

    @Test
    void newItemsGoToTheInstanceWithFewestOldestFirstOnATie() {
        Assignment result = assign(Set.of("a", "b", "c"), List.of("A", "B"),
            Map.of(key("x"), MapEntry.assigned("B", T0)), Set.of(), T0);
        assertEquals(List.of(new AssignChange.Unmap(key("x"), "B"), new Acquire(key("a"), "A"),
            new Acquire(key("b"), "B"), new Acquire(key("c"), "A")), result.changes());
    }

    @Test
    void aSettledMapChangesNothing() {
        Map<ItemKey, MapEntry> map = Map.of(key("a"), MapEntry.assigned("A", T0), key("b"), MapEntry.assigned("B", T0));
        Assignment result = assign(Set.of("a", "b"), List.of("A", "B"), map, Set.of(), T0.plusSeconds(3600));
        assertEquals(List.of(), result.changes());
        assertEquals(map, result.map());
    }

    @Test
    void joinsFromOneToThreeInstancesMoveOnlyTheExcessEachAfterItsRelease() {
        Instant joinB = T0.plusSeconds(60);
        Assignment second = assign(items(10), List.of("A", "B"), allOn("A", 10, T0), Set.of(), joinB);
        assertEquals(List.of(new Release(key("i9"), "A", "B"), new Release(key("i8"), "A", "B"),
            new Release(key("i7"), "A", "B"), new Release(key("i6"), "A", "B"), new Release(key("i5"), "A", "B")),
            second.changes());
        assertEquals(MapEntry.releasing("A", "B", joinB), second.map().get(key("i9")),
            "the owner keeps an item until it acknowledges the release");

        Assignment unacked = assign(items(10), List.of("A", "B"), second.map(), Set.of(), joinB.plusSeconds(1));
        assertEquals(List.of(), unacked.changes());

        Instant acked = joinB.plusSeconds(2);
        Assignment moved = assign(items(10), List.of("A", "B"), second.map(), acksOf(second), acked);
        assertEquals(5, moved.changes().stream().filter(c -> c instanceof Acquire a && a.to().equals("B")).count());
        assertEquals(Map.of("A", 5L, "B", 5L), counts(moved));

        Assignment third = assign(items(10), List.of("A", "B", "C"), moved.map(), Set.of(), acked.plusSeconds(40));
        assertEquals(List.of(new Release(key("i4"), "A", "C"), new Release(key("i3"), "A", "C"),
            new Release(key("i9"), "B", "C")), third.changes());
        assertEquals(Map.of("A", 3L, "B", 4L, "C", 3L), counts(third));
    }

    @Test
    void theItemsOfAGoneInstanceMoveAtOnceAndBalanced() {
        Map<ItemKey, MapEntry> map = new HashMap<>(allOn("C", 4, T0));
        map.put(key("a"), MapEntry.assigned("A", T0));
        map.put(key("b"), MapEntry.assigned("A", T0));
        Set<String> offered = new HashSet<>(items(4));
        offered.addAll(Set.of("a", "b"));
        Instant now = T0.plusSeconds(1);
        Assignment result = assign(offered, List.of("A", "B"), map, Set.of(), now);
        assertEquals(List.of(new Acquire(key("i0"), "B"), new Acquire(key("i1"), "B"), new Acquire(key("i2"), "A"),
            new Acquire(key("i3"), "B")), result.changes());
        assertEquals(Map.of("A", 3L, "B", 3L), counts(result));
        assertEquals(MapEntry.assigned("B", now), result.map().get(key("i0")));
    }

    @Test
    void anUnacknowledgedReleaseMovesTheItemAtTheTimeoutNotBefore() {
        Map<ItemKey, MapEntry> map = Map.of(key("a"), MapEntry.releasing("A", "B", T0));
        assertEquals(List.of(), assign(Set.of("a"), List.of("A", "B"), map, Set.of(), T0.plusSeconds(9)).changes());
        assertEquals(List.of(new Acquire(key("a"), "B")),
            assign(Set.of("a"), List.of("A", "B"), map, Set.of(), T0.plusSeconds(10)).changes());
    }

    @Test
    void anAckCountsOnlyFromTheOwnerAskedToRelease() {
        Map<ItemKey, MapEntry> releasing = Map.of(key("a"), MapEntry.releasing("A", "B", T0));
        Map<ItemKey, MapEntry> assigned = Map.of(key("a"), MapEntry.assigned("A", T0));
        Set<ReleaseAck> fromB = Set.of(new ReleaseAck(key("a"), "B"));
        Set<ReleaseAck> fromA = Set.of(new ReleaseAck(key("a"), "A"));
        Instant now = T0.plusSeconds(1);
        assertEquals(List.of(), assign(Set.of("a"), List.of("A", "B"), releasing, fromB, now).changes());
        assertEquals(List.of(), assign(Set.of("a"), List.of("A", "B"), assigned, fromA, now).changes());
        assertEquals(List.of(new Acquire(key("a"), "B")),
            assign(Set.of("a"), List.of("A", "B"), releasing, fromA, now).changes());
    }

    @Test
    void anItemReleasedToAGoneInstanceGoesToTheFewestOnItsAck() {
        Map<ItemKey, MapEntry> map = Map.of(key("a"), MapEntry.releasing("A", "B", T0),
            key("b"), MapEntry.assigned("A", T0), key("c"), MapEntry.assigned("C", T0));
        Assignment result = assign(Set.of("a", "b", "c"), List.of("A", "C", "D"), map,
            Set.of(new ReleaseAck(key("a"), "A")), T0.plusSeconds(1));
        assertEquals(List.of(new Acquire(key("a"), "D")), result.changes());
    }

    @Test
    void anItemWithdrawnWhileReleasingLeavesTheMap() {
        Map<ItemKey, MapEntry> map = Map.of(key("a"), MapEntry.releasing("A", "B", T0),
            key("b"), MapEntry.assigned("B", T0));
        Assignment result = assign(Set.of("b"), List.of("A", "B"), map, Set.of(), T0.plusSeconds(1));
        assertEquals(List.of(new Unmap(key("a"), "A")), result.changes());
        assertEquals(Set.of(key("b")), result.map().keySet());
    }

    @Test
    void itemsGotWithinTheMigrationThrottleStay() {
        Map<ItemKey, MapEntry> map = new HashMap<>(allOn("A", 2, T0));
        map.put(key("x"), MapEntry.assigned("A", T0.plusSeconds(50)));
        Set<String> offered = new HashSet<>(items(2));
        offered.add("x");
        Assignment result = assign(offered, List.of("A", "B"), map, Set.of(), T0.plusSeconds(60));
        assertEquals(List.of(new Release(key("i1"), "A", "B")), result.changes());
    }

    @Test
    void itemsOfSeveralScopesAreBalancedTogether() {
        Assignment result = ASSIGNER.assign(new AssignInput(
            Map.of("pool-1/", Set.of("a"), "pool-2/", Set.of("a"), "pool-3/", Set.of("a")),
            List.of("A", "B"), Map.of(), Set.of(), T0));
        assertEquals(List.of(new Acquire(new ItemKey("pool-1/", "a"), "A"), new Acquire(new ItemKey("pool-2/", "a"), "B"),
            new Acquire(new ItemKey("pool-3/", "a"), "A")), result.changes());
    }

    @Test
    void aNewLeaderContinuesAReleaseFromTheStoredMap() {
        Map<ItemKey, MapEntry> stored = Map.of(key("a"), MapEntry.releasing("A", "B", T0),
            key("b"), MapEntry.assigned("B", T0));
        ImageAssigner newLeader = new ImageAssigner(Duration.ofSeconds(30), Duration.ofSeconds(10));
        AssignInput before = new AssignInput(Map.of(POOL, Set.of("a", "b")), List.of("B", "A"), stored, Set.of(),
            T0.plusSeconds(2));
        assertEquals(new Assignment(stored, List.of()), newLeader.assign(before));
        AssignInput acked = new AssignInput(before.offered(), before.instances(), stored,
            Set.of(new ReleaseAck(key("a"), "A")), T0.plusSeconds(3));
        assertEquals(List.of(new Acquire(key("a"), "B")), newLeader.assign(acked).changes());
    }

    @Test
    void withNoLiveInstanceNothingMoves() {
        Map<ItemKey, MapEntry> map = Map.of(key("a"), MapEntry.assigned("A", T0));
        assertEquals(new Assignment(map, List.of()), assign(Set.of("a", "b"), List.of(), map, Set.of(), T0));
    }
}
