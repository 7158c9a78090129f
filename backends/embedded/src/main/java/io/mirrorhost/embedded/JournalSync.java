package io.mirrorhost.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Group commit of a journal's appends: whoever appends is told, in append order, once an fdatasync
 * begun after its write has returned. While one force runs, the appends that arrive queue and the
 * next force covers them all, so concurrent writes share one fsync without a timer.
 */
final class JournalSync {
    private record Waiter(long seq, Runnable onDurable, Consumer<IOException> onFailed) {
    }

    private final Executor forcer;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private FileChannel channel;
    private long written;
    private boolean forcing;
    private IOException failed;

    JournalSync(Executor forcer, FileChannel channel) {
        this.forcer = forcer;
        this.channel = channel;
    }

    /** The file appends go to from now on; the caller has forced the previous one. */
    synchronized void switchTo(FileChannel next) {
        channel = next;
    }

    /**
     * Registers an append whose bytes the caller has written: {@code onDurable} runs once they are
     * durable (on the forcing thread, after every earlier append's), {@code onFailed} if the force fails.
     */
    void appended(Runnable onDurable, Consumer<IOException> onFailed) {
        IOException failure;
        synchronized (this) {
            failure = failed;
            if (failure == null) {
                waiters.add(new Waiter(++written, onDurable, onFailed));
                if (!forcing) {
                    forcing = true;
                    forcer.execute(this::forceLoop);
                }
            }
        }
        if (failure != null) {
            onFailed.accept(failure);
        }
    }

    private void forceLoop() {
        while (true) {
            long target;
            FileChannel ch;
            synchronized (this) {
                if (waiters.isEmpty()) {
                    forcing = false;
                    return;
                }
                target = written;
                ch = channel;
            }
            IOException failure = null;
            try {
                ch.force(false);
            } catch (IOException e) {
                failure = e;
            }
            List<Waiter> done = new ArrayList<>();
            synchronized (this) {
                if (failure != null) {
                    failed = failure;
                }
                while (!waiters.isEmpty() && (failure != null || waiters.peek().seq() <= target)) {
                    done.add(waiters.poll());
                }
            }
            for (Waiter w : done) {
                if (failure == null) {
                    w.onDurable().run();
                } else {
                    w.onFailed().accept(failure);
                }
            }
        }
    }
}
