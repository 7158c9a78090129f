package io.mirrorhost.schedule;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Reads and writes schedules where Ceph 16.2's manager keeps them, so both interoperate: the omap
 * of {@code rbd_mirror_snapshot_schedule} in each RBD pool's default namespace (key = level id,
 * value = the schedule's JSON), and the global schedule in the module's store under
 * {@code mirror_snapshot_schedule} (Ceph's module option). Also resolves level names users type
 * into levels, with Ceph's checks and error texts.
 */
final class ScheduleStore {
    static final String SCHEDULE_OID = "rbd_mirror_snapshot_schedule";
    static final String GLOBAL_KEY = "mirror_snapshot_schedule";

    private final Cluster cluster;
    private final KeyValueStore store;
    private final Logger log;

    ScheduleStore(Cluster cluster, KeyValueStore store, Logger log) {
        this.cluster = cluster;
        this.store = store;
        this.log = log;
    }

    /** RBD pools (those {@code rbd pool init} ran on), as Ceph's {@code get_rbd_pools}. */
    Future<List<PoolInfo>> rbdPools() {
        return cluster.listPools().map(pools -> pools.stream().filter(PoolInfo::rbdInitialized).toList());
    }

    /**
     * Every schedule; keys whose pool, namespace or image is gone (or no longer snapshot-mirrored) are
     * removed. A key that cannot be checked now (the cluster failed) keeps its level from
     * {@code previous}, so a flaky cluster neither deletes nor forgets schedules.
     */
    Future<ScheduleSet> loadAll(ScheduleSet previous) {
        ScheduleSet set = new ScheduleSet();
        Future<Void> global = store.get(GLOBAL_KEY).map(value -> {
            value.filter(v -> !v.isEmpty()).ifPresent(v -> putDecoded(set, LevelSpec.global(), v));
            return null;
        });
        return global.compose(v -> rbdPools()).compose(pools -> {
            List<Future<Void>> loads = new ArrayList<>();
            for (PoolInfo pool : pools) {
                loads.add(loadPool(set, pool, pools, previous).recover(e -> {
                    log.error("Failed to load schedules for pool {}: {}", pool.name(), e.getMessage());
                    return Future.succeededFuture();
                }));
            }
            return Future.all(loads).map(set);
        });
    }

    private void putDecoded(ScheduleSet set, LevelSpec level, String json) {
        try {
            set.put(level, Schedule.fromStoredJson(level.name(), json));
        } catch (ScheduleException e) {
            log.error("Failed to decode schedule {} {}: {}", level.id(), json, e.getMessage());
        }
    }

    private Future<Void> loadPool(ScheduleSet set, PoolInfo pool, List<PoolInfo> pools, ScheduleSet previous) {
        PoolNamespace where = PoolNamespace.of(pool.name());
        return cluster.omapGet(where, SCHEDULE_OID).compose(entries -> {
            NamespaceCache cache = new NamespaceCache(cluster);
            Set<String> stale = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Future<Void>> checks = new ArrayList<>();
            for (Map.Entry<String, String> e : entries.entrySet()) {
                checks.add(resolveId(e.getKey(), pools, cache)
                        .map(level -> {
                            if (level.isEmpty()) {
                                log.debug("Stale schedule key {} in pool {}", e.getKey(), pool.name());
                                stale.add(e.getKey());
                            } else {
                                synchronized (set) {
                                    putDecoded(set, level.get(), e.getValue());
                                }
                            }
                            return (Void) null;
                        })
                        .recover(err -> {
                            log.warn("Cannot check schedule key {} in pool {}: {}", e.getKey(), pool.name(),
                                    err.getMessage());
                            LevelSpec known = previous == null ? null : previous.level(e.getKey());
                            synchronized (set) {
                                putDecoded(set, known != null ? known : unchecked(e.getKey(), pool), e.getValue());
                            }
                            return Future.succeededFuture();
                        }));
            }
            Future<?> chain = Future.all(checks);
            return chain.compose(v -> stale.isEmpty() ? Future.succeededFuture()
                    : cluster.omapRemove(where, SCHEDULE_OID, stale));
        }, err -> ClusterException.errnoOf(err) == Errno.ENOENT ? Future.succeededFuture() : Future.failedFuture(err));
    }

    /**
     * The level a stored id names, or empty when what it names is gone (a stale key); fails on
     * errors that do not prove it gone, so that a flaky cluster never deletes schedules.
     */
    private Future<Optional<LevelSpec>> resolveId(String id, List<PoolInfo> pools, NamespaceCache cache) {
        LevelSpec.Id parts;
        try {
            parts = LevelSpec.Id.parse(id);
        } catch (ScheduleException e) {
            return Future.succeededFuture(Optional.empty());
        }
        if (parts.poolId() == null) {
            return Future.succeededFuture(Optional.empty());
        }
        PoolInfo pool = pools.stream().filter(p -> String.valueOf(p.id()).equals(parts.poolId())).findFirst().orElse(null);
        if (pool == null) {
            return Future.succeededFuture(Optional.empty());
        }
        if (parts.namespace() == null) {
            return Future.succeededFuture(Optional.of(LevelSpec.ofPool(parts.poolId(), pool.name(), null)));
        }
        PoolNamespace where = new PoolNamespace(pool.name(), parts.namespace());
        Future<Boolean> nsExists = parts.namespace().isEmpty() ? Future.succeededFuture(true)
                : cache.namespaces(pool.name()).map(list -> list.contains(parts.namespace()));
        return nsExists.compose(exists -> {
            if (!exists) {
                return Future.succeededFuture(Optional.<LevelSpec>empty());
            }
            if (parts.imageId() == null) {
                return Future.succeededFuture(Optional.of(LevelSpec.ofPool(parts.poolId(), pool.name(), parts.namespace())));
            }
            return cache.images(where).compose(images -> cache.mirrorInfo(where).map(infos -> {
                String name = images.get(parts.imageId());
                MirrorImageInfo info = infos.get(parts.imageId());
                if (name == null || !isSnapshotMirrored(info)) {
                    return Optional.<LevelSpec>empty();
                }
                return Optional.of(imageLevel(pool.name(), parts.poolId(), parts.namespace(), name, parts.imageId()));
            }));
        });
    }

    /** A level for a key that could not be checked, named by ids where names are unknown. */
    private static LevelSpec unchecked(String id, PoolInfo pool) {
        LevelSpec.Id parts = LevelSpec.Id.parse(id);
        String poolId = parts.poolId();
        if (parts.namespace() == null) {
            return LevelSpec.ofPool(poolId, pool.name(), null);
        }
        if (parts.imageId() == null) {
            return LevelSpec.ofPool(poolId, pool.name(), parts.namespace());
        }
        return imageLevel(pool.name(), poolId, parts.namespace(), parts.imageId(), parts.imageId());
    }

    static boolean isSnapshotMirrored(MirrorImageInfo info) {
        return info != null && info.mode() == MirrorImageMode.SNAPSHOT && info.state() == MirrorImageState.ENABLED;
    }

    private static LevelSpec imageLevel(String poolName, String poolId, String namespace, String imageName,
                                        String imageId) {
        String name = namespace.isEmpty() ? poolName + "/" + imageName : poolName + "/" + namespace + "/" + imageName;
        return new LevelSpec(name, poolId + "/" + namespace + "/" + imageId, poolId, namespace, imageId);
    }

    /** The schedule stored at one level right now (to modify the freshest copy), or null. */
    Future<Schedule> loadLevel(LevelSpec level) {
        Future<Optional<String>> value = level.isGlobal() ? store.get(GLOBAL_KEY)
                : poolName(level.poolId()).compose(pool -> cluster.omapGet(PoolNamespace.of(pool), SCHEDULE_OID)
                        .recover(e -> ClusterException.errnoOf(e) == Errno.ENOENT
                                ? Future.succeededFuture(Map.of()) : Future.failedFuture(e))
                        .map(entries -> Optional.ofNullable(entries.get(level.id()))));
        return value.map(v -> v.filter(s -> !s.isEmpty()).map(s -> {
            try {
                return Schedule.fromStoredJson(level.name(), s);
            } catch (ScheduleException e) {
                log.error("Failed to decode schedule {} {}: {}", level.id(), s, e.getMessage());
                return null;
            }
        }).orElse(null));
    }

    /** Stores a level's schedule, or removes its key when {@code schedule} is null. */
    Future<Void> save(LevelSpec level, Schedule schedule) {
        if (level.isGlobal()) {
            return schedule == null ? store.remove(GLOBAL_KEY) : store.put(GLOBAL_KEY, schedule.toStoredJson());
        }
        return poolName(level.poolId()).compose(pool -> {
            PoolNamespace where = PoolNamespace.of(pool);
            return schedule == null ? cluster.omapRemove(where, SCHEDULE_OID, Set.of(level.id()))
                    : cluster.omapSet(where, SCHEDULE_OID, Map.of(level.id(), schedule.toStoredJson()));
        });
    }

    private Future<String> poolName(String poolId) {
        return cluster.listPools().compose(pools -> pools.stream().filter(p -> String.valueOf(p.id()).equals(poolId))
                .findFirst().map(p -> Future.succeededFuture(p.name()))
                .orElseGet(() -> Future.failedFuture(new ScheduleException("pool " + poolId + " does not exist"))));
    }

    /** Resolves a level name as Ceph's {@code LevelSpec.from_name} with the mirror-snapshot validators. */
    Future<LevelSpec> resolveName(String text) {
        LevelSpec.Name name;
        try {
            name = LevelSpec.Name.parse(text);
        } catch (ScheduleException e) {
            return Future.failedFuture(e);
        }
        if (name.pool() == null) {
            return Future.succeededFuture(LevelSpec.global());
        }
        return cluster.listPools().compose(pools -> {
            PoolInfo pool = pools.stream().filter(p -> p.name().equals(name.pool())).findFirst().orElse(null);
            if (pool == null) {
                return fail("pool " + name.pool() + " does not exist");
            }
            if (!pool.rbdInitialized()) {
                return fail(name.pool() + " is not an RBD pool");
            }
            String poolId = String.valueOf(pool.id());
            if (name.namespace() == null) {
                return Future.succeededFuture(LevelSpec.ofPool(poolId, pool.name(), null));
            }
            return checkNamespace(pool.name(), name.namespace()).compose(v -> name.image() == null
                    ? Future.succeededFuture(new LevelSpec(text, poolId + "/" + name.namespace(), poolId,
                            name.namespace(), null))
                    : resolveImage(pool.name(), poolId, name));
        });
    }

    private Future<Void> checkNamespace(String pool, String namespace) {
        if (namespace.isEmpty()) {
            return Future.succeededFuture();
        }
        PoolNamespace where = new PoolNamespace(pool, namespace);
        return cluster.listNamespaces(pool).compose(list -> {
            if (!list.contains(namespace)) {
                return fail("namespace " + namespace + " does not exist");
            }
            return cluster.mirrorModeGet(where).compose(mode -> mode == MirrorMode.IMAGE ? Future.succeededFuture()
                    : fail("namespace " + namespace + " is not in mirror image mode"));
        });
    }

    private Future<LevelSpec> resolveImage(String pool, String poolId, LevelSpec.Name name) {
        ImageSpec spec = ImageSpec.of(pool, name.namespace(), name.image());
        return cluster.openImage(spec).recover(e -> ClusterException.errnoOf(e) == Errno.ENOENT
                ? fail("image " + name.image() + " does not exist") : Future.failedFuture(e))
                .compose(image -> image.info().compose(info -> image.mirrorInfo()
                        .recover(e -> isNotMirrored(e) ? Future.succeededFuture(null) : Future.failedFuture(e))
                        .compose(mirror -> {
                            if (!isSnapshotMirrored(mirror)) {
                                return fail("image " + name.image() + " is not in snapshot mirror mode");
                            }
                            return Future.succeededFuture(imageLevel(pool, poolId, name.namespace(), name.image(),
                                    info.id()));
                        }))
                        .andThen(r -> image.close()));
    }

    /** librbd's answers for an image without mirroring (Ceph maps them to "not in snapshot mirror mode"). */
    private static boolean isNotMirrored(Throwable e) {
        Errno errno = ClusterException.errnoOf(e);
        return errno == Errno.ENOENT || errno == Errno.EINVAL;
    }

    private static <T> Future<T> fail(String message) {
        return Future.failedFuture(new ScheduleException(message));
    }

    /** Per-load caches of namespace lists, image directories and mirror infos. */
    static final class NamespaceCache {
        private final Cluster cluster;
        private final Map<String, Future<List<String>>> namespaces = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<PoolNamespace, Future<Map<String, String>>> images = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<PoolNamespace, Future<Map<String, MirrorImageInfo>>> mirror =
                new java.util.concurrent.ConcurrentHashMap<>();

        NamespaceCache(Cluster cluster) {
            this.cluster = cluster;
        }

        Future<List<String>> namespaces(String pool) {
            return namespaces.computeIfAbsent(pool, cluster::listNamespaces);
        }

        /** Image names by id. */
        Future<Map<String, String>> images(PoolNamespace where) {
            return images.computeIfAbsent(where, w -> cluster.listImages(w).map(list -> {
                Map<String, String> byId = new java.util.HashMap<>();
                for (ImageEntry e : list) {
                    byId.put(e.id(), e.name());
                }
                return byId;
            }));
        }

        Future<Map<String, MirrorImageInfo>> mirrorInfo(PoolNamespace where) {
            return mirror.computeIfAbsent(where, cluster::mirrorImageInfoList);
        }
    }
}
