package io.mirrorhost.schedule;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** The started module's parts, shared by its commands and routes. */
record ScheduleRuntime(Cluster cluster, ScheduleStore store, SnapshotScheduler scheduler) {

    /**
     * A command changed the schedule at {@code level}: tell other instances (a notify on the pool's
     * schedule object), recompute next runs here and rescan for images the level now covers.
     */
    Future<Void> changed(LevelSpec level) {
        scheduler.schedulesChanged();
        Future<Void> notified = Future.succeededFuture();
        if (!level.isGlobal()) {
            notified = cluster.listPools().compose(pools -> pools.stream()
                    .filter(p -> String.valueOf(p.id()).equals(level.poolId())).findFirst()
                    .map(p -> cluster.notify(PoolNamespace.of(p.name()), ScheduleStore.SCHEDULE_OID, Buffer.buffer()))
                    .orElse(Future.succeededFuture()))
                    .recover(e -> Future.succeededFuture());
        }
        return notified.compose(v -> scheduler.refresh());
    }
}
