package io.mirrorhost.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store's metadata in one SQLite database (WAL, synchronous=FULL): every change is one
 * transaction, so a crash leaves either the old or the new state, never a mix.
 */
final class Metadata implements AutoCloseable {
    static final String FILE_NAME = "metadata.db";

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS cluster (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS config_keys (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
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

    private final Connection connection;

    private Metadata(Connection connection) {
        this.connection = connection;
    }

    static Metadata open(Path dataDir) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(FILE_NAME));
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=10000");
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
        c.setAutoCommit(false);
        c.commit();
        return new Metadata(c);
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T apply(Tx tx) throws Exception;
    }

    /** Runs {@code work} as one transaction: committed if it returns, rolled back if it throws. */
    synchronized <T> T transaction(SqlWork<T> work) throws Exception {
        Tx tx = new Tx(connection);
        try {
            T result = work.apply(tx);
            connection.commit();
            return result;
        } catch (Exception | Error failure) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                failure.addSuppressed(ignored);
            }
            throw failure;
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** The statements of one transaction. */
    static final class Tx {
        private final Connection connection;

        Tx(Connection connection) {
            this.connection = connection;
        }

        int update(String sql, Object... params) throws SQLException {
            try (PreparedStatement ps = prepare(sql, params)) {
                return ps.executeUpdate();
            }
        }

        <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
            try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }

        <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
            List<T> rows = query(sql, mapper, params);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }

        PreparedStatement prepare(String sql, Object... params) throws SQLException {
            PreparedStatement ps = connection.prepareStatement(sql);
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps;
        }
    }
}
