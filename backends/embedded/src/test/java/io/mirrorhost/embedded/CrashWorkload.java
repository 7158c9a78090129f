package io.mirrorhost.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The deterministic sequence of operations a {@link CrashWorker} performs in one round; the test
 * regenerates it to know what the child did. Writes and discards are 4 KiB-aligned, so that each
 * block holds exactly one write's data (a killed process tears writes at page boundaries only).
 */
final class CrashWorkload {
    static final int ORDER = 16;
    static final int BLOCK = 4096;
    static final int SIZE = 2 << 20;
    static final int BLOCKS = SIZE / BLOCK;

    enum Kind {
        WRITE, DISCARD, FLUSH, SNAP, SNAP_REMOVE;

        /** Whether the op ends with everything before it durable (and is acknowledged on stdout). */
        boolean isSyncPoint() {
            return this == FLUSH || this == SNAP || this == SNAP_REMOVE;
        }
    }

    record Op(int index, Kind kind, int firstBlock, int blockCount, String snapName) {
    }

    private final long seed;
    private final int round;
    private final Random random;
    private final List<String> liveSnaps = new ArrayList<>();
    private int index;

    CrashWorkload(long seed, int round) {
        this.seed = seed;
        this.round = round;
        this.random = new Random(seed * 1_000_003L + round);
    }

    Op next() {
        int i = index++;
        int dice = random.nextInt(100);
        if (dice < 55) {
            int count = 1 + random.nextInt(40);
            return new Op(i, Kind.WRITE, random.nextInt(BLOCKS - count + 1), count, null);
        }
        if (dice < 67) {
            int count = 1 + random.nextInt(40);
            return new Op(i, Kind.DISCARD, random.nextInt(BLOCKS - count + 1), count, null);
        }
        if (dice < 85) {
            return new Op(i, Kind.FLUSH, 0, 0, null);
        }
        if (dice < 95 || liveSnaps.isEmpty()) {
            String name = "r" + round + "-op" + i;
            liveSnaps.add(name);
            return new Op(i, Kind.SNAP, 0, 0, name);
        }
        return new Op(i, Kind.SNAP_REMOVE, 0, 0, liveSnaps.remove(random.nextInt(liveSnaps.size())));
    }

    /** The data of a write op: each block's bytes depend on the round, the op and the block. */
    byte[] data(Op op) {
        byte[] data = new byte[op.blockCount() * BLOCK];
        for (int b = 0; b < op.blockCount(); b++) {
            Random r = new Random(seed ^ ((long) round << 40) ^ ((long) op.index() << 20) ^ (op.firstBlock() + b));
            byte[] block = new byte[BLOCK];
            r.nextBytes(block);
            System.arraycopy(block, 0, data, b * BLOCK, BLOCK);
        }
        return data;
    }
}
