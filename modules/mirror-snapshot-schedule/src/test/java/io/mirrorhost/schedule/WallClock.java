package io.mirrorhost.schedule;

import io.mirrorhost.api.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Real time shifted by a fixed offset (so a benchmark can start just before a minute mark), with
 * timers on one thread as a module's context runs them. For benchmarks, where time must pass for real.
 */
final class WallClock implements Clock, AutoCloseable {
    private final Duration offset;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wall-clock-timers");
        t.setDaemon(true);
        return t;
    });

    /** A clock that reads {@code start} now. */
    WallClock(Instant start) {
        this.offset = Duration.between(Instant.now(), start);
    }

    @Override
    public Instant now() {
        return Instant.now().plus(offset);
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        return cancelling(timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public Timer every(Duration period, Runnable task) {
        long nanos = period.toNanos();
        return cancelling(timers.scheduleAtFixedRate(task, nanos, nanos, TimeUnit.NANOSECONDS));
    }

    private static Timer cancelling(ScheduledFuture<?> future) {
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
