package io.mirrorhost.schedule;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * The module's context, where the scheduler's state lives: every step that reads or changes it
 * runs here, one at a time, so that state needs no lock. Timers, cluster callbacks, commands and
 * the results of work done {@link OffLoop off the loop} come back here before they touch it.
 */
@FunctionalInterface
interface ModuleLoop {
    /** Runs {@code step} on the loop: at once when called there, else after what runs there now. */
    void execute(Runnable step);

    /** The value of {@code step}, computed on the loop; the future fails with what it threw. */
    default <T> Future<T> call(Supplier<T> step) {
        Promise<T> result = Promise.promise();
        execute(() -> {
            try {
                result.complete(step.get());
            } catch (RuntimeException e) {
                result.fail(e);
            }
        });
        return result.future();
    }

    /** {@code future}'s outcome, delivered on the loop (its callbacks may run on any thread). */
    default <T> Future<T> back(Future<T> future) {
        Promise<T> result = Promise.promise();
        future.onComplete(r -> execute(() -> result.handle(r)));
        return result.future();
    }

    /** On a Vert.x context (the module verticle's, in a host). */
    static ModuleLoop on(Context context) {
        return step -> {
            if (Vertx.currentContext() == context) {
                step.run();
            } else {
                context.runOnContext(v -> step.run());
            }
        };
    }

    /** On the calling thread (tests that drive the module from one thread, on a FakeClock). */
    static ModuleLoop inline() {
        return Runnable::run;
    }
}
