package io.mirrorhost.schedule;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.RadosObjects;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Per-image {@link RunRecord}s in the cluster: the omap of {@code mirrorhost_snapshot_schedule_runs}
 * in each pool's default namespace (next to Ceph's schedule object, ignored by Ceph), keyed
 * {@code NAMESPACE/IMAGEID}. Records are written before a snapshot (the claim) and after it.
 *
 * <p>Writes to a pool are group-committed: while one is in flight, later puts to that pool are
 * merged into one next write (later values win), and each put's future completes when the write
 * holding its records has. With {@code max_concurrent_snap_create} snapshots running this turns up
 * to two omap transactions per snapshot into a few per batch of completions.
 */
final class RunRecordStore {
    static final String RUNS_OID = "mirrorhost_snapshot_schedule_runs";

    private final RadosObjects objects;
    private final Logger log;
    /** Pools with a write in flight, and the records waiting for the next one (null: none yet). */
    private final Map<String, PendingWrite> inFlight = new HashMap<>();

    private static final class PendingWrite {
        final Map<String, String> values = new HashMap<>();
        final io.vertx.core.Promise<Void> written = io.vertx.core.Promise.promise();
        RadosObjects writer;
    }

    /** {@code objects}: where records are read; each write names the view it goes through. */
    RunRecordStore(RadosObjects objects, Logger log) {
        this.objects = objects;
        this.log = log;
    }

    static String key(String namespace, String imageId) {
        return namespace + "/" + imageId;
    }

    /** Every record of a pool, by key; unreadable records are dropped (treated as never run). */
    Future<Map<String, RunRecord>> load(String pool) {
        return objects.omapGet(PoolNamespace.of(pool), RUNS_OID)
                .recover(e -> ClusterException.errnoOf(e) == Errno.ENOENT
                        ? Future.succeededFuture(Map.of()) : Future.failedFuture(e))
                .map(entries -> {
                    Map<String, RunRecord> records = new HashMap<>();
                    entries.forEach((k, v) -> {
                        try {
                            records.put(k, RunRecord.fromJson(v));
                        } catch (RuntimeException e) {
                            log.warn("Ignoring unreadable run record {} in pool {}: {}", k, pool, e.getMessage());
                        }
                    });
                    return records;
                });
    }

    /** Writes records through {@code writer} (the leader's fenced view); a merged write goes through the latest one. */
    Future<Void> put(RadosObjects writer, String pool, Map<String, RunRecord> records) {
        if (records.isEmpty()) {
            return Future.succeededFuture();
        }
        Map<String, String> values = new HashMap<>();
        records.forEach((k, r) -> values.put(k, r.toJson()));
        synchronized (inFlight) {
            if (inFlight.containsKey(pool)) {
                PendingWrite next = inFlight.get(pool);
                if (next == null) {
                    next = new PendingWrite();
                    inFlight.put(pool, next);
                }
                next.values.putAll(values);
                next.writer = writer;
                return next.written.future();
            }
            inFlight.put(pool, null);
        }
        return write(writer, pool, values);
    }

    private Future<Void> write(RadosObjects writer, String pool, Map<String, String> values) {
        return writer.omapSet(PoolNamespace.of(pool), RUNS_OID, values).andThen(r -> writeNext(pool));
    }

    private void writeNext(String pool) {
        PendingWrite next;
        synchronized (inFlight) {
            next = inFlight.get(pool);
            if (next == null) {
                inFlight.remove(pool);
                return;
            }
            inFlight.put(pool, null);
        }
        write(next.writer, pool, next.values).onComplete(next.written);
    }

    Future<Void> remove(RadosObjects writer, String pool, Set<String> keys) {
        return keys.isEmpty() ? Future.succeededFuture() : writer.omapRemove(PoolNamespace.of(pool), RUNS_OID, keys);
    }
}
