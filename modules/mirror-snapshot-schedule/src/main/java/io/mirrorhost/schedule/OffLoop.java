package io.mirrorhost.schedule;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Runs CPU-heavy bookkeeping (a rescan's 100,000 images) where it does not hold up an event loop.
 * The scheduler's futures complete on whichever thread finished the last read, with the embedded
 * store an event loop; the module hands such steps to Vert.x's worker pool, tests run them inline.
 */
@FunctionalInterface
interface OffLoop {
    /** Runs {@code work}; the future fails with what it threw. */
    Future<Void> run(Runnable work);

    /** On {@code vertx}'s worker pool, unordered (the scheduler orders its steps itself). */
    static OffLoop workersOf(Vertx vertx) {
        return work -> vertx.executeBlocking(() -> {
            work.run();
            return null;
        }, false);
    }

    /** On the calling thread, at once (tests on a FakeClock). */
    static OffLoop inline() {
        return work -> {
            try {
                work.run();
                return Future.succeededFuture();
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        };
    }
}
