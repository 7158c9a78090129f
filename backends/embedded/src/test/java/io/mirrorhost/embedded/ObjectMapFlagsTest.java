package io.mirrorhost.embedded;

import static io.mirrorhost.embedded.ObjectMapFlags.FAST_DIFF_INVALID;
import static io.mirrorhost.embedded.ObjectMapFlags.OBJECT_MAP_INVALID;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The flags of a head and its snapshots through the sequences observed with rbd 16.2.15. */
class ObjectMapFlagsTest {
    private static final long BOTH = OBJECT_MAP_INVALID | FAST_DIFF_INVALID;

    private static ObjectMapFlags roundTrip(ObjectMapFlags flags) {
        return ObjectMapFlags.decode(flags.encode());
    }

    @Test
    void enablingMarksHeadAndEverySnapshotInvalidUntilEachIsRebuilt() {
        ObjectMapFlags flags = new ObjectMapFlags();
        flags.change(BOTH, true, 5, List.of(5L));
        assertEquals(BOTH, flags.of(null));
        assertEquals(BOTH, flags.of(5L));
        flags = roundTrip(flags);
        flags.rebuilt(null, 5, List.of(5L));
        assertEquals(0, flags.of(null));
        assertEquals(BOTH, flags.of(5L), "rebuilding the head leaves the snapshot's map invalid");
        flags.rebuilt(5L, 5, List.of(5L));
        assertEquals(0, roundTrip(flags).of(5L));
    }

    @Test
    void aSnapshotTakenWhileTheHeadIsInvalidInheritsItsFlags() {
        ObjectMapFlags flags = new ObjectMapFlags();
        flags.change(BOTH, true, 3, List.of());
        // snapshot 9 taken now (ids grow): inherits, also after the head is rebuilt
        assertEquals(BOTH, flags.of(9L));
        flags.rebuilt(null, 9, List.of(9L));
        assertEquals(0, flags.of(null));
        assertEquals(BOTH, roundTrip(flags).of(9L));
        // snapshot 12 taken after the rebuild: clean
        assertEquals(0, flags.of(12L));
    }

    @Test
    void aRebuiltSnapshotStaysCleanWhileTheHeadIsStillInvalid() {
        ObjectMapFlags flags = new ObjectMapFlags();
        flags.change(BOTH, true, 3, List.of());
        flags.rebuilt(7L, 7, List.of(7L));
        assertEquals(0, roundTrip(flags).of(7L));
        assertEquals(BOTH, flags.of(null));
    }

    @Test
    void disablingClearsEverySnapshot() {
        ObjectMapFlags flags = new ObjectMapFlags();
        flags.change(BOTH, true, 3, List.of(2L, 3L));
        flags.change(BOTH, false, 8, List.of(2L, 3L, 8L));
        assertEquals(0, flags.of(null));
        assertEquals(0, flags.of(2L));
        assertEquals(0, flags.of(8L));
        assertEquals("0 8", flags.encode(), "nothing left to remember");
    }

    @Test
    void namesInBitOrder() {
        assertEquals(List.of("object map invalid", "fast diff invalid"), List.copyOf(ObjectMapFlags.names(BOTH)));
        assertEquals(Set.of(), ObjectMapFlags.names(0));
    }
}
