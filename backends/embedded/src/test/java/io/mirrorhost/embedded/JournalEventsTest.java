package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.cluster.JournalEvent;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalEventsTest {
    @Test
    void everyEventRoundTrips() {
        List<JournalEvent> events = List.of(new JournalEvent.Discard(4096, 8192), new JournalEvent.Write(512, new byte[] {9, 8}),
            new JournalEvent.Write(0, new byte[0]), new JournalEvent.Flush(), new JournalEvent.Resize(1L << 40),
            new JournalEvent.OpFinish(7, -17), new JournalEvent.SnapCreate(1, "s\u00e9"), new JournalEvent.SnapRemove(2, ""),
            new JournalEvent.SnapRollback(3, "before-upgrade"));
        for (JournalEvent e : events) {
            assertEquals(new JournalEvents.Timed(e, 1234567L), JournalEvents.decode(JournalEvents.encode(e, 1234567L)),
                e.toString());
        }
    }

    @Test
    void damagedPayloadsAreRefused() {
        byte[] write = JournalEvents.encode(new JournalEvent.Write(0, new byte[10]), 1);
        for (byte[] bad : List.of(new byte[0], new byte[] {42, 0, 0, 0, 0, 0, 0, 0, 0},
            java.util.Arrays.copyOf(write, write.length - 1), java.util.Arrays.copyOf(write, write.length + 1))) {
            assertThrows(IllegalArgumentException.class, () -> JournalEvents.decode(bad));
        }
    }

    @Test
    void writesSplitAtTheMaxAppendSize() {
        int max = 16384;
        int data = max - JournalEvents.WRITE_FIXED;
        record Row(int length, List<Integer> pieces) {
        }
        for (Row r : List.of(new Row(0, List.of(0)), new Row(4096, List.of(4096)), new Row(data, List.of(data)),
            new Row(data + 1, List.of(data, 1)), new Row(3 * data + 7, List.of(data, data, data, 7)))) {
            byte[] bytes = new byte[r.length()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) i;
            }
            List<JournalEvent> pieces = JournalEvents.splitWrite(1000, ByteBuffer.wrap(bytes), max);
            assertEquals(r.pieces(), pieces.stream().map(p -> ((JournalEvent.Write) p).data().length).toList(), "" + r);
            long at = 1000;
            for (JournalEvent p : pieces) {
                JournalEvent.Write w = (JournalEvent.Write) p;
                assertEquals(at, w.offset());
                assertEquals((byte) (at - 1000), w.data().length == 0 ? (byte) 0 : w.data()[0]);
                assertEquals(true, JournalEvents.encode(w, 0).length <= max);
                at += w.data().length;
            }
        }
    }
}
