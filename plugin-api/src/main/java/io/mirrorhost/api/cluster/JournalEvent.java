package io.mirrorhost.api.cluster;

import java.util.Arrays;

/**
 * What a journal entry records: librbd's {@code EventEntry} events that the embedded backend
 * journals so far. {@link #type()} is librbd's {@code EventType} number. A snapshot operation is
 * two entries, as librbd writes it: its event before it runs, then {@link OpFinish} with the same
 * {@code opTid} and its result (0, or a negative errno) after.
 */
public sealed interface JournalEvent {
    int type();

    record Discard(long offset, long length) implements JournalEvent {
        @Override
        public int type() {
            return 0;
        }
    }

    record Write(long offset, byte[] data) implements JournalEvent {
        @Override
        public int type() {
            return 1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Write w && w.offset == offset && Arrays.equals(w.data, data);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(offset) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Write[" + offset + ", " + data.length + " bytes]";
        }
    }

    record Flush() implements JournalEvent {
        @Override
        public int type() {
            return 2;
        }
    }

    record Resize(long size) implements JournalEvent {
        @Override
        public int type() {
            return 11;
        }
    }

    record OpFinish(long opTid, int result) implements JournalEvent {
        @Override
        public int type() {
            return 3;
        }
    }

    record SnapCreate(long opTid, String snapName) implements JournalEvent {
        @Override
        public int type() {
            return 4;
        }
    }

    record SnapRemove(long opTid, String snapName) implements JournalEvent {
        @Override
        public int type() {
            return 5;
        }
    }

    record SnapRollback(long opTid, String snapName) implements JournalEvent {
        @Override
        public int type() {
            return 9;
        }
    }
}
