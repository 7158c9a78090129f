package io.mirrorhost.api;

import java.time.Duration;
import java.time.Instant;

/**
 * The only source of time a module may use, so that tests can replace it with a fake one
 * ({@code FakeClock} in this artifact's test jar) and drive every time decision deterministically.
 */
public interface Clock {
    Instant now();

    /** Runs {@code task} once after {@code delay}, on the module's context. */
    Timer schedule(Duration delay, Runnable task);

    /** Runs {@code task} every {@code period}, the first time after one period. */
    Timer every(Duration period, Runnable task);

    /** A scheduled task that can be cancelled. */
    interface Timer {
        /** @return false if it had already fired (one-shot) or been cancelled */
        boolean cancel();
    }
}
