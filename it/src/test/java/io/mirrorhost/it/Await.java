package io.mirrorhost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits with deadlines: on futures, and on conditions that become true (polled, never slept on blindly). */
final class Await {
    static final Duration CALL = Duration.ofSeconds(60);

    private Await() {
    }

    static <T> T result(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(CALL.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + CALL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Asserts the future fails with a ClusterException of {@code errno}; returns it. */
    static ClusterException failure(Errno errno, Future<?> future) {
        try {
            Object value = result(future);
            return fail("expected " + errno + " but got " + value);
        } catch (ClusterException e) {
            assertEquals(errno, e.errno(), () -> "message: " + e.getMessage());
            return e;
        } catch (RuntimeException e) {
            assertInstanceOf(ClusterException.class, e);
            throw e;
        }
    }

    /** Polls {@code condition} (backing off to 1 s) until it holds or {@code deadline} passes. */
    static void until(Duration deadline, Supplier<String> what, BooleanSupplier condition) {
        Instant end = Instant.now().plus(deadline);
        long delayMs = 100;
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                fail("timed out after " + deadline + " waiting for " + what.get());
            }
            pause(delayMs);
            delayMs = Math.min(1000, delayMs * 2);
        }
    }

    /** The pause between two polls of a condition: a bounded wait on an object nobody notifies. */
    private static void pause(long millis) {
        Object monitor = new Object();
        synchronized (monitor) {
            try {
                monitor.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
