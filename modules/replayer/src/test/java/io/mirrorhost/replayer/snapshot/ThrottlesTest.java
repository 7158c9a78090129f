package io.mirrorhost.replayer.snapshot;

import static io.mirrorhost.replayer.snapshot.Snaps.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottlesTest {
    @Test
    void bandwidthAllowsOneSecondOfBurstThenPacesReads() {
        BandwidthLimiter limiter = new BandwidthLimiter(1000);
        assertEquals(Duration.ZERO, limiter.reserve(1000, T0), "a full bucket");
        assertEquals(Duration.ofMillis(500), limiter.reserve(500, T0));
        assertEquals(Duration.ofMillis(1000), limiter.reserve(500, T0), "reservations queue up");
        assertEquals(Duration.ofMillis(500), limiter.reserve(500, T0.plusSeconds(1)), "a second refills 1000");
        assertEquals(Duration.ZERO, new BandwidthLimiter(0).reserve(1L << 40, T0), "zero is unlimited");
        limiter.setLimit(0);
        assertEquals(Duration.ZERO, limiter.reserve(1L << 40, T0));
        assertThrows(IllegalArgumentException.class, () -> new BandwidthLimiter(-1));
    }

    @Test
    void theBucketNeverHoldsMoreThanOneSecond() {
        BandwidthLimiter limiter = new BandwidthLimiter(1000);
        limiter.reserve(0, T0);
        assertEquals(Duration.ZERO, limiter.reserve(1000, T0.plusSeconds(60)));
        assertEquals(Duration.ofMillis(100), limiter.reserve(100, T0.plusSeconds(60)));
    }

    @Test
    void syncsBeyondTheLimitWaitTheirTurnInOrder() {
        SyncThrottle throttle = new SyncThrottle(2);
        List<String> started = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            throttle.acquire(() -> started.add(name));
        }
        assertEquals(List.of("a", "b"), started);
        assertEquals(2, throttle.waiting());
        throttle.release();
        assertEquals(List.of("a", "b", "c"), started);
        assertEquals(2, throttle.running());
        throttle.setLimit(1);
        throttle.release();
        assertEquals(List.of("a", "b", "c"), started, "the lowered limit holds d back");
        assertEquals(1, throttle.running());
        throttle.release();
        assertEquals(List.of("a", "b", "c", "d"), started);
        throttle.release();
        assertEquals(0, throttle.running());
        assertThrows(IllegalArgumentException.class, () -> new SyncThrottle(0));
    }

    @Test
    void aSyncWithdrawnWhileWaitingNeverStarts() {
        SyncThrottle throttle = new SyncThrottle(1);
        List<String> started = new ArrayList<>();
        Runnable a = () -> started.add("a");
        Runnable b = () -> started.add("b");
        throttle.acquire(a);
        throttle.acquire(b);
        assertFalse(throttle.withdraw(a), "a runs: its slot is released, not withdrawn");
        assertTrue(throttle.withdraw(b));
        throttle.release();
        assertEquals(List.of("a"), started);
        assertEquals(0, throttle.running());
    }

    @Test
    void dataPoolFollowsTheGuide() {
        List<String> localPools = List.of("rbd", "data-ec");
        assertEquals("fast", DataPoolChoice.choose("fast", "data-ec", "rbd", localPools), "rbd_default_data_pool wins");
        assertEquals("data-ec", DataPoolChoice.choose("", "data-ec", "rbd", localPools), "same-named local pool");
        assertNull(DataPoolChoice.choose("", "elsewhere", "rbd", localPools), "no such local pool");
        assertNull(DataPoolChoice.choose(null, "rbd", "rbd", localPools), "the image's own pool is no data pool");
        assertNull(DataPoolChoice.choose("", null, "rbd", localPools));
    }
}
