package io.mirrorhost.embedded.net;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Blocking waits with deadlines for tests that drive async code from the test thread. */
final class Await {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private Await() {
    }

    /**
     * Starts a server again on the port a closed one had. A client reconnecting meanwhile can hold
     * that port for a moment (a TCP connect from the same ephemeral port range may land on it), so
     * EBUSY is retried until the deadline.
     */
    static ClusterServer restartOnSamePort(java.util.function.Supplier<Future<ClusterServer>> start) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return result(start.get());
            } catch (ClusterException e) {
                if (e.errno() != io.mirrorhost.api.Errno.EBUSY || System.nanoTime() > deadline) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    static <T> T result(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError("future failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("future did not complete within " + DEADLINE, e);
        }
    }

    static ClusterException failure(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(ClusterException.class, e.getCause(), "failure " + e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("future did not complete within " + DEADLINE, e);
        }
        return fail("expected a failure but the call succeeded");
    }

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }
}
