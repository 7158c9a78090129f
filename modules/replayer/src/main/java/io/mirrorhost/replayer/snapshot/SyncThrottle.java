package io.mirrorhost.replayer.snapshot;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * rbd-mirror's image-sync throttler: at most {@code limit} image syncs run at once, the others
 * wait their turn in order. Waiters are plain callbacks so that the class stays free of I/O.
 */
public final class SyncThrottle {
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private int limit;
    private int running;

    public SyncThrottle(int limit) {
        setLimit(limit);
    }

    public synchronized void setLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one sync must be allowed");
        }
        this.limit = limit;
    }

    /** Runs {@code start} now or once a slot frees up; the caller must {@link #release} after. */
    public void acquire(Runnable start) {
        synchronized (this) {
            if (running >= limit) {
                waiting.addLast(start);
                return;
            }
            running++;
        }
        start.run();
    }

    /** Takes back a {@code start} still waiting for a slot; false if it ran already (its slot must be released). */
    public synchronized boolean withdraw(Runnable start) {
        return waiting.remove(start);
    }

    public void release() {
        Runnable next;
        synchronized (this) {
            next = running <= limit ? waiting.pollFirst() : null;
            if (next == null) {
                running--;
                return;
            }
        }
        next.run();
    }

    public synchronized int running() {
        return running;
    }

    public synchronized int waiting() {
        return waiting.size();
    }
}
