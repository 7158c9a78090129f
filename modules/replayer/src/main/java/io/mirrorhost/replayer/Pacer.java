package io.mirrorhost.replayer;

import io.vertx.core.Context;
import java.time.Duration;

/**
 * Runs an update at most once per interval of real time: at once when the last run is older,
 * otherwise once at the end of the interval (so the latest change is never left unwritten, even
 * when nothing changes after it). rbd-mirror paces its sync-point and status updates the same way
 * ({@code rbd_mirror_sync_point_update_age}); every update costs a durable commit on a site.
 * Used on one Vert.x context only.
 */
final class Pacer {
    private final Context context;
    private final long intervalNanos;
    private final Runnable update;
    private long lastRun = Long.MIN_VALUE;
    private boolean scheduled;
    private boolean cancelled;

    Pacer(Context context, Duration interval, Runnable update) {
        this.context = context;
        this.intervalNanos = interval.toNanos();
        this.update = update;
    }

    /** Something changed: update now or at the end of the current interval. */
    void changed() {
        if (cancelled || scheduled) {
            return;
        }
        long now = System.nanoTime();
        long wait = lastRun == Long.MIN_VALUE ? 0 : lastRun + intervalNanos - now;
        if (wait <= 0) {
            run();
            return;
        }
        scheduled = true;
        context.owner().setTimer(Math.max(1, wait / 1_000_000), id -> context.runOnContext(v -> {
            scheduled = false;
            if (!cancelled) {
                run();
            }
        }));
    }

    /** No further update (the copy ended or stopped). */
    void cancel() {
        cancelled = true;
    }

    private void run() {
        lastRun = System.nanoTime();
        update.run();
    }
}
