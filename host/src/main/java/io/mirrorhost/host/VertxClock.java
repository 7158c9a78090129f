package io.mirrorhost.host;

import io.mirrorhost.api.Clock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** The real clock: wall time, and Vert.x timers whose tasks run on the module's context. */
final class VertxClock implements Clock {
    private final Vertx vertx;
    private final Supplier<Context> moduleContext;

    VertxClock(Vertx vertx, Supplier<Context> moduleContext) {
        this.vertx = vertx;
        this.moduleContext = moduleContext;
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Context target = moduleContext.get();
        AtomicBoolean done = new AtomicBoolean();
        long id = vertx.setTimer(Math.max(1, delay.toMillis()), t -> runOn(target, () -> {
            if (done.compareAndSet(false, true)) {
                task.run();
            }
        }));
        return cancelOnce(done, id);
    }

    @Override
    public Timer every(Duration period, Runnable task) {
        Context target = moduleContext.get();
        AtomicBoolean cancelled = new AtomicBoolean();
        long millis = Math.max(1, period.toMillis());
        long id = vertx.setPeriodic(millis, millis, t -> runOn(target, () -> {
            if (!cancelled.get()) {
                task.run();
            }
        }));
        return cancelOnce(cancelled, id);
    }

    /** A timer that cancels at most once; the flag also stops a firing already queued on the context. */
    private Timer cancelOnce(AtomicBoolean finished, long timerId) {
        return () -> {
            if (!finished.compareAndSet(false, true)) {
                return false;
            }
            vertx.cancelTimer(timerId);
            return true;
        };
    }

    private static void runOn(Context target, Runnable task) {
        if (target == null || Vertx.currentContext() == target) {
            task.run();
        } else {
            target.runOnContext(v -> task.run());
        }
    }
}
