package io.mirrorhost.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's metadata in one SQLite database (WAL, synchronous=FULL): every change is one
 * transaction, so a crash leaves either the old or the new state, never a mix.
 */
final class Metadata implements AutoCloseable {
    static final String FILE_NAME = "metadata.db";

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS cluster (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS config_keys (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        // fences (Cluster.fenceTake): each name's current epoch and who took it
        "CREATE TABLE IF NOT EXISTS fences (name TEXT PRIMARY KEY, epoch INTEGER NOT NULL, holder TEXT NOT NULL,"
            + " client TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS pools (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
            + " rbd_init INTEGER NOT NULL DEFAULT 0, snap_seq INTEGER NOT NULL DEFAULT 0,"
            + " mirror_mode TEXT NOT NULL DEFAULT 'DISABLED', mirror_uuid TEXT)",
        "CREATE TABLE IF NOT EXISTS namespaces (pool_id INTEGER NOT NULL, name TEXT NOT NULL,"
            + " mirror_mode TEXT NOT NULL DEFAULT 'DISABLED', remote_namespace TEXT NOT NULL DEFAULT '',"
            + " PRIMARY KEY (pool_id, name))",
        "CREATE TABLE IF NOT EXISTS omap (pool_id INTEGER NOT NULL, namespace TEXT NOT NULL,"
            + " object TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
            + " PRIMARY KEY (pool_id, namespace, object, key))",
        "CREATE TABLE IF NOT EXISTS images (id TEXT PRIMARY KEY, pool_id INTEGER NOT NULL,"
            + " namespace TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL, obj_order INTEGER NOT NULL,"
            + " features INTEGER NOT NULL, data_pool_id INTEGER NOT NULL, snap_seq INTEGER NOT NULL DEFAULT 0,"
            + " created INTEGER NOT NULL, accessed INTEGER NOT NULL, modified INTEGER NOT NULL,"
            + " UNIQUE (pool_id, namespace, name))",
        // mirror: JSON of MirrorSnapshotInfo for a mirror-snapshot, else NULL
        "CREATE TABLE IF NOT EXISTS snaps (image_id TEXT NOT NULL, snap_id INTEGER NOT NULL,"
            + " name TEXT NOT NULL, snap_namespace TEXT NOT NULL, size INTEGER NOT NULL,"
            + " created INTEGER NOT NULL, protected INTEGER NOT NULL DEFAULT 0, mirror TEXT,"
            + " PRIMARY KEY (image_id, snap_id), UNIQUE (image_id, name))",
        // One row per stored version of a data object: visible at snapshot S when born < S <= died;
        // died NULL marks the head version.
        "CREATE TABLE IF NOT EXISTS object_versions (image_id TEXT NOT NULL, objno INTEGER NOT NULL,"
            + " gen INTEGER NOT NULL, born INTEGER NOT NULL, died INTEGER,"
            + " PRIMARY KEY (image_id, objno, gen))",
        // Room for the mirroring issue: per-image mirroring records, pool peers, site statuses.
        "CREATE TABLE IF NOT EXISTS mirror_images (image_id TEXT PRIMARY KEY, global_id TEXT NOT NULL,"
            + " mode TEXT, state TEXT NOT NULL DEFAULT 'DISABLED', is_primary INTEGER NOT NULL DEFAULT 1,"
            + " resync_requested INTEGER NOT NULL DEFAULT 0)",
        "CREATE TABLE IF NOT EXISTS mirror_peers (pool_id INTEGER NOT NULL, uuid TEXT NOT NULL,"
            + " direction TEXT NOT NULL, site_name TEXT NOT NULL, mirror_uuid TEXT NOT NULL DEFAULT '',"
            + " client_name TEXT NOT NULL, last_seen INTEGER, PRIMARY KEY (pool_id, uuid))",
        "CREATE TABLE IF NOT EXISTS mirror_statuses (pool_id INTEGER NOT NULL, namespace TEXT NOT NULL,"
            + " global_id TEXT NOT NULL, mirror_uuid TEXT NOT NULL, state TEXT NOT NULL,"
            + " description TEXT NOT NULL, last_update INTEGER NOT NULL, up INTEGER NOT NULL,"
            + " PRIMARY KEY (pool_id, namespace, global_id, mirror_uuid))",
    };

    /** Columns added after a table was first created; each runs once (a duplicate column is skipped). */
    private static final String[] ADDED_COLUMNS = {
        // librbd's promotion state of a journal-mirrored image (snapshot mode derives it from snapshots)
        "ALTER TABLE mirror_images ADD COLUMN promotion TEXT NOT NULL DEFAULT 'PRIMARY'",
        // the peer namespace the pool's default namespace mirrors with (named namespaces have a column already)
        "ALTER TABLE pools ADD COLUMN remote_namespace TEXT NOT NULL DEFAULT ''",
        // where a snapshot sees object versions when that is not its id (a completed non-primary copy)
        "ALTER TABLE snaps ADD COLUMN point INTEGER",
    };

    /** Transactions committed together at most (bounds how long the first of them waits). */
    private static final int MAX_BATCH = 256;
    /** Distinct statements kept prepared (our SQL is a fixed set of a few dozen). */
    private static final int MAX_CACHED_STATEMENTS = 256;

    private final Connection connection;
    private final Checkpointer checkpointer;
    /** Under the lock: compiled statements by SQL (compiling costs more than running most of ours). */
    private final StatementCache statements;
    /** Held while a transaction's work or a commit uses the connection; fair, so queued callers keep their order. */
    private final ReentrantLock lock = new ReentrantLock(true);
    /** Callers waiting for the lock: while there are any, the commit is left to them. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Under the lock: the batch transactions are joining now, and how many of them wrote. */
    private long openBatch;
    private int uncommitted;
    /** Under {@code commits}: the last batch committed or failed, and the failures not yet old. */
    private final Object commits = new Object();
    private long settledBatch = -1;
    private final Map<Long, SQLException> failedBatches = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, SQLException> eldest) {
            return size() > 1024;
        }
    };

    private Metadata(Connection connection, Checkpointer checkpointer) {
        this.connection = connection;
        this.checkpointer = checkpointer;
        this.statements = new StatementCache(connection);
    }

    /**
     * Opens the store's database. SQLite gives its WAL and shared-memory files the database file's
     * mode, so the database is made owner-only (0600) before SQLite opens it.
     */
    static Metadata open(Path dataDir) throws SQLException {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            OwnerOnly.file(file);
            OwnerOnly.ifExists(dataDir.resolve(FILE_NAME + "-wal"));
            OwnerOnly.ifExists(dataDir.resolve(FILE_NAME + "-shm"));
        } catch (IOException e) {
            throw new SQLException("cannot make " + file + " readable by its owner only: " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + file;
        Connection c = DriverManager.getConnection(url);
        Checkpointer checkpointer = null;
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=10000");
                checkpointer = Checkpointer.start(url);
                // from now on the checkpointer's connection copies the WAL into the database, not a commit
                s.execute("PRAGMA wal_autocheckpoint=0");
                createSchema(s);
            }
            c.setAutoCommit(false);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            if (checkpointer != null) {
                checkpointer.close();
            }
            c.close();
            throw e;
        }
        return new Metadata(c, checkpointer);
    }

    private static void createSchema(Statement s) throws SQLException {
        for (String ddl : SCHEMA) {
            s.execute(ddl);
        }
        for (String ddl : ADDED_COLUMNS) {
            try {
                s.execute(ddl);
            } catch (SQLException e) {
                if (!String.valueOf(e.getMessage()).contains("duplicate column name")) {
                    throw e;
                }
            }
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T apply(Tx tx) throws SQLException;
    }

    /**
     * Runs {@code work} as one transaction: durable when it returns, without effect if it throws.
     *
     * <p>Group commit: the work runs under the connection's lock inside a savepoint of the open
     * SQLite transaction (a failure rolls back to the savepoint, so only its own changes are
     * undone). If other callers are queued for the lock, the commit is left to them and this
     * caller waits until a commit covers its work; the last of a run of queued callers commits
     * (one WAL fsync for all of them, at most {@link #MAX_BATCH}). A caller alone commits at once,
     * as before. A work that wrote nothing returns at once: it has nothing to make durable (it may
     * have read a queued caller's write that is not durable yet; that caller is not told of its
     * success before the commit, and a crash undoes both). Nested calls (a work that calls
     * transaction) run in a savepoint of the caller's transaction. Since a caller may wait for the
     * commit of a later caller's work, a caller must not hold a lock that a work may take (none does).
     */
    <T> T transaction(SqlWork<T> work) throws SQLException {
        if (lock.isHeldByCurrentThread()) {
            return inSavepoint(new Tx(connection, statements), work);
        }
        queued.incrementAndGet();
        lock.lock();
        long batch;
        T result;
        try {
            queued.decrementAndGet();
            Tx tx = new Tx(connection, statements);
            try {
                result = inSavepoint(tx, work);
            } finally {
                if (queued.get() == 0 || uncommitted >= MAX_BATCH) {
                    commitBatch();
                }
            }
            if (!tx.wrote || uncommitted == 0) {
                return result;
            }
            batch = openBatch;
        } finally {
            lock.unlock();
        }
        awaitCommit(batch);
        return result;
    }

    /** Commits that wrote so far (for tests and metrics). */
    long commitCount() {
        synchronized (commits) {
            return settledBatch + 1;
        }
    }

    /** Callers waiting for the connection right now (for tests). */
    int queuedCallers() {
        return queued.get();
    }

    private <T> T inSavepoint(Tx tx, SqlWork<T> work) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        T result;
        try {
            result = work.apply(tx);
        } catch (Exception | Error failure) {
            try {
                connection.rollback(savepoint);
                connection.releaseSavepoint(savepoint);
            } catch (SQLException rollbackFailed) {
                failure.addSuppressed(rollbackFailed);
                abandonBatch(rollbackFailed);
            }
            throw failure;
        }
        connection.releaseSavepoint(savepoint);
        if (tx.wrote) {
            uncommitted++;
        }
        return result;
    }

    /** Under the lock: commits the open batch (if it wrote anything) and wakes its callers. */
    private void commitBatch() throws SQLException {
        if (uncommitted == 0) {
            return;
        }
        long batch = openBatch;
        SQLException failure = null;
        try {
            connection.commit();
        } catch (SQLException e) {
            failure = e;
            try {
                connection.rollback();
            } catch (SQLException rollbackFailed) {
                e.addSuppressed(rollbackFailed);
            }
        }
        uncommitted = 0;
        openBatch++;
        finish(batch, failure);
        if (failure != null) {
            throw failure;
        }
        if (checkpointer.committed()) {
            finishCheckpoint();
        }
    }

    /**
     * Under the lock, right after a commit and once the checkpointer has copied the bulk of the
     * WAL: copies the rest (the last commits' pages), so that the next transaction starts the WAL
     * over from its beginning instead of appending (a WAL that only grows makes every commit's
     * fsync extend the file, which costs a file-system journal commit each: several times slower).
     */
    private void finishCheckpoint() {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            // the checkpointer tries again; meanwhile the WAL grows
        }
    }

    /** A savepoint could not be rolled back: the whole open batch is rolled back and fails. */
    private void abandonBatch(SQLException cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        long batch = openBatch;
        uncommitted = 0;
        openBatch++;
        finish(batch, cause);
    }

    private void finish(long batch, SQLException failure) {
        synchronized (commits) {
            if (failure != null) {
                failedBatches.put(batch, failure);
            }
            settledBatch = batch;
            commits.notifyAll();
        }
    }

    private void awaitCommit(long batch) throws SQLException {
        synchronized (commits) {
            boolean interrupted = false;
            while (settledBatch < batch) {
                try {
                    commits.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            SQLException failure = failedBatches.get(batch);
            if (failure != null) {
                throw new SQLException("commit failed: " + failure.getMessage(), failure);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            commitBatch();
            checkpointer.close();
            statements.close();
            connection.close();
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /**
     * Copies the WAL into the database on a connection and thread of its own, a little after
     * commits. SQLite's automatic checkpoint ran inside the commit that took the WAL past 1,000
     * pages: it copied them and fsynced the database while every other transaction waited for the
     * connection (in a burst of small transactions, one commit in ten, each 10-40 ms). A PASSIVE
     * checkpoint never blocks the writer, and copying is not what makes a commit durable (the WAL's
     * fsync at commit is), so crash safety is the same. The WAL can start over only once every
     * frame in it is copied, which a checkpoint beside a busy writer never sees: after each pass
     * here, the next commit copies what is left ({@link #finishCheckpoint}).
     */
    private static final class Checkpointer implements AutoCloseable {
        private static final long PERIOD_MS = 100;

        private final Connection connection;
        private final ScheduledExecutorService thread;
        private final AtomicBoolean committed = new AtomicBoolean();
        private final AtomicBoolean passed = new AtomicBoolean();

        private Checkpointer(Connection connection) {
            this.connection = connection;
            this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "metadata-checkpoint");
                t.setDaemon(true);
                return t;
            });
        }

        static Checkpointer start(String url) throws SQLException {
            Connection c = DriverManager.getConnection(url);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=10000");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            Checkpointer checkpointer = new Checkpointer(c);
            checkpointer.thread.scheduleWithFixedDelay(checkpointer::checkpointIfCommitted, PERIOD_MS, PERIOD_MS,
                TimeUnit.MILLISECONDS);
            return checkpointer;
        }

        /** After a commit: whether a pass has copied the bulk since the last call (the committer finishes it). */
        boolean committed() {
            committed.set(true);
            return passed.getAndSet(false);
        }

        private void checkpointIfCommitted() {
            if (!committed.getAndSet(false)) {
                return;
            }
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
                passed.set(true);
            } catch (SQLException e) {
                committed.set(true); // tried again next period; until then the WAL only grows
            }
        }

        @Override
        public void close() {
            thread.shutdownNow();
            try {
                thread.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a reading connection: closing it loses nothing
            }
        }
    }

    /**
     * Prepared statements by SQL, used under the connection's lock. A statement is taken out while
     * it runs, so a nested use of the same SQL (a row mapper that queries) prepares its own.
     */
    private static final class StatementCache {
        private final Connection connection;
        private final Map<String, PreparedStatement> idle = new LinkedHashMap<>(64, 0.75f, true);

        StatementCache(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement take(String sql) throws SQLException {
            PreparedStatement ps = idle.remove(sql);
            return ps != null ? ps : connection.prepareStatement(sql);
        }

        /** A statement that ran to the end (reset, its result set closed) is kept for the next use. */
        void giveBack(String sql, PreparedStatement ps) throws SQLException {
            ps.clearParameters();
            PreparedStatement replaced = idle.put(sql, ps);
            if (replaced != null) {
                replaced.close();
            }
            if (idle.size() > MAX_CACHED_STATEMENTS) {
                var eldest = idle.entrySet().iterator();
                PreparedStatement dropped = eldest.next().getValue();
                eldest.remove();
                dropped.close();
            }
        }

        void close() throws SQLException {
            for (PreparedStatement ps : idle.values()) {
                ps.close();
            }
            idle.clear();
        }
    }

    /** The statements of one transaction. */
    static final class Tx {
        private final Connection connection;
        private final StatementCache statements;
        /** Whether a statement that may change the database ran (the transaction must be committed). */
        private boolean wrote;

        Tx(Connection connection, StatementCache statements) {
            this.connection = connection;
            this.statements = statements;
        }

        int update(String sql, Object... params) throws SQLException {
            wrote = true;
            PreparedStatement ps = cached(sql, params);
            int changed;
            try {
                changed = ps.executeUpdate();
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
            statements.giveBack(sql, ps);
            return changed;
        }

        <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
            PreparedStatement ps = cached(sql, params);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
            statements.giveBack(sql, ps);
            return rows;
        }

        <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
            List<T> rows = query(sql, mapper, params);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }

        /** A statement the caller executes itself; counted as a write. */
        PreparedStatement prepare(String sql, Object... params) throws SQLException {
            wrote = true;
            return statement(sql, params);
        }

        private PreparedStatement statement(String sql, Object... params) throws SQLException {
            return bind(connection.prepareStatement(sql), params);
        }

        private PreparedStatement cached(String sql, Object... params) throws SQLException {
            PreparedStatement ps = statements.take(sql);
            try {
                return bind(ps, params);
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
        }

        private static PreparedStatement bind(PreparedStatement ps, Object... params) throws SQLException {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps;
        }
    }
}
