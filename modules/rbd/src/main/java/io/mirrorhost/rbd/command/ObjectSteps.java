package io.mirrorhost.rbd.command;

import io.mirrorhost.api.Cancellation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.LongFunction;

/**
 * Runs one step per object of an image, in order and one at a time, until the last, the first failure
 * or the client going away. Steps are made as they are due, so an image of millions of objects costs
 * the memory of one step, not of a chain built ahead.
 */
final class ObjectSteps {
    private final long count;
    private final Cancellation cancellation;
    private final LongFunction<Future<Void>> step;
    private final Promise<Void> done = Promise.promise();

    private ObjectSteps(long count, Cancellation cancellation, LongFunction<Future<Void>> step) {
        this.count = count;
        this.cancellation = cancellation;
        this.step = step;
    }

    /** Runs {@code step(0)} to {@code step(count - 1)}; fails with ECANCELED once {@code cancellation} is set. */
    static Future<Void> run(long count, Cancellation cancellation, LongFunction<Future<Void>> step) {
        ObjectSteps steps = new ObjectSteps(count, cancellation, step);
        steps.from(0);
        return steps.done.future();
    }

    /** Steps that complete at once go on in this loop, so that they do not nest one call per object. */
    private void from(long first) {
        for (long i = first; i < count; i++) {
            Future<Void> current;
            try {
                cancellation.check();
                current = step.apply(i);
            } catch (RuntimeException e) {
                done.fail(e);
                return;
            }
            if (!current.isComplete()) {
                long next = i + 1;
                current.onComplete(ar -> {
                    if (ar.failed()) {
                        done.fail(ar.cause());
                    } else {
                        from(next);
                    }
                });
                return;
            }
            if (current.failed()) {
                done.fail(current.cause());
                return;
            }
        }
        done.complete();
    }
}
