package io.mirrorhost.api.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits from a test thread with deadlines: on futures, and on conditions polled until they hold. */
public final class Deadlines {
    /** The longest any single cluster call may take (a real Ceph cluster on a busy machine included). */
    public static final Duration CALL = Duration.ofSeconds(60);

    private Deadlines() {
    }

    /** The future's value; its failure rethrown as it is (RuntimeExceptions) or wrapped. */
    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(CALL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + CALL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Polls {@code condition} (every 20 ms, backing off to 500 ms) until it holds or {@code deadline} passes. */
    public static void until(Duration deadline, Supplier<String> what, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        long pauseMs = 20;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
            pauseMs = Math.min(500, pauseMs * 2);
        }
    }
}
