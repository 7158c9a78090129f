package io.mirrorhost.status;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.cluster.MirrorImages;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorSettings;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.Pools;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Walks every pool and namespace of the local cluster and collects the mirror mode and the image
 * replay-state counts of those with mirroring enabled. One pass is one {@link #collect()}.
 */
public final class MirrorStatusCollector {
    private final Pools pools;
    private final MirrorSettings mirrorSettings;
    private final MirrorImages mirrorImages;
    private final Clock clock;

    /** {@code cluster}: the pools to walk, their mirror modes and their image status counts. */
    public <C extends Pools & MirrorSettings & MirrorImages> MirrorStatusCollector(C cluster, Clock clock) {
        this.pools = cluster;
        this.mirrorSettings = cluster;
        this.mirrorImages = cluster;
        this.clock = clock;
    }

    public Future<SiteMirrorStatus> collect() {
        return pools.listPools()
                .compose(pools -> Future.all(pools.stream().map(this::collectPool).toList()))
                .map(all -> {
                    List<NamespaceMirrorStatus> namespaces = new ArrayList<>();
                    for (int i = 0; i < all.size(); i++) {
                        List<NamespaceMirrorStatus> ofPool = all.resultAt(i);
                        namespaces.addAll(ofPool);
                    }
                    return new SiteMirrorStatus(clock.now(), namespaces, null);
                });
    }

    private Future<List<NamespaceMirrorStatus>> collectPool(PoolInfo pool) {
        return pools.listNamespaces(pool.name())
                .compose(names -> {
                    List<PoolNamespace> wheres = Stream.concat(Stream.of(""), names.stream())
                            .map(ns -> new PoolNamespace(pool.name(), ns)).toList();
                    return Future.all(wheres.stream().map(this::collectNamespace).toList());
                })
                .map(all -> {
                    List<NamespaceMirrorStatus> result = new ArrayList<>();
                    for (int i = 0; i < all.size(); i++) {
                        NamespaceMirrorStatus status = all.resultAt(i);
                        if (status != null) {
                            result.add(status);
                        }
                    }
                    return result;
                });
    }

    /** The namespace's status, or null when mirroring is disabled there. */
    private Future<NamespaceMirrorStatus> collectNamespace(PoolNamespace where) {
        return mirrorSettings.mirrorModeGet(where).compose(mode -> {
            if (mode == MirrorMode.DISABLED) {
                return Future.succeededFuture(null);
            }
            return mirrorImages.mirrorImageStatusSummary(where)
                    .map(states -> new NamespaceMirrorStatus(where, mode, states));
        });
    }
}
