package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state one data directory holds, shared by every {@link EmbeddedCluster} view onto it: the
 * metadata database, the object files, the worker threads, the watchers and the open images.
 */
final class ClusterStore {
    static final String OBJECTS_DIR = "objects";
    /**
     * What each object version wrote (ExtentSet, encoded) and whether it reads the rest from the
     * version before it (overlay). Versions without a row (older stores) hold their whole file.
     * Kept here rather than as columns of object_versions so that older stores need no migration.
     */
    static final String OBJECT_EXTENTS_TABLE = "CREATE TABLE IF NOT EXISTS object_extents (image_id TEXT NOT NULL,"
        + " objno INTEGER NOT NULL, gen INTEGER NOT NULL, overlay INTEGER NOT NULL, extents BLOB NOT NULL,"
        + " PRIMARY KEY (image_id, objno, gen))";

    final Vertx vertx;
    final Path dataDir;
    final Metadata metadata;
    final StoreExecutor executor;
    /** Orders the cluster-level calls (pools, namespaces, image directory, omap, config-key). */
    final SerialLane lane;
    final Watches watches;
    /** The service map and who wrote which image status (in memory, as the manager keeps it). */
    final ServiceRegistry services = new ServiceRegistry(java.time.Clock.systemUTC(), ServiceRegistry.GRACE);
    final String fsid;
    /** The fences' current epochs as calls are checked against them; advanced on {@link #lane}. */
    final Fences fences;
    /** Open image stores by image id; only changed on {@link #lane}. */
    final Map<String, ImageStore> openImages = new ConcurrentHashMap<>();
    /** What a {@code tls://} peer is trusted with when this cluster connects to one (bootstrap import). */
    volatile io.mirrorhost.embedded.net.TlsSettings peerTrust = io.mirrorhost.embedded.net.TlsSettings.DISABLED;
    /** {@code rbd_journal_order}, {@code _splay_width}, {@code _max_payload_bytes} of the journals created from now on. */
    volatile JournalLayout journalLayout = JournalLayout.DEFAULT;
    /** {@code rbd_mirroring_max_mirroring_snapshots}: primary mirror-snapshots kept per image. */
    volatile int maxMirroringSnapshots = io.mirrorhost.embedded.net.EmbeddedSettings.DEFAULT_MAX_MIRRORING_SNAPSHOTS;

    private ClusterStore(Vertx vertx, Path dataDir, Metadata metadata, String fsid, Fences fences) {
        this.vertx = vertx;
        this.dataDir = dataDir;
        this.metadata = metadata;
        this.executor = new StoreExecutor(vertx);
        this.lane = executor.newLane();
        this.watches = new Watches(vertx);
        this.fsid = fsid;
        this.fences = fences;
    }

    static ClusterStore open(Vertx vertx, Path dataDir) throws IOException {
        OwnerOnly.directory(dataDir);
        OwnerOnly.directory(dataDir.resolve(OBJECTS_DIR));
        Metadata metadata;
        String fsid;
        Map<String, Long> fenceEpochs = new HashMap<>();
        try {
            metadata = Metadata.open(dataDir);
            metadata.transaction(tx -> {
                tx.update(OBJECT_EXTENTS_TABLE);
                for (String table : JournalRows.TABLES) {
                    tx.update(table);
                }
                return null;
            });
            fsid = metadata.transaction(tx -> {
                var existing = tx.queryOne("SELECT value FROM cluster WHERE key = 'fsid'", r -> r.getString(1));
                if (existing.isPresent()) {
                    return existing.get();
                }
                String created = UUID.randomUUID().toString();
                tx.update("INSERT INTO cluster (key, value) VALUES ('fsid', ?)", created);
                tx.update("INSERT INTO cluster (key, value) VALUES ('last_pool_id', '0')");
                return created;
            });
            metadata.transaction(tx -> tx.query("SELECT name, epoch FROM fences",
                r -> fenceEpochs.put(r.getString(1), r.getLong(2))));
        } catch (SQLException e) {
            throw new IOException("cannot open the embedded store metadata in " + dataDir + ": " + e.getMessage(), e);
        }
        try {
            new Recovery(dataDir, metadata).removeOrphans();
        } catch (IOException | SQLException | UncheckedIOException e) {
            throw new IOException("cannot recover the embedded store in " + dataDir + ": " + e.getMessage(), e);
        }
        FileSync.directory(dataDir);
        return new ClusterStore(vertx, dataDir, metadata, fsid, new Fences(fenceEpochs));
    }

    Path objectsDir() {
        return dataDir.resolve(OBJECTS_DIR);
    }

    static Path imageDir(Path dataDir, long dataPoolId, String imageId) {
        return dataDir.resolve(OBJECTS_DIR).resolve(Long.toString(dataPoolId)).resolve(imageId);
    }

    static long poolId(Metadata.Tx tx, String pool) throws SQLException {
        Names.checkPool(pool);
        return tx.queryOne("SELECT id FROM pools WHERE name = ?", r -> r.getLong(1), pool)
            .orElseThrow(() -> ClusterException.notFound("pool '" + pool + "' does not exist"));
    }

    /** The pool's id, after checking that the namespace exists in it. */
    static long poolNamespace(Metadata.Tx tx, String pool, String namespace) throws SQLException {
        long id = poolId(tx, pool);
        if (!namespace.isEmpty()) {
            boolean exists = tx.queryOne("SELECT 1 FROM namespaces WHERE pool_id = ? AND name = ?",
                r -> true, id, namespace).isPresent();
            if (!exists) {
                throw ClusterException.notFound("namespace '" + pool + "/" + namespace + "' does not exist");
            }
        }
        return id;
    }

    void close() {
        executor.close();
        try {
            metadata.close();
        } catch (SQLException ignored) {
            // closing a connection whose transactions are all committed loses nothing
        }
    }
}
