package io.mirrorhost.schedule;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Runs the bulky preparation of a rescan's steps (up to 100,000 images) where it does not hold up
 * the module's {@link ModuleLoop}, which then only applies each prepared step. The module hands
 * such work to Vert.x's worker pool; tests run it inline or step by step.
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
