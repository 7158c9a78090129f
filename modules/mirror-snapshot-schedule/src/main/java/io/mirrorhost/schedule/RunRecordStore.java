package io.mirrorhost.schedule;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Per-image {@link RunRecord}s in the cluster: the omap of {@code mirrorhost_snapshot_schedule_runs}
 * in each pool's default namespace (next to Ceph's schedule object, ignored by Ceph), keyed
 * {@code NAMESPACE/IMAGEID}. Records are written before a snapshot (the claim) and after it.
 */
final class RunRecordStore {
    static final String RUNS_OID = "mirrorhost_snapshot_schedule_runs";

    private final Cluster cluster;
    private final Logger log;

    RunRecordStore(Cluster cluster, Logger log) {
        this.cluster = cluster;
        this.log = log;
    }

    static String key(String namespace, String imageId) {
        return namespace + "/" + imageId;
    }

    /** Every record of a pool, by key; unreadable records are dropped (treated as never run). */
    Future<Map<String, RunRecord>> load(String pool) {
        return cluster.omapGet(PoolNamespace.of(pool), RUNS_OID)
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

    Future<Void> put(String pool, Map<String, RunRecord> records) {
        if (records.isEmpty()) {
            return Future.succeededFuture();
        }
        Map<String, String> values = new HashMap<>();
        records.forEach((k, r) -> values.put(k, r.toJson()));
        return cluster.omapSet(PoolNamespace.of(pool), RUNS_OID, values);
    }

    Future<Void> remove(String pool, Set<String> keys) {
        return keys.isEmpty() ? Future.succeededFuture() : cluster.omapRemove(PoolNamespace.of(pool), RUNS_OID, keys);
    }
}
