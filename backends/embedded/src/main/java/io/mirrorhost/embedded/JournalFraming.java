package io.mirrorhost.embedded;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Ceph's journal entry framing ({@code src/journal/Entry.cc}), little-endian: preamble u64, version
 * u8, entry_tid u64, tag_tid u64, data length u32 + data, crc32c u32 over everything before it.
 * The crc is Java's CRC32C (Ceph seeds 0 without the final xor): only our own readers read
 * embedded journals. A scan stops at the first frame that is short or fails a check, so what it
 * returns is always a prefix of what was appended: a torn tail is cut, never skipped over.
 */
final class JournalFraming {
    static final long PREAMBLE = 0x3141592653589793L;
    static final byte VERSION = 1;
    /** Bytes a frame adds to its payload. */
    static final int OVERHEAD = 8 + 1 + 8 + 8 + 4 + 4;

    private JournalFraming() {
    }

    static byte[] encode(JournalEntry entry) {
        ByteBuffer b = ByteBuffer.allocate(OVERHEAD + entry.payload().length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(PREAMBLE).put(VERSION).putLong(entry.entryTid()).putLong(entry.tagTid())
            .putInt(entry.payload().length).put(entry.payload());
        b.putInt((int) crc(b.array(), b.position()));
        return b.array();
    }

    /** The whole frames at the start of {@code bytes}, and how many bytes they take. */
    record Scan(List<JournalEntry> entries, long validBytes) {
    }

    static Scan scan(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int start = b.position();
        List<JournalEntry> entries = new ArrayList<>();
        int valid = start;
        while (b.remaining() >= OVERHEAD) {
            int frame = b.position();
            if (b.getLong() != PREAMBLE || b.get() != VERSION) {
                break;
            }
            long entryTid = b.getLong();
            long tagTid = b.getLong();
            int length = b.getInt();
            if (length < 0 || b.remaining() < length + 4L) {
                break;
            }
            byte[] payload = new byte[length];
            b.get(payload);
            int crc = b.getInt();
            byte[] covered = new byte[OVERHEAD - 4 + length];
            b.duplicate().position(frame).get(covered);
            if ((int) crc(covered, covered.length) != crc) {
                break;
            }
            entries.add(new JournalEntry(tagTid, entryTid, payload));
            valid = b.position();
        }
        return new Scan(entries, valid - start);
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
