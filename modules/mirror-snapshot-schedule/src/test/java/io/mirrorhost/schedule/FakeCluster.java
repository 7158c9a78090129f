package io.mirrorhost.schedule;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.mirrorhost.api.testing.RoleFakes;
import io.mirrorhost.api.testing.UnmodelledImageHandle;
import io.mirrorhost.api.testing.UnmodelledImageMirroring;
import io.mirrorhost.api.testing.UnmodelledImageSnapshots;
import io.mirrorhost.api.testing.UnmodelledImages;
import io.mirrorhost.api.testing.UnmodelledMirrorImages;
import io.mirrorhost.api.testing.UnmodelledMirrorSettings;
import io.mirrorhost.api.testing.UnmodelledPools;
import io.mirrorhost.api.testing.UnmodelledRadosObjects;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * An in-memory cluster with what the scheduler uses: pools with ids, namespaces, images with ids,
 * omap objects, watch/notify, mirror modes and infos, and primary mirror-snapshots pruned at 5.
 * Every call completes at once, so tests driven by a FakeClock are deterministic.
 */
final class FakeCluster implements UnmodelledPools, UnmodelledImages, UnmodelledRadosObjects, UnmodelledMirrorSettings,
        UnmodelledMirrorImages {
    static final int MAX_MIRROR_SNAPSHOTS = 5;

    final Clock clock;
    /** The leader fence: a host takes it when it starts to lead; the scheduler writes through its views. */
    final FakeFence fence = new FakeFence(this::cluster);
    private final Map<String, PoolInfo> pools = new LinkedHashMap<>();
    private final Map<String, List<String>> namespaces = new HashMap<>();
    private final Map<PoolNamespace, MirrorMode> mirrorModes = new HashMap<>();
    private final Map<PoolNamespace, Map<String, FakeImage>> images = new HashMap<>();
    private final Map<String, Map<String, String>> omaps = new HashMap<>();
    private final Map<String, List<Consumer<Buffer>>> watchers = new HashMap<>();
    private long nextPoolId = 1;
    private long nextImageId = 0x1000;
    private long nextSnapId = 1;
    /** Failure injected into mirrorCreateSnapshot, or null. */
    ClusterException snapshotFailure;
    /** When set, opening an image throws at once instead of returning a failed future (a misbehaving backend). */
    RuntimeException openThrows;
    /** When set, snapshot creations wait in {@link #heldSnapshots} until the test completes them. */
    boolean holdSnapshots;
    final List<Runnable> heldSnapshots = new ArrayList<>();
    /** Makes mirrorImageInfoList fail (a flaky cluster), or null. */
    ClusterException mirrorListFailure;
    /** Image directory listings so far (each refresh lists every namespace it scans). */
    int listImagesCalls;
    /** Image handles opened and not closed yet. */
    int openHandles;
    /** mirrorInfo calls so far. */
    int mirrorInfoCalls;
    /** When set, image closes wait in {@link #heldCloses} until the test completes them (a slow close). */
    boolean holdCloses;
    final List<Runnable> heldCloses = new ArrayList<>();
    /** While set, omapSet calls wait in {@link #heldOmapWrites} until run (a slow store). */
    boolean holdOmapWrites;
    final List<Runnable> heldOmapWrites = new ArrayList<>();
    /** omapSet calls that succeeded. */
    int omapWrites;
    /** Makes writes of this object fail (an instance dying between two steps), or null. */
    String failWritesOf;

    FakeCluster(Clock clock) {
        this.clock = clock;
    }

    Cluster cluster() {
        return RoleFakes.cluster(this, fence);
    }

    final class FakeImage {
        final String id;
        final PoolNamespace where;
        String name;
        MirrorImageInfo mirror;
        final List<SnapInfo> snaps = new ArrayList<>();
        /** Mirror-snapshots created by mirrorCreateSnapshot so far (pruning does not lower it). */
        int created;

        FakeImage(String id, PoolNamespace where, String name) {
            this.id = id;
            this.where = where;
            this.name = name;
        }

        long mirrorSnapshots() {
            return snaps.stream().filter(s -> s.namespace() == SnapNamespace.MIRROR).count();
        }
    }

    // --- test set-up ---

    synchronized long addPool(String name) {
        long id = nextPoolId++;
        pools.put(name, new PoolInfo(id, name, true));
        namespaces.put(name, new ArrayList<>());
        mirrorModes.put(PoolNamespace.of(name), MirrorMode.IMAGE);
        return id;
    }

    synchronized void addNamespace(String pool, String namespace, MirrorMode mode) {
        namespaces.get(pool).add(namespace);
        mirrorModes.put(new PoolNamespace(pool, namespace), mode);
    }

    synchronized FakeImage addImage(String pool, String namespace, String name, MirrorImageMode mode, boolean primary) {
        PoolNamespace where = new PoolNamespace(pool, namespace);
        FakeImage image = new FakeImage(Long.toHexString(nextImageId++), where, name);
        if (mode != null) {
            image.mirror = new MirrorImageInfo("global-" + image.id, MirrorImageState.ENABLED, mode, primary);
        }
        images.computeIfAbsent(where, w -> new LinkedHashMap<>()).put(image.id, image);
        notifyObject(where, "rbd_mirroring");
        return image;
    }

    synchronized void dropImage(FakeImage image) {
        images.get(image.where).remove(image.id);
        notifyObject(image.where, "rbd_mirroring");
    }

    synchronized void dropPool(String pool) {
        pools.remove(pool);
        omaps.keySet().removeIf(k -> k.startsWith(pool + "\u0000"));
        images.keySet().removeIf(w -> w.pool().equals(pool));
    }

    /** Completes the oldest held snapshot creation; returns false if none waits. */
    boolean releaseOneSnapshot() {
        Runnable next;
        synchronized (this) {
            if (heldSnapshots.isEmpty()) {
                return false;
            }
            next = heldSnapshots.remove(0);
        }
        next.run();
        return true;
    }

    synchronized void putOmap(String pool, String object, Map<String, String> values) {
        omaps.computeIfAbsent(objectKey(PoolNamespace.of(pool), object), k -> new TreeMap<>()).putAll(values);
    }

    synchronized void disableMirroring(FakeImage image) {
        image.mirror = null;
        notifyObject(image.where, "rbd_mirroring");
    }

    synchronized void demote(FakeImage image) {
        demoteWithoutNotify(image);
        notifyObject(image.where, "rbd_mirroring");
    }

    /** A demotion whose notify has not reached the module yet. */
    synchronized void demoteWithoutNotify(FakeImage image) {
        image.mirror = new MirrorImageInfo(image.mirror.globalId(), image.mirror.state(), image.mirror.mode(), false);
    }

    synchronized Map<String, String> omap(String pool, String object) {
        return Map.copyOf(omaps.getOrDefault(pool + "\u0000\u0000" + object, Map.of()));
    }

    private static String objectKey(PoolNamespace where, String object) {
        return where.pool() + "\u0000" + where.namespace() + "\u0000" + object;
    }

    private void notifyObject(PoolNamespace where, String object) {
        notifyObject(where, object, Buffer.buffer());
    }

    private void notifyObject(PoolNamespace where, String object, Buffer payload) {
        for (Consumer<Buffer> w : List.copyOf(watchers.getOrDefault(objectKey(where, object), List.of()))) {
            w.accept(payload.copy());
        }
    }

    private PoolInfo pool(String name) {
        PoolInfo p = pools.get(name);
        if (p == null) {
            throw ClusterException.notFound("pool " + name);
        }
        return p;
    }

    // --- Cluster ---

    @Override
    public synchronized Future<List<PoolInfo>> listPools() {
        return Future.succeededFuture(List.copyOf(pools.values()));
    }

    @Override
    public synchronized Future<List<String>> listNamespaces(String pool) {
        pool(pool);
        return Future.succeededFuture(List.copyOf(namespaces.get(pool)));
    }

    @Override
    public synchronized Future<MirrorMode> mirrorModeGet(PoolNamespace where) {
        return Future.succeededFuture(mirrorModes.getOrDefault(where, MirrorMode.DISABLED));
    }

    @Override
    public synchronized Future<List<ImageEntry>> listImages(PoolNamespace where) {
        listImagesCalls++;
        pool(where.pool());
        return Future.succeededFuture(images.getOrDefault(where, Map.of()).values().stream()
                .map(i -> new ImageEntry(i.name, i.id)).toList());
    }

    @Override
    public synchronized Future<Map<String, MirrorImageInfo>> mirrorImageInfoList(PoolNamespace where) {
        pool(where.pool());
        if (mirrorListFailure != null) {
            return Future.failedFuture(mirrorListFailure);
        }
        Map<String, MirrorImageInfo> result = new TreeMap<>();
        images.getOrDefault(where, Map.of()).values().stream().filter(i -> i.mirror != null)
                .forEach(i -> result.put(i.id, i.mirror));
        return Future.succeededFuture(result);
    }

    @Override
    public synchronized Future<Image> openImage(ImageSpec spec) {
        return images.getOrDefault(spec.poolNamespace(), Map.of()).values().stream()
                .filter(i -> i.name.equals(spec.name())).findFirst()
                .map(i -> Future.succeededFuture(handle(i)))
                .orElseGet(() -> Future.failedFuture(ClusterException.notFound("image " + spec)));
    }

    @Override
    public synchronized Future<Image> openImageById(PoolNamespace where, String imageId) {
        if (openThrows != null) {
            throw openThrows;
        }
        FakeImage i = images.getOrDefault(where, Map.of()).get(imageId);
        return i == null ? Future.failedFuture(ClusterException.notFound("image id " + imageId))
                : Future.succeededFuture(handle(i));
    }

    @Override
    public synchronized Future<Map<String, String>> omapGet(PoolNamespace where, String object) {
        if (!pools.containsKey(where.pool())) {
            return Future.failedFuture(ClusterException.notFound("pool " + where.pool()));
        }
        Map<String, String> omap = omaps.get(objectKey(where, object));
        return omap == null ? Future.failedFuture(ClusterException.notFound(object))
                : Future.succeededFuture(new TreeMap<>(omap));
    }

    @Override
    public synchronized Future<Void> omapSet(PoolNamespace where, String object, Map<String, String> values) {
        pool(where.pool());
        if (object.equals(failWritesOf)) {
            return Future.failedFuture(new ClusterException(Errno.ETIMEDOUT, "injected write failure"));
        }
        if (holdOmapWrites) {
            io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
            heldOmapWrites.add(() -> omapSet(where, object, values).onComplete(promise));
            return promise.future();
        }
        omapWrites++;
        omaps.computeIfAbsent(objectKey(where, object), k -> new TreeMap<>()).putAll(values);
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Void> omapRemove(PoolNamespace where, String object, Set<String> keys) {
        Map<String, String> omap = omaps.get(objectKey(where, object));
        if (omap != null) {
            omap.keySet().removeAll(keys);
        }
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Watch> watch(PoolNamespace where, String object, Consumer<Buffer> onNotify) {
        if (!pools.containsKey(where.pool())) {
            return Future.failedFuture(ClusterException.notFound("pool " + where.pool()));
        }
        List<Consumer<Buffer>> list = watchers.computeIfAbsent(objectKey(where, object), k -> new ArrayList<>());
        list.add(onNotify);
        return Future.succeededFuture(() -> {
            synchronized (FakeCluster.this) {
                list.remove(onNotify);
            }
            return Future.succeededFuture();
        });
    }

    @Override
    public synchronized Future<Void> notify(PoolNamespace where, String object, Buffer payload) {
        notifyObject(where, object, payload);
        return Future.succeededFuture();
    }

    // --- Image ---

    private Image handle(FakeImage image) {
        openHandles++;
        return RoleFakes.image(new OpenImage(image));
    }

    final class OpenImage implements UnmodelledImageHandle, UnmodelledImageMirroring, UnmodelledImageSnapshots {
        private final FakeImage image;

        OpenImage(FakeImage image) {
            this.image = image;
        }

        @Override
        public Future<ImageInfo> info() {
            synchronized (FakeCluster.this) {
                return Future.succeededFuture(new ImageInfo(image.name, image.id, 1 << 20, 22, Set.of(), Set.of(), null,
                        image.snaps.size(), clock.now(), clock.now(), clock.now()));
            }
        }

        @Override
        public Future<MirrorImageInfo> mirrorInfo() {
            synchronized (FakeCluster.this) {
                mirrorInfoCalls++;
                if (image.mirror == null) {
                    return Future.succeededFuture(new MirrorImageInfo("", MirrorImageState.DISABLED,
                            MirrorImageMode.JOURNAL, false));
                }
                return Future.succeededFuture(image.mirror);
            }
        }

        @Override
        public Future<Long> mirrorCreateSnapshot() {
            synchronized (FakeCluster.this) {
                if (holdSnapshots) {
                    io.vertx.core.Promise<Long> promise = io.vertx.core.Promise.promise();
                    heldSnapshots.add(() -> createNow().onComplete(promise));
                    return promise.future();
                }
                return createNow();
            }
        }

        private Future<Long> createNow() {
            synchronized (FakeCluster.this) {
                if (snapshotFailure != null) {
                    return Future.failedFuture(snapshotFailure);
                }
                if (image.mirror == null || !image.mirror.primary() || image.mirror.mode() != MirrorImageMode.SNAPSHOT) {
                    return Future.failedFuture(new ClusterException(Errno.EINVAL, "not a primary snapshot-mirrored image"));
                }
                long id = nextSnapId++;
                image.snaps.add(new SnapInfo(id, ".mirror.primary.global." + id, 1 << 20, clock.now(),
                        SnapNamespace.MIRROR, false, MirrorSnapshotInfo.primary(Set.of("peer"), false)));
                while (image.mirrorSnapshots() > MAX_MIRROR_SNAPSHOTS) {
                    image.snaps.stream().filter(s -> s.namespace() == SnapNamespace.MIRROR).findFirst()
                            .ifPresent(image.snaps::remove);
                }
                image.created++;
                return Future.succeededFuture(id);
            }
        }

        @Override
        public Future<List<SnapInfo>> listSnaps() {
            synchronized (FakeCluster.this) {
                return Future.succeededFuture(List.copyOf(image.snaps));
            }
        }

        @Override
        public Future<Void> close() {
            synchronized (FakeCluster.this) {
                if (holdCloses) {
                    io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
                    heldCloses.add(() -> {
                        synchronized (FakeCluster.this) {
                            openHandles--;
                        }
                        promise.complete();
                    });
                    return promise.future();
                }
                openHandles--;
            }
            return Future.succeededFuture();
        }
    }
}
