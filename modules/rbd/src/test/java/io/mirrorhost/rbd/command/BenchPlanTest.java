package io.mirrorhost.rbd.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BenchPlanTest {

    private static List<Long> offsets(BenchPlan plan, long imageSize) {
        BenchPlan.Offsets offsets = plan.offsets(imageSize, new Random(1));
        List<Long> all = new ArrayList<>();
        while (offsets.hasNext()) {
            all.add(offsets.next());
        }
        return all;
    }

    @Test
    void defaultsAreRbds() {
        BenchPlan plan = BenchPlan.parse("write", "", "", "", "", "");
        assertEquals(4096, plan.ioSize);
        assertEquals(16, plan.ioThreads);
        assertEquals(1L << 30, plan.totalBytes);
        assertEquals(false, plan.random);
        assertEquals(0, plan.readPercentage);
        assertEquals(100, BenchPlan.parse("read", "", "", "", "", "").readPercentage);
        assertEquals(50, BenchPlan.parse("rw", "", "", "", "", "").readPercentage);
        assertEquals(70, BenchPlan.parse("readwrite", "", "", "", "", "70").readPercentage);
    }

    @Test
    void sequentialThreadsStartAtTheirShareAndMoveOn() {
        // 4 threads on a 64 KiB image of 4 KiB I/Os: shares of 4 I/Os each
        BenchPlan plan = BenchPlan.parse("write", "4K", "4", "32K", "seq", "");
        assertEquals(List.of(0L, 16384L, 32768L, 49152L, 4096L, 20480L, 36864L, 53248L), offsets(plan, 64 << 10));
    }

    @Test
    void sequentialOffsetsWrapInsideTheImage() {
        BenchPlan plan = BenchPlan.parse("write", "4K", "2", "64K", "seq", "");
        for (long offset : offsets(plan, 16 << 10)) {
            assertTrue(offset >= 0 && offset + 4096 <= 16 << 10, "offset " + offset);
        }
    }

    @Test
    void randomOffsetsAreAlignedAndInside() {
        BenchPlan plan = BenchPlan.parse("write", "64K", "4", "8M", "rand", "");
        List<Long> offsets = offsets(plan, 1 << 20);
        assertEquals(128, offsets.size());
        for (long offset : offsets) {
            assertEquals(0, offset % 65536);
            assertTrue(offset + 65536 <= 1 << 20);
        }
    }

    @Test
    void rbdsMessagesInRbdsOrder() {
        assertEquals("rbd: the argument for option '--io-type' is invalid",
                error(() -> BenchPlan.parse("bogus", "", "", "", "", ""), Errno.EPERM));
        assertEquals("rbd: the argument for option '--io-pattern' is invalid",
                error(() -> BenchPlan.parse("write", "", "", "", "zigzag", ""), Errno.EPERM));
        assertEquals("rbd: the argument for option '--io-size' is invalid",
                error(() -> BenchPlan.parse("write", "4X", "", "", "", ""), Errno.EPERM));
        assertEquals("rbd: the argument for option '--io-threads' is invalid",
                error(() -> BenchPlan.parse("write", "", "many", "", "", ""), Errno.EPERM));
        assertEquals("rbd: --io-type must be specified.",
                error(() -> BenchPlan.parse("", "", "", "", "", ""), Errno.EINVAL));
        assertEquals("rbd: --io-size should be greater than zero.",
                error(() -> BenchPlan.parse("write", "0", "", "", "", ""), Errno.EINVAL));
        assertEquals("rbd: --io-threads should be greater than zero.",
                error(() -> BenchPlan.parse("write", "", "0", "", "", ""), Errno.EINVAL));
        assertEquals("rbd: --rw-mix-read should not be larger than 100.",
                error(() -> BenchPlan.parse("readwrite", "", "", "", "", "101"), Errno.EINVAL));
    }

    private static String error(Runnable action, Errno errno) {
        CommandException e = assertThrows(CommandException.class, action::run);
        assertEquals(errno, e.errno());
        return e.getMessage();
    }
}
