package io.mirrorhost.api.testing;

import io.mirrorhost.api.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A clock for tests: time stands still until {@link #advance} moves it, and timers fire, in order of
 * their due time, on the thread that advances it.
 */
public final class FakeClock implements Clock {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private Instant now;
    private long sequence;

    public FakeClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable task) {
        Task t = new Task(now.plus(delay), null, task, sequence++);
        tasks.add(t);
        return t;
    }

    @Override
    public synchronized Timer every(Duration period, Runnable task) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive");
        }
        Task t = new Task(now.plus(period), period, task, sequence++);
        tasks.add(t);
        return t;
    }

    /** Moves time forward by {@code step}, running every timer that falls due on the way. */
    public void advance(Duration step) {
        Instant target;
        synchronized (this) {
            target = now.plus(step);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due.isAfter(target)) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = next.due;
                if (next.period != null && !next.cancelled) {
                    tasks.add(new Task(next.due.plus(next.period), next.period, next.action, sequence++, next));
                }
            }
            if (!next.isCancelled()) {
                next.action.run();
            }
        }
    }

    public synchronized int pendingTimers() {
        return (int) tasks.stream().filter(t -> !t.isCancelled()).count();
    }

    private static final class Task implements Comparable<Task>, Timer {
        final Instant due;
        final Duration period;
        final Runnable action;
        final long seq;
        final Task origin;
        boolean cancelled;

        Task(Instant due, Duration period, Runnable action, long seq) {
            this(due, period, action, seq, null);
        }

        Task(Instant due, Duration period, Runnable action, long seq, Task origin) {
            this.due = due;
            this.period = period;
            this.action = action;
            this.seq = seq;
            this.origin = origin == null ? this : origin.origin;
        }

        boolean isCancelled() {
            return origin.cancelled;
        }

        @Override
        public boolean cancel() {
            synchronized (this.origin) {
                boolean was = origin.cancelled;
                origin.cancelled = true;
                return !was;
            }
        }

        @Override
        public int compareTo(Task o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
