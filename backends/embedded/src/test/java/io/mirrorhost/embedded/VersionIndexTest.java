package io.mirrorhost.embedded;

import static io.mirrorhost.embedded.ObjectState.EXISTS;
import static io.mirrorhost.embedded.ObjectState.EXISTS_CLEAN;
import static io.mirrorhost.embedded.ObjectState.NONEXISTENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The version index as tables: which version a point sees, sharing, the object map and the consistency rules. */
class VersionIndexTest {
    private static final long HEAD = ObjectVersion.HEAD;

    private static ObjectVersion v(long objno, long gen, long born, long died) {
        return new ObjectVersion(objno, gen, born, died, false, ExtentSet.of(0, 4096));
    }

    private static ObjectVersion overlay(long objno, long gen, long born, long died) {
        return new ObjectVersion(objno, gen, born, died, true, ExtentSet.of(0, 10));
    }

    private static VersionIndex index(Set<Long> points, ObjectVersion... versions) {
        VersionIndex index = new VersionIndex(new TreeSet<>(points));
        for (ObjectVersion version : versions) {
            index.load(version);
        }
        return index;
    }

    /** Object 0 written before snapshot 2, rewritten before 5 and after it; snapshots 2 and 5. */
    private static final VersionIndex HISTORY = index(Set.of(2L, 5L), v(0, 1, 0, 2), v(0, 2, 2, 5), v(0, 3, 5, HEAD));

    static Stream<Arguments> visibility() {
        return Stream.of(
            Arguments.of(2L, 1L), Arguments.of(3L, 2L), Arguments.of(5L, 2L), Arguments.of(6L, 3L),
            Arguments.of(HEAD, 3L), Arguments.of(0L, -1L));
    }

    @ParameterizedTest(name = "point {0} sees generation {1}")
    @MethodSource("visibility")
    void aPointSeesTheVersionBornBeforeItAndDeadNotBefore(long point, long gen) {
        ObjectVersion seen = HISTORY.visibleAt(0, point);
        assertEquals(gen, seen == null ? -1 : seen.gen);
        assertEquals(gen == -1 ? -1 : gen - 1, VersionIndex.indexVisibleAt(HISTORY.versions(0), point));
    }

    static Stream<Arguments> sharing() {
        return Stream.of(
            // points, version, shared (head) / unseen
            Arguments.of(Set.of(), v(0, 1, 0, HEAD), false, false),
            Arguments.of(Set.of(1L), v(0, 1, 0, HEAD), true, false),
            Arguments.of(Set.of(1L), v(0, 1, 1, HEAD), false, false),
            Arguments.of(Set.of(1L), v(0, 1, 0, 1), true, false),
            Arguments.of(Set.of(2L), v(0, 1, 0, 1), true, true),
            Arguments.of(Set.of(1L, 3L), v(0, 1, 1, 2), true, true),
            Arguments.of(Set.of(1L, 3L), v(0, 1, 1, 3), true, false));
    }

    @ParameterizedTest(name = "points {0}: {1} shared {2}, unseen {3}")
    @MethodSource("sharing")
    void sharedWhenALaterPointExistsAndUnseenWhenNoPointFallsInItsLife(Set<Long> points, ObjectVersion version,
                                                                       boolean shared, boolean unseen) {
        VersionIndex index = index(points, version);
        assertEquals(shared, index.isShared(version));
        assertEquals(unseen, index.isUnseen(version));
    }

    @Test
    void theObjectMapTellsWhatChangedSinceThePreviousPoint() {
        VersionIndex index = index(Set.of(2L, 5L),
            v(0, 1, 0, HEAD),                   // never rewritten
            v(1, 2, 0, 2), v(1, 3, 2, HEAD),    // rewritten between 2 and 5
            v(2, 4, 3, 5),                      // written after 2, discarded after 5: seen by 5 only
            v(3, 5, 5, HEAD));                  // written after 5
        assertArrayEquals(new ObjectState[] {EXISTS, EXISTS, NONEXISTENT, NONEXISTENT}, index.objectMap(2, 4));
        assertArrayEquals(new ObjectState[] {EXISTS_CLEAN, EXISTS, EXISTS, NONEXISTENT}, index.objectMap(5, 4));
        assertArrayEquals(new ObjectState[] {EXISTS_CLEAN, EXISTS_CLEAN, NONEXISTENT, EXISTS, NONEXISTENT},
            index.objectMap(HEAD, 5));
    }

    static Stream<Arguments> consistency() {
        return Stream.of(
            Arguments.of(Set.of(2L), List.of(v(0, 1, 0, 2), v(0, 2, 2, HEAD)), List.of()),
            Arguments.of(Set.of(), List.of(v(0, 1, 0, HEAD), v(0, 2, 0, HEAD)),
                List.of("overlapping versions at v0.2(0,head] {[0,4096)}", "object 0 has 2 heads")),
            Arguments.of(Set.of(), List.of(v(0, 1, 0, 2), v(0, 2, 2, HEAD)),
                List.of("version seen by no snapshot and not head: v0.1(0,2] {[0,4096)}")),
            Arguments.of(Set.of(), List.of(v(0, 1, 0, 2), overlay(0, 2, 2, HEAD)), List.of()),
            Arguments.of(Set.of(), List.of(overlay(0, 1, 0, HEAD)),
                List.of("overlay without extents or base: v0.1(0,head] overlay {[0,10)}")),
            Arguments.of(Set.of(), List.of(v(0, 1, 3, 3)),
                List.of("empty visibility interval v0.1(3,3] {[0,4096)}",
                    "version seen by no snapshot and not head: v0.1(3,3] {[0,4096)}")));
    }

    @ParameterizedTest(name = "points {0}, versions {1}")
    @MethodSource("consistency")
    void problemsNameEveryBrokenRule(Set<Long> points, List<ObjectVersion> versions, List<String> problems) {
        assertEquals(problems, index(points, versions.toArray(ObjectVersion[]::new)).problems());
    }

    @Test
    void changesSinceTheLastCommitAreKeptUntilCommitted() {
        VersionIndex index = index(Set.of(), v(0, 1, 0, HEAD), v(1, 2, 0, HEAD));
        index.add(v(2, 3, 0, HEAD));
        index.drop(0, 0);
        assertEquals(Set.of(0L, 2L), index.changedObjects());
        assertEquals(List.of("0.1"), index.releasedFiles());
        assertEquals(List.of(), index.versions(0), "an object without versions leaves the index");
        assertEquals(Set.of(1L, 2L), index.objnos());

        index.committed(Set.of(0L));
        assertEquals(Set.of(2L), index.changedObjects(), "a change made during the commit stays");
        index.committed(Set.of(2L));
        index.releasedDeleted();
        assertEquals(false, index.hasUncommitted());
    }
}
