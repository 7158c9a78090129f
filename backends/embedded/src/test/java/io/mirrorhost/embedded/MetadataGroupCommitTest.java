package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent transactions of {@link Metadata} share commits, and each still stands or falls alone. */
class MetadataGroupCommitTest {
    @TempDir
    Path dir;

    private Metadata metadata;
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws Exception {
        metadata = Metadata.open(dir);
    }

    @AfterEach
    void close() throws Exception {
        callers.shutdownNow();
        metadata.close();
    }

    private static void put(Metadata.Tx tx, String key) throws SQLException {
        tx.update("INSERT INTO config_keys (key, value) VALUES (?, 'v')", key);
    }

    private List<String> keysAfterReopen() throws Exception {
        metadata.close();
        metadata = Metadata.open(dir);
        return metadata.transaction(tx -> tx.query("SELECT key FROM config_keys ORDER BY key", r -> r.getString(1)));
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** A transaction that holds the connection until released, so that others queue behind it. */
    private Future<Long> blockingTransaction(String key, CountDownLatch started, CountDownLatch release) {
        return callers.submit(() -> {
            metadata.transaction(tx -> {
                put(tx, key);
                started.countDown();
                assertTrue(awaitInTransaction(release));
                return null;
            });
            return metadata.commitCount();
        });
    }

    /** A transaction's work may throw only SQLException: an interrupt there fails the test. */
    private static boolean awaitInTransaction(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while holding the connection", e);
        }
    }

    @Test
    void transactionsQueuedBehindOneAnotherShareOneCommitAndEachReturnsOnlyOnceCovered() throws Exception {
        long before = metadata.commitCount();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> first = blockingTransaction("a", started, release);
        assertTrue(started.await(30, TimeUnit.SECONDS));
        List<Future<Long>> queued = new ArrayList<>();
        for (String key : List.of("b", "c", "d")) {
            queued.add(callers.submit(() -> {
                metadata.transaction(tx -> {
                    put(tx, key);
                    return null;
                });
                return metadata.commitCount();
            }));
        }
        waitFor(() -> metadata.queuedCallers() == 3, "three callers queued");
        assertEquals(before, metadata.commitCount(), "nothing committed while the first holds the connection");
        release.countDown();

        // every caller returned after a commit that covers its work: the single one
        assertEquals(before + 1, first.get(30, TimeUnit.SECONDS));
        for (Future<Long> f : queued) {
            assertEquals(before + 1, f.get(30, TimeUnit.SECONDS));
        }
        assertEquals(before + 1, metadata.commitCount(), "four transactions, one commit");
        assertEquals(List.of("a", "b", "c", "d"), keysAfterReopen());
    }

    @Test
    void aFailingTransactionInABatchRollsBackOnlyItsOwnWork() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> first = blockingTransaction("a", started, release);
        assertTrue(started.await(30, TimeUnit.SECONDS));
        Future<Void> failing = callers.submit(() -> metadata.transaction(tx -> {
            put(tx, "b");
            put(tx, "b2");
            throw new IllegalStateException("refused after writing");
        }));
        waitFor(() -> metadata.queuedCallers() == 1, "the failing caller queued");
        Future<Object> last = callers.submit(() -> metadata.transaction(tx -> {
            put(tx, "c");
            return null;
        }));
        waitFor(() -> metadata.queuedCallers() == 2, "the last caller queued");
        release.countDown();

        first.get(30, TimeUnit.SECONDS);
        last.get(30, TimeUnit.SECONDS);
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> failing.get(30, TimeUnit.SECONDS));
        assertEquals("refused after writing", refused.getCause().getMessage());
        assertEquals(List.of("a", "c"), keysAfterReopen());
    }

    @Test
    void aConstraintViolationFailsItsTransactionAndLeavesTheBatchCommittable() throws Exception {
        metadata.transaction(tx -> {
            put(tx, "taken");
            return null;
        });
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> first = blockingTransaction("a", started, release);
        assertTrue(started.await(30, TimeUnit.SECONDS));
        Future<Void> duplicate = callers.submit(() -> metadata.transaction(tx -> {
            put(tx, "z");
            put(tx, "taken");
            return null;
        }));
        waitFor(() -> metadata.queuedCallers() == 1, "the duplicate queued");
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> duplicate.get(30, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof SQLException, failed.getCause().toString());
        assertEquals(List.of("a", "taken"), keysAfterReopen());
    }

    @Test
    void aTransactionAloneCommitsAtOnceAndAReadAloneCommitsNothing() throws Exception {
        long before = metadata.commitCount();
        metadata.transaction(tx -> {
            put(tx, "a");
            return null;
        });
        assertEquals(before + 1, metadata.commitCount());
        assertEquals(List.of("a"),
                metadata.transaction(tx -> tx.query("SELECT key FROM config_keys", r -> r.getString(1))));
        assertEquals(before + 1, metadata.commitCount());
    }

    @Test
    void aNestedTransactionIsPartOfItsCallersAndItsFailureUndoesOnlyItself() throws Exception {
        metadata.transaction(tx -> {
            put(tx, "outer");
            try {
                metadata.transaction(inner -> {
                    put(inner, "inner");
                    throw new IllegalStateException("inner refused");
                });
            } catch (IllegalStateException expected) {
                // the outer transaction goes on
            }
            metadata.transaction(inner -> {
                put(inner, "kept");
                return null;
            });
            return null;
        });
        assertEquals(List.of("kept", "outer"), keysAfterReopen());
    }

    @Test
    void manyConcurrentWritersAllPersist() throws Exception {
        int threads = 8;
        int each = 200;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        String key = String.format("%d-%04d", thread, i);
                        metadata.transaction(tx -> {
                            put(tx, key);
                            return null;
                        });
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, callers));
        }
        go.countDown();
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertEquals(threads * each, keysAfterReopen().size());
    }

    @Test
    void theWalIsCopiedIntoTheDatabaseSoonAfterCommitsLongBeforeSqlitesOwnThousandPageCheckpoint() throws Exception {
        Path db = dir.resolve(Metadata.FILE_NAME);
        long before = Files.size(db);
        String value = "x".repeat(4000);
        for (int i = 0; i < 50; i++) {
            String key = "big-" + i;
            metadata.transaction(tx -> tx.update("INSERT INTO config_keys (key, value) VALUES (?, ?)", key, value));
        }
        // ~50 pages in the WAL: SQLite's automatic checkpoint (inside a commit) waits for 1,000
        waitFor(() -> sizeOf(db) >= before + 50 * 4000, "the checkpointer to copy the WAL into " + db);
        assertEquals(50, keysAfterReopen().size());
    }

    @Test
    void onceTheCheckpointerHasCopiedTheWalTheNextCommitsStartItOverInsteadOfAppending() throws Exception {
        Path db = dir.resolve(Metadata.FILE_NAME);
        Path wal = dir.resolve(Metadata.FILE_NAME + "-wal");
        String value = "y".repeat(8000);
        for (int i = 0; i < 200; i++) {
            putValue("first-" + i, value);
        }
        long salt = walSalt(wal);
        waitFor(() -> sizeOf(db) >= 200 * 8000, "the checkpointer to copy the WAL into " + db);
        // each commit after the copy may finish it; a transaction after a finished copy starts the WAL over
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int more = 0;
        while (walSalt(wal) == salt) {
            assertTrue(System.nanoTime() < deadline, "the WAL never started over (" + sizeOf(wal) + " bytes)");
            putValue("more-" + more++, "z");
        }
        assertEquals(200 + more, keysAfterReopen().size());
    }

    private void putValue(String key, String value) throws Exception {
        metadata.transaction(tx -> tx.update("INSERT INTO config_keys (key, value) VALUES (?, ?)", key, value));
    }

    /** The WAL header's salts, which SQLite changes each time it starts the WAL over. */
    private static long walSalt(Path wal) throws java.io.IOException {
        try (var channel = java.nio.channels.FileChannel.open(wal)) {
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(8);
            channel.read(header, 16);
            return header.flip().getLong();
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aStatementKeptForReuseServesNestedUsesAndSurvivesAFailedRun() throws Exception {
        metadata.transaction(tx -> {
            put(tx, "a");
            put(tx, "b");
            return null;
        });
        String sql = "SELECT key FROM config_keys WHERE key >= ? ORDER BY key";
        List<String> pairs = metadata.transaction(tx -> tx.query(sql,
            r -> r.getString(1) + tx.query(sql, inner -> inner.getString(1), r.getString(1)), ""));
        assertEquals(List.of("a[a, b]", "b[b]"), pairs);
        SQLException duplicate = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
            () -> metadata.transaction(tx -> {
                put(tx, "a");
                return null;
            }));
        assertTrue(duplicate.getMessage().contains("UNIQUE"), duplicate.getMessage());
        metadata.transaction(tx -> {
            put(tx, "c");
            return null;
        });
        assertEquals(List.of("a", "b", "c"), keysAfterReopen());
    }
}
