package io.mirrorhost.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleSetTest {
    private static final LevelSpec GLOBAL = LevelSpec.global();
    private static final LevelSpec POOL = LevelSpec.ofPool("3", "rbd", null);
    private static final LevelSpec DEFAULT_NS = LevelSpec.ofPool("3", "rbd", "");
    private static final LevelSpec NS = LevelSpec.ofPool("3", "rbd", "ns1");
    private static final LevelSpec IMAGE = new LevelSpec("rbd/ns1/img", "3/ns1/abc123", "3", "ns1", "abc123");
    private static final LevelSpec OTHER_POOL = LevelSpec.ofPool("4", "other", null);

    @Test
    void mostSpecificLevelWins() {
        ScheduleSet set = new ScheduleSet();
        Schedule global = set.add(GLOBAL, ScheduleItem.parse("1d", null));
        assertSame(global, set.find("3", "ns1", "abc123"));
        Schedule pool = set.add(POOL, ScheduleItem.parse("6h", null));
        assertSame(pool, set.find("3", "ns1", "abc123"));
        assertSame(global, set.find("4", "", "x"));
        Schedule ns = set.add(NS, ScheduleItem.parse("1h", null));
        assertSame(ns, set.find("3", "ns1", "abc123"));
        assertSame(pool, set.find("3", "", "zzz"));
        Schedule image = set.add(IMAGE, ScheduleItem.parse("5m", null));
        image.add(ScheduleItem.parse("7m", null));
        assertSame(image, set.find("3", "ns1", "abc123"));
        assertSame(ns, set.find("3", "ns1", "other"));
        Schedule defaultNs = set.add(DEFAULT_NS, ScheduleItem.parse("2h", null));
        assertSame(defaultNs, set.find("3", "", "zzz"));
    }

    @Test
    void removingTheLastItemOrAllClearsTheLevel() {
        ScheduleSet set = new ScheduleSet();
        set.add(POOL, ScheduleItem.parse("6h", null));
        set.add(POOL, ScheduleItem.parse("1d", "14:00"));
        Schedule left = set.remove(POOL, ScheduleItem.parse("6h", null));
        assertEquals("every 1d starting at 14:00:00", left.describe());
        assertNull(set.remove(POOL, ScheduleItem.parse("1d", "14:00")));
        assertTrue(set.isEmpty());
        set.add(POOL, ScheduleItem.parse("6h", null));
        set.add(POOL, ScheduleItem.parse("1h", null));
        assertNull(set.remove(POOL, null));
        assertNull(set.find("3", "", "x"));
    }

    @Test
    void listsALevelWithItsParentAndChildrenAsCeph() {
        ScheduleSet set = new ScheduleSet();
        set.add(GLOBAL, ScheduleItem.parse("1d", null));
        set.add(IMAGE, ScheduleItem.parse("1m", null));
        set.add(OTHER_POOL, ScheduleItem.parse("1h", null));
        assertEquals(Set.of("", "3/ns1/abc123"), set.list(POOL).keySet());
        assertEquals(Set.of("", "3/ns1/abc123", "4"), set.list(GLOBAL).keySet());
        assertEquals(Set.of("4"), set.list(OTHER_POOL).keySet());
        assertEquals(Set.of("3/ns1/abc123"), set.list(IMAGE).keySet());
    }

    @Test
    void levelRelations() {
        assertTrue(IMAGE.isChildOf(NS));
        assertTrue(IMAGE.isChildOf(POOL));
        assertTrue(NS.isChildOf(GLOBAL));
        assertFalse(POOL.isChildOf(NS));
        assertFalse(OTHER_POOL.isChildOf(POOL));
        assertTrue(POOL.intersects(IMAGE));
        assertFalse(OTHER_POOL.intersects(IMAGE));
        assertTrue(DEFAULT_NS.matches("3", "ns1", "x"), "Ceph: an empty namespace level matches every namespace");
        assertFalse(NS.matches("3", "", "x"));
        assertTrue(IMAGE.matches("3", "ns1", "abc123"));
        assertFalse(IMAGE.matches("3", "ns1", "abc124"));
    }

    @Test
    void parsesLevelNamesAndIdsAsCeph() {
        assertEquals(new LevelSpec.Name(null, null, null), LevelSpec.Name.parse(""));
        assertEquals(new LevelSpec.Name("rbd", null, null), LevelSpec.Name.parse("rbd/"));
        assertEquals(new LevelSpec.Name("rbd", "", null), LevelSpec.Name.parse("rbd//"));
        assertEquals(new LevelSpec.Name("rbd", "ns", null), LevelSpec.Name.parse("rbd/ns/"));
        assertEquals(new LevelSpec.Name("rbd", "", "img"), LevelSpec.Name.parse("rbd/img"));
        assertEquals(new LevelSpec.Name("rbd", "", "img"), LevelSpec.Name.parse("rbd//img"));
        assertEquals(new LevelSpec.Name("rbd", "ns", "img"), LevelSpec.Name.parse("rbd/ns/img"));
        assertEquals("failed to parse rbd", assertThrows(ScheduleException.class, () -> LevelSpec.Name.parse("rbd")).getMessage());
        assertThrows(ScheduleException.class, () -> LevelSpec.Name.parse("rbd/ns/img/x"));
        assertThrows(ScheduleException.class, () -> LevelSpec.Name.parse("rbd/img@snap"));
        assertEquals(new LevelSpec.Id("3", null, null), LevelSpec.Id.parse("3"));
        assertEquals(new LevelSpec.Id("3", "", null), LevelSpec.Id.parse("3/"));
        assertEquals(new LevelSpec.Id("3", "ns", null), LevelSpec.Id.parse("3/ns"));
        assertEquals(new LevelSpec.Id("3", "", "abc"), LevelSpec.Id.parse("3//abc"));
        assertEquals(new LevelSpec.Id("3", "ns", "abc"), LevelSpec.Id.parse("3/ns/abc"));
        assertThrows(ScheduleException.class, () -> LevelSpec.Id.parse("rbd/ns"));
    }
}
