package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waits for store futures with a deadline, for tests that drive the store from a test thread. */
final class Await {
    private Await() {
    }

    static <T> T result(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError("store call did not complete in time", e);
        }
    }

    /** Asserts that {@code future} fails with a ClusterException carrying {@code errno}; returns it. */
    static ClusterException failure(Errno errno, Future<?> future) {
        try {
            Object value = result(future);
            fail("expected " + errno + " but the call succeeded with " + value);
            return null;
        } catch (ClusterException e) {
            assertEquals(errno, e.errno(), () -> "wrong errno, message: " + e.getMessage());
            return e;
        }
    }
}
