package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JournalLayoutTest {
    private static final JournalLayout W4 = new JournalLayout(12, 4, 16384);

    private static JournalPosition p(long object, long tag, long entry) {
        return new JournalPosition(object, tag, entry);
    }

    @Test
    void maxAppendSizeIsTheSmallerOfObjectAndPayload() {
        assertEquals(16384, JournalLayout.DEFAULT.maxAppendSize());
        assertEquals(4096 - 33, W4.maxAppendSize());
        assertEquals(100, new JournalLayout(24, 4, 100).maxAppendSize());
    }

    @Test
    void entriesSpreadOverTheSplayObjectsOfTheirSet() {
        record Row(long set, long entryTid, long object) {
        }
        for (Row r : List.of(new Row(0, 0, 0), new Row(0, 3, 3), new Row(0, 4, 0), new Row(2, 9, 9), new Row(5, 6, 22))) {
            assertEquals(r.object(), W4.objectNumber(r.set(), r.entryTid()), r.toString());
        }
        assertEquals(5, W4.setOf(22));
    }

    @Test
    void commitPositionsKeepTheNewestPerSplayOffsetMostRecentFirst() {
        record Row(List<JournalPosition> before, JournalPosition entry, List<JournalPosition> after) {
        }
        List<Row> rows = List.of(
            new Row(List.of(), p(0, 1, 0), List.of(p(0, 1, 0))),
            new Row(List.of(p(0, 1, 0)), p(1, 1, 1), List.of(p(1, 1, 1), p(0, 1, 0))),
            new Row(List.of(p(3, 1, 3), p(2, 1, 2), p(1, 1, 1), p(0, 1, 0)), p(0, 1, 4),
                List.of(p(0, 1, 4), p(3, 1, 3), p(2, 1, 2), p(1, 1, 1))),
            new Row(List.of(p(0, 1, 4), p(3, 1, 3)), p(5, 1, 5), List.of(p(5, 1, 5), p(0, 1, 4), p(3, 1, 3))));
        for (Row r : rows) {
            assertEquals(r.after(), W4.committed(r.before(), r.entry()), r.toString());
        }
    }

    @Test
    void trimmingStopsAtTheOldestSetAConnectedClientStillNeeds() {
        record Row(String what, long minimumSet, long activeSet, List<List<JournalPosition>> clients, long target) {
        }
        List<Row> rows = List.of(
            new Row("no client: everything below the active set", 0, 3, List.of(), 3),
            new Row("an empty position pins the minimum set", 1, 3, List.of(List.of(p(13, 1, 9)), List.of()), 1),
            new Row("the set of the client's oldest position", 0, 3, List.of(List.of(p(9, 1, 9), p(7, 1, 8))), 1),
            new Row("the slowest client decides", 0, 5, List.of(List.of(p(17, 1, 30)), List.of(p(9, 1, 20))), 2),
            new Row("never below the minimum set", 4, 5, List.of(List.of(p(9, 1, 20))), 4));
        for (Row r : rows) {
            assertEquals(r.target(), W4.trimTarget(r.minimumSet(), r.activeSet(), r.clients()), r.what());
        }
    }

    @Test
    void aSetAdvancesWhenAnEntryWouldOverflowItsObject() {
        JournalSetFill fill = new JournalSetFill(W4, 0);
        record Row(long entryTid, int bytes, JournalSetFill.Placement placement) {
        }
        List<Row> rows = List.of(
            new Row(0, 4000, new JournalSetFill.Placement(0, 0, false)),
            new Row(1, 4096, new JournalSetFill.Placement(0, 1, false)),
            new Row(2, 100, new JournalSetFill.Placement(0, 2, false)),
            new Row(3, 100, new JournalSetFill.Placement(0, 3, false)),
            new Row(4, 96, new JournalSetFill.Placement(0, 0, false)),
            new Row(5, 1, new JournalSetFill.Placement(1, 5, true)),
            new Row(6, 5000, new JournalSetFill.Placement(1, 6, false)),
            new Row(7, 10, new JournalSetFill.Placement(1, 7, false)),
            new Row(8, 10, new JournalSetFill.Placement(1, 4, false)));
        for (Row r : rows) {
            assertEquals(r.placement(), fill.place(r.entryTid(), r.bytes()), r.toString());
        }
        assertEquals(1, fill.activeSet());
    }
}
