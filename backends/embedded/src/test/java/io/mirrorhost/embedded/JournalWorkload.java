package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.JournalEvent;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

/**
 * The operations a {@link JournalCrashWorker} round issues to a journaling image, reproducible from
 * the seed and round: writes of 1 to 6 blocks (the longer ones split into two journal entries),
 * discards, flushes and resizes. Every written block starts with its round, op index and block
 * number, so no two writes put the same bytes anywhere.
 */
final class JournalWorkload {
    static final int BLOCK = 4096;
    /** Writes and discards stay below the smallest size a resize picks. */
    static final int IO_BLOCKS = 192;
    static final long[] SIZES = {IO_BLOCKS * (long) BLOCK, 256L * BLOCK, 320L * BLOCK};
    static final long INITIAL_SIZE = SIZES[1];
    /** Small objects and sets, so that a round advances sets and trims them. */
    static final JournalLayout LAYOUT = new JournalLayout(14, 4, 16384);

    private final Random random;
    private final int round;
    private int index;

    JournalWorkload(long seed, int round) {
        this.random = new Random(seed * 31 + round);
        this.round = round;
    }

    record Op(int index, JournalEvent event) {
    }

    Op next() {
        int n = index++;
        int pick = random.nextInt(100);
        JournalEvent event;
        if (pick < 75) {
            int blocks = 1 + random.nextInt(6);
            int first = random.nextInt(IO_BLOCKS - blocks + 1);
            ByteBuffer data = ByteBuffer.allocate(blocks * BLOCK);
            for (int b = 0; b < blocks; b++) {
                data.putInt(b * BLOCK, round).putInt(b * BLOCK + 4, n).putInt(b * BLOCK + 8, first + b);
                data.put(b * BLOCK + 12, (byte) random.nextInt(256));
            }
            event = new JournalEvent.Write((long) first * BLOCK, data.array());
        } else if (pick < 85) {
            int blocks = 1 + random.nextInt(4);
            event = new JournalEvent.Discard((long) random.nextInt(IO_BLOCKS - blocks + 1) * BLOCK, (long) blocks * BLOCK);
        } else if (pick < 95) {
            event = new JournalEvent.Flush();
        } else {
            event = new JournalEvent.Resize(SIZES[random.nextInt(SIZES.length)]);
        }
        return new Op(n, event);
    }

    /** The journal entries' events of an op, as the image splits it. */
    static List<JournalEvent> entries(JournalEvent event) {
        if (event instanceof JournalEvent.Write w) {
            return JournalEvents.splitWrite(w.offset(), ByteBuffer.wrap(w.data()), LAYOUT.maxAppendSize());
        }
        return List.of(event);
    }

    /** Applies an event to a model of the image. */
    static byte[] apply(byte[] image, JournalEvent event) {
        if (event instanceof JournalEvent.Write w) {
            System.arraycopy(w.data(), 0, image, (int) w.offset(), w.data().length);
        } else if (event instanceof JournalEvent.Discard d) {
            java.util.Arrays.fill(image, (int) d.offset(), (int) (d.offset() + d.length()), (byte) 0);
        } else if (event instanceof JournalEvent.Resize r) {
            return java.util.Arrays.copyOf(image, (int) r.size());
        }
        return image;
    }
}
