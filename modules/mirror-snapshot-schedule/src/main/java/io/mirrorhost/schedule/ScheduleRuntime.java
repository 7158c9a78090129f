package io.mirrorhost.schedule;

import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.RadosObjects;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** The started module's parts, shared by its commands and routes. */
record ScheduleRuntime(RadosObjects objects, ScheduleStore store, SnapshotScheduler scheduler) {

    /**
     * A command changed the schedule at {@code level} ({@code added}: an item was added;
     * {@code roundsBefore}: the scheduler's refresh rounds when the command began): tell other
     * instances (a notify on the pool's schedule object, of every pool for the global level),
     * recompute next runs here and, unless every image the level may govern is tracked already,
     * rescan for them before answering.
     */
    Future<Void> changed(LevelSpec level, boolean added, long roundsBefore) {
        scheduler.schedulesChanged(level);
        Future<Void> notified = store.rbdPools().compose(pools -> Future.all(pools.stream()
                        .filter(p -> level.isGlobal() || String.valueOf(p.id()).equals(level.poolId()))
                        .map(p -> objects.notify(PoolNamespace.of(p.name()), ScheduleStore.SCHEDULE_OID,
                                scheduler.changeNotice()))
                        .toList()))
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
        return notified.compose(v -> scheduler.knowsImagesOf(level, added, roundsBefore))
                .compose(known -> known ? Future.<Void>succeededFuture() : scheduler.refresh());
    }
}
