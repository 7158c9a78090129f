package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store's own worker threads: every file and SQLite call runs here, never on an event loop,
 * and its result completes a Vert.x future back on the caller's context.
 */
final class StoreExecutor implements AutoCloseable {
    /**
     * More than the cores: a thread whose transaction waits for a group commit holds its lane, and
     * the more lanes wait together, the more transactions one commit covers.
     */
    private static final int THREADS = 16;
    private static final int SYNC_THREADS = 4;

    private final Vertx vertx;
    private final ExecutorService pool;
    private final ExecutorService syncPool;

    StoreExecutor(Vertx vertx) {
        this.vertx = vertx;
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "embedded-store-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(THREADS, threads);
        this.syncPool = Executors.newFixedThreadPool(SYNC_THREADS, r -> {
            Thread t = new Thread(r, "embedded-fsync-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Threads that only wait in fsync, so that several files' writeback overlaps. */
    ExecutorService syncPool() {
        return syncPool;
    }

    SerialLane newLane() {
        return new SerialLane(pool);
    }

    ExecutorService pool() {
        return pool;
    }

    @FunctionalInterface
    interface Work<T> {
        T call() throws IOException, SQLException;
    }

    /** Runs {@code work} on {@code lane} and completes the returned future on the caller's context. */
    <T> Future<T> run(SerialLane lane, Work<T> work) {
        Context context = vertx.getOrCreateContext();
        Promise<T> promise = Promise.promise();
        try {
            lane.execute(() -> {
                T result;
                try {
                    result = work.call();
                } catch (Throwable failure) {
                    ClusterException mapped = toClusterException(failure);
                    context.runOnContext(v -> promise.fail(mapped));
                    return;
                }
                context.runOnContext(v -> promise.complete(result));
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return Future.failedFuture(new ClusterException(Errno.ESHUTDOWN, "the embedded cluster is closed"));
        }
        return promise.future();
    }

    /** Completes a {@link #runDeferred} future, from whichever thread its work ends on. */
    interface Completion {
        void succeeded();

        void failed(Throwable failure);
    }

    @FunctionalInterface
    interface DeferredWork {
        void call(Completion done) throws IOException, SQLException;
    }

    /**
     * Runs {@code work} on {@code lane}; the returned future completes (on the caller's context) when
     * the work calls its {@link Completion}, which may be later, from another task.
     */
    Future<Void> runDeferred(SerialLane lane, DeferredWork work) {
        Context context = vertx.getOrCreateContext();
        Promise<Void> promise = Promise.promise();
        Completion done = new Completion() {
            @Override
            public void succeeded() {
                context.runOnContext(v -> promise.tryComplete());
            }

            @Override
            public void failed(Throwable failure) {
                ClusterException mapped = toClusterException(failure);
                context.runOnContext(v -> promise.tryFail(mapped));
            }
        };
        try {
            lane.execute(() -> {
                try {
                    work.call(done);
                } catch (Throwable failure) {
                    done.failed(failure);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return Future.failedFuture(new ClusterException(Errno.ESHUTDOWN, "the embedded cluster is closed"));
        }
        return promise.future();
    }

    static ClusterException toClusterException(Throwable failure) {
        if (failure instanceof ClusterException ce) {
            return ce;
        }
        if (failure instanceof IOException || failure instanceof SQLException) {
            return new ClusterException(Errno.EIO, "embedded store I/O failed: " + failure.getMessage(), failure);
        }
        return new ClusterException(Errno.EIO, "embedded store failed: " + failure, failure);
    }

    @Override
    public void close() {
        pool.shutdown();
        syncPool.shutdown();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
            syncPool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
