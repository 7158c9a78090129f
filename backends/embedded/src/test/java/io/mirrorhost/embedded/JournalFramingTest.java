package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalFramingTest {
    private static final JournalEntry A = new JournalEntry(3, 0, new byte[] {1, 2, 3});
    private static final JournalEntry B = new JournalEntry(3, 1, new byte[0]);
    private static final JournalEntry C = new JournalEntry(4, 0, new byte[100]);

    private static byte[] concat(JournalEntry... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JournalEntry e : entries) {
            out.writeBytes(JournalFraming.encode(e));
        }
        return out.toByteArray();
    }

    @Test
    void aFrameIsCephsLayout() {
        ByteBuffer b = ByteBuffer.wrap(JournalFraming.encode(A)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(JournalFraming.OVERHEAD + 3, b.remaining());
        assertEquals(0x3141592653589793L, b.getLong());
        assertEquals(1, b.get());
        assertEquals(0, b.getLong(), "entry tid before tag tid");
        assertEquals(3, b.getLong());
        assertEquals(3, b.getInt());
    }

    @Test
    void scanStopsAtTheFirstDamagedFrame() {
        byte[] whole = concat(A, B, C);
        int ab = 2 * JournalFraming.OVERHEAD + 3;
        record Row(String what, byte[] bytes, List<JournalEntry> entries, long valid) {
        }
        byte[] badCrc = whole.clone();
        badCrc[ab + JournalFraming.OVERHEAD] ^= 1; // C's data
        byte[] badPreambleOfB = whole.clone();
        badPreambleOfB[JournalFraming.OVERHEAD + 3] ^= 1;
        byte[] badLength = whole.clone();
        badLength[ab + 25] = (byte) 0xff;
        List<Row> rows = List.of(
            new Row("whole", whole, List.of(A, B, C), whole.length),
            new Row("empty", new byte[0], List.of(), 0),
            new Row("torn inside C's data", java.util.Arrays.copyOf(whole, whole.length - 5), List.of(A, B), ab),
            new Row("torn inside C's header", java.util.Arrays.copyOf(whole, ab + 10), List.of(A, B), ab),
            new Row("zeros after the last frame (preallocated)", java.util.Arrays.copyOf(whole, whole.length + 64),
                List.of(A, B, C), whole.length),
            new Row("crc mismatch", badCrc, List.of(A, B), ab),
            new Row("B's preamble damaged: C is not read either", badPreambleOfB, List.of(A),
                JournalFraming.OVERHEAD + 3),
            new Row("length past the end", badLength, List.of(A, B), ab));
        for (Row r : rows) {
            JournalFraming.Scan scan = JournalFraming.scan(ByteBuffer.wrap(r.bytes()));
            assertEquals(r.entries(), scan.entries(), r.what());
            assertEquals(r.valid(), scan.validBytes(), r.what());
        }
    }
}
