package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.JournalEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of an embedded journal entry: event type u8 (librbd's number), timestamp (epoch
 * millis) i64, then the event's fields; and librbd's splitting of a write into entries whose
 * payload fits {@code rbd_journal_max_payload_bytes} ({@code Journal::add_write_event_entries}).
 */
final class JournalEvents {
    /** Type, timestamp. */
    static final int HEADER = 1 + 8;
    /** What a write entry adds to its data: header, offset, length. */
    static final int WRITE_FIXED = HEADER + 8 + 4;

    private JournalEvents() {
    }

    record Timed(JournalEvent event, long timestampMillis) {
    }

    static byte[] encode(JournalEvent event, long timestampMillis) {
        ByteBuffer b;
        if (event instanceof JournalEvent.Discard d) {
            b = header(event, timestampMillis, 16).putLong(d.offset()).putLong(d.length());
        } else if (event instanceof JournalEvent.Write w) {
            b = header(event, timestampMillis, 12 + w.data().length).putLong(w.offset()).putInt(w.data().length)
                .put(w.data());
        } else if (event instanceof JournalEvent.Resize r) {
            b = header(event, timestampMillis, 8).putLong(r.size());
        } else if (event instanceof JournalEvent.OpFinish f) {
            b = header(event, timestampMillis, 12).putLong(f.opTid()).putInt(f.result());
        } else if (event instanceof JournalEvent.SnapCreate c) {
            b = snapOp(event, timestampMillis, c.opTid(), c.snapName());
        } else if (event instanceof JournalEvent.SnapRemove r) {
            b = snapOp(event, timestampMillis, r.opTid(), r.snapName());
        } else if (event instanceof JournalEvent.SnapRollback r) {
            b = snapOp(event, timestampMillis, r.opTid(), r.snapName());
        } else {
            b = header(event, timestampMillis, 0);
        }
        return b.array();
    }

    /** Op tid, then the snapshot name: u32 length and UTF-8 bytes. */
    private static ByteBuffer snapOp(JournalEvent event, long timestampMillis, long opTid, String snapName) {
        byte[] name = snapName.getBytes(StandardCharsets.UTF_8);
        return header(event, timestampMillis, 12 + name.length).putLong(opTid).putInt(name.length).put(name);
    }

    private static String name(ByteBuffer b) {
        byte[] name = new byte[b.getInt()];
        b.get(name);
        return new String(name, StandardCharsets.UTF_8);
    }

    private static ByteBuffer header(JournalEvent event, long timestampMillis, int fields) {
        return ByteBuffer.allocate(HEADER + fields).put((byte) event.type()).putLong(timestampMillis);
    }

    /** Decodes a payload; IllegalArgumentException when it is not one {@link #encode} wrote. */
    static Timed decode(byte[] payload) {
        try {
            ByteBuffer b = ByteBuffer.wrap(payload);
            int type = b.get();
            long timestamp = b.getLong();
            JournalEvent event = switch (type) {
                case 0 -> new JournalEvent.Discard(b.getLong(), b.getLong());
                case 1 -> {
                    long offset = b.getLong();
                    byte[] data = new byte[b.getInt()];
                    b.get(data);
                    yield new JournalEvent.Write(offset, data);
                }
                case 2 -> new JournalEvent.Flush();
                case 3 -> new JournalEvent.OpFinish(b.getLong(), b.getInt());
                case 4 -> new JournalEvent.SnapCreate(b.getLong(), name(b));
                case 5 -> new JournalEvent.SnapRemove(b.getLong(), name(b));
                case 9 -> new JournalEvent.SnapRollback(b.getLong(), name(b));
                case 11 -> new JournalEvent.Resize(b.getLong());
                default -> throw new IllegalArgumentException("unknown journal event type " + type);
            };
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " bytes after a journal event of type " + type);
            }
            return new Timed(event, timestamp);
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated journal event", e);
        }
    }

    /** The write entries of one write: pieces of at most {@code maxAppendSize - WRITE_FIXED} data bytes. */
    static List<JournalEvent> splitWrite(long offset, ByteBuffer data, int maxAppendSize) {
        int max = maxAppendSize - WRITE_FIXED;
        if (max <= 0) {
            throw new IllegalArgumentException("journal append size " + maxAppendSize + " leaves no room for data");
        }
        List<JournalEvent> pieces = new ArrayList<>();
        ByteBuffer rest = data.duplicate();
        long at = offset;
        do {
            byte[] piece = new byte[Math.min(max, rest.remaining())];
            rest.get(piece);
            pieces.add(new JournalEvent.Write(at, piece));
            at += piece.length;
        } while (rest.hasRemaining());
        return pieces;
    }
}
