package io.mirrorhost.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeClockTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void timersFireInDueOrderAtTheirDueTime() {
        FakeClock clock = new FakeClock(T0);
        List<String> fired = new ArrayList<>();
        clock.schedule(Duration.ofSeconds(20), () -> fired.add("b@" + clock.now()));
        clock.schedule(Duration.ofSeconds(10), () -> fired.add("a@" + clock.now()));
        clock.advance(Duration.ofSeconds(15));
        assertEquals(List.of("a@2026-01-01T00:00:10Z"), fired);
        assertEquals(T0.plusSeconds(15), clock.now());
        clock.advance(Duration.ofSeconds(15));
        assertEquals(List.of("a@2026-01-01T00:00:10Z", "b@2026-01-01T00:00:20Z"), fired);
    }

    @Test
    void periodicTimerRepeatsUntilCancelled() {
        FakeClock clock = new FakeClock(T0);
        List<Instant> ticks = new ArrayList<>();
        var timer = clock.every(Duration.ofMinutes(1), () -> ticks.add(clock.now()));
        clock.advance(Duration.ofMinutes(3));
        assertEquals(List.of(T0.plusSeconds(60), T0.plusSeconds(120), T0.plusSeconds(180)), ticks);
        timer.cancel();
        clock.advance(Duration.ofMinutes(3));
        assertEquals(3, ticks.size());
        assertEquals(0, clock.pendingTimers());
        assertFalse(timer.cancel());
    }
}
