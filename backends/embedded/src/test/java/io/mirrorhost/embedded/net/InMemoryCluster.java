package io.mirrorhost.embedded.net;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterConnection;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ConfigKeyStore;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageHandle;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.mirrorhost.api.testing.RoleFakes;
import io.mirrorhost.api.testing.UnmodelledImageData;
import io.mirrorhost.api.testing.UnmodelledImageLockAndWatch;
import io.mirrorhost.api.testing.UnmodelledImageReplay;
import io.mirrorhost.api.testing.UnmodelledImageShape;
import io.mirrorhost.api.testing.UnmodelledImageSnapshots;
import io.mirrorhost.api.testing.UnmodelledImages;
import io.mirrorhost.api.testing.UnmodelledMirrorImages;
import io.mirrorhost.api.testing.UnmodelledPools;
import io.mirrorhost.api.testing.UnmodelledRadosObjects;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A small in-memory cluster to test the wire protocol against: pools, images with data and
 * snapshots, omap, watch/notify, config-key and mirror statuses. Everything else fails with
 * EOPNOTSUPP (see RoleFakes).
 */
final class InMemoryCluster implements ClusterConnection, UnmodelledPools, UnmodelledImages, UnmodelledRadosObjects,
        ConfigKeyStore, UnmodelledMirrorImages {
    private final String fsid = UUID.randomUUID().toString();
    private final Map<String, Long> pools = new TreeMap<>();
    private final Map<ImageSpec, StoredImage> images = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    private final Map<String, Map<String, String>> omaps = new TreeMap<>();
    private final Map<String, List<Consumer<Buffer>>> watchers = new TreeMap<>();
    private final Map<String, String> configKeys = new TreeMap<>();
    private final Map<String, MirrorImageSiteStatus> statuses = new TreeMap<>();
    private long nextPoolId = 1;
    private int openImages;

    static Cluster create() {
        return new InMemoryCluster().asCluster();
    }

    Cluster asCluster() {
        return RoleFakes.cluster(this);
    }

    private static final class StoredImage {
        final String id = UUID.randomUUID().toString().substring(0, 12);
        final ImageOptions options;
        final Instant created = Instant.parse("2026-01-02T03:04:05.123456789Z");
        long size;
        byte[] data;
        final List<SnapInfo> snaps = new ArrayList<>();
        final List<Runnable> updateWatchers = new CopyOnWriteArrayList<>();
        long nextSnapId = 4;

        StoredImage(ImageOptions options) {
            this.options = options;
            this.size = options.size();
            this.data = new byte[(int) options.size()];
        }

        void changed() {
            updateWatchers.forEach(Runnable::run);
        }
    }

    @Override
    public String fsid() {
        return fsid;
    }

    @Override
    public String clientName() {
        return "client.admin";
    }

    @Override
    public synchronized Future<List<PoolInfo>> listPools() {
        List<PoolInfo> list = new ArrayList<>();
        pools.forEach((name, id) -> list.add(new PoolInfo(id, name, true)));
        return Future.succeededFuture(list);
    }

    @Override
    public synchronized Future<Void> createPool(String pool) {
        if (pools.containsKey(pool)) {
            return Future.failedFuture(ClusterException.exists("pool '" + pool + "' already exists"));
        }
        pools.put(pool, nextPoolId++);
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<List<ImageEntry>> listImages(PoolNamespace where) {
        if (!pools.containsKey(where.pool())) {
            return noPool(where.pool());
        }
        List<ImageEntry> list = new ArrayList<>();
        images.forEach((spec, data) -> {
            if (spec.poolNamespace().equals(where)) {
                list.add(new ImageEntry(spec.name(), data.id));
            }
        });
        return Future.succeededFuture(list);
    }

    @Override
    public synchronized Future<Void> createImage(ImageSpec spec, ImageOptions options) {
        if (!pools.containsKey(spec.pool())) {
            return noPool(spec.pool());
        }
        if (images.containsKey(spec)) {
            return Future.failedFuture(ClusterException.exists("rbd image " + spec + " already exists"));
        }
        images.put(spec, new StoredImage(options));
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Image> openImage(ImageSpec spec) {
        StoredImage data = images.get(spec);
        if (data == null) {
            return Future.failedFuture(ClusterException.notFound("error opening image " + spec.name()));
        }
        openImages++;
        return Future.succeededFuture(RoleFakes.image(new OpenImage(spec, data)));
    }

    /** Reading the object named {@code stall} never completes: a call kept in flight. */
    @Override
    public synchronized Future<Map<String, String>> omapGet(PoolNamespace where, String object) {
        if (object.equals("stall")) {
            return Promise.<Map<String, String>>promise().future();
        }
        return Future.succeededFuture(new TreeMap<>(omaps.getOrDefault(where + "/" + object, Map.of())));
    }

    @Override
    public synchronized Future<Void> omapSet(PoolNamespace where, String object, Map<String, String> values) {
        if (!pools.containsKey(where.pool())) {
            return noPool(where.pool());
        }
        omaps.computeIfAbsent(where + "/" + object, k -> new TreeMap<>()).putAll(values);
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Void> omapRemove(PoolNamespace where, String object, Set<String> keys) {
        omaps.getOrDefault(where + "/" + object, new TreeMap<>()).keySet().removeAll(keys);
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Watch> watch(PoolNamespace where, String object, Consumer<Buffer> onNotify) {
        List<Consumer<Buffer>> list = watchers.computeIfAbsent(where + "/" + object, k -> new CopyOnWriteArrayList<>());
        list.add(onNotify);
        return Future.succeededFuture(() -> {
            list.remove(onNotify);
            return Future.succeededFuture();
        });
    }

    @Override
    public Future<Void> notify(PoolNamespace where, String object, Buffer payload) {
        List<Consumer<Buffer>> list;
        synchronized (this) {
            list = List.copyOf(watchers.getOrDefault(where + "/" + object, List.of()));
        }
        list.forEach(w -> w.accept(payload.copy()));
        return Future.succeededFuture();
    }

    synchronized int openImageCount() {
        return openImages;
    }

    synchronized int watcherCount(PoolNamespace where, String object) {
        return watchers.getOrDefault(where + "/" + object, List.of()).size();
    }

    @Override
    public synchronized Future<Optional<String>> configKeyGet(String key) {
        return Future.succeededFuture(Optional.ofNullable(configKeys.get(key)));
    }

    @Override
    public synchronized Future<Void> configKeySet(String key, String value) {
        configKeys.put(key, value);
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Boolean> configKeyCompareAndSet(String key, String expected, String value) {
        if (!java.util.Objects.equals(configKeys.get(key), expected)) {
            return Future.succeededFuture(false);
        }
        configKeys.put(key, value);
        return Future.succeededFuture(true);
    }

    @Override
    public synchronized Future<Void> configKeyRemove(String key) {
        if (configKeys.remove(key) == null) {
            return Future.failedFuture(ClusterException.notFound("config-key " + key + " does not exist"));
        }
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Map<String, String>> configKeyList(String prefix) {
        Map<String, String> found = new TreeMap<>();
        configKeys.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                found.put(k, v);
            }
        });
        return Future.succeededFuture(found);
    }

    @Override
    public synchronized Future<Void> mirrorImageStatusSet(PoolNamespace where, String globalId,
                                                          MirrorImageSiteStatus status) {
        statuses.put(where + "/" + globalId + "/" + status.mirrorUuid(), status);
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<List<MirrorImageGlobalStatus>> mirrorImageGlobalStatusList(PoolNamespace where) {
        List<MirrorImageGlobalStatus> list = new ArrayList<>();
        statuses.forEach((key, status) -> list.add(new MirrorImageGlobalStatus(key, key, null, List.of(status))));
        return Future.succeededFuture(list);
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }

    private static <T> Future<T> noPool(String pool) {
        return Future.failedFuture(ClusterException.notFound("pool '" + pool + "' does not exist"));
    }

    private final class OpenImage implements ImageHandle, UnmodelledImageData, UnmodelledImageShape,
            UnmodelledImageSnapshots, UnmodelledImageLockAndWatch, UnmodelledImageReplay {
        private final ImageSpec spec;
        private final StoredImage data;

        OpenImage(ImageSpec spec, StoredImage data) {
            this.spec = spec;
            this.data = data;
        }

        @Override
        public ImageSpec spec() {
            return spec;
        }

        @Override
        public Long snapId() {
            return null;
        }

        @Override
        public Future<ImageInfo> info() {
            synchronized (InMemoryCluster.this) {
                return Future.succeededFuture(new ImageInfo(spec.name(), data.id, data.size, data.options.order(),
                        data.options.features(), Set.of(), data.options.dataPool(), data.snaps.size(), data.created,
                        data.created, data.created));
            }
        }

        @Override
        public Future<Buffer> read(long offset, int length) {
            synchronized (InMemoryCluster.this) {
                if (offset + length > data.size) {
                    return Future.failedFuture(ClusterException.invalid("read beyond the end of " + spec));
                }
                byte[] out = new byte[length];
                System.arraycopy(data.data, (int) offset, out, 0, length);
                return Future.succeededFuture(Buffer.buffer(out));
            }
        }

        @Override
        public Future<Void> write(long offset, Buffer buffer) {
            synchronized (InMemoryCluster.this) {
                if (offset + buffer.length() > data.size) {
                    return Future.failedFuture(ClusterException.invalid("write beyond the end of " + spec));
                }
                buffer.getBytes(data.data, (int) offset);
                return Future.succeededFuture();
            }
        }

        @Override
        public Future<Void> flush() {
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> resize(long newSize) {
            synchronized (InMemoryCluster.this) {
                byte[] resized = new byte[(int) newSize];
                System.arraycopy(data.data, 0, resized, 0, (int) Math.min(newSize, data.size));
                data.data = resized;
                data.size = newSize;
            }
            data.changed();
            return Future.succeededFuture();
        }

        @Override
        public Future<List<SnapInfo>> listSnaps() {
            synchronized (InMemoryCluster.this) {
                return Future.succeededFuture(List.copyOf(data.snaps));
            }
        }

        @Override
        public Future<Long> createSnap(String name) {
            long id;
            synchronized (InMemoryCluster.this) {
                if (data.snaps.stream().anyMatch(s -> s.name().equals(name))) {
                    return Future.failedFuture(new ClusterException(Errno.EEXIST, "snapshot " + name + " already exists"));
                }
                id = data.nextSnapId++;
                data.snaps.add(new SnapInfo(id, name, data.size, data.created.plusSeconds(id), SnapNamespace.USER,
                        false, null));
            }
            data.changed();
            return Future.succeededFuture(id);
        }

        @Override
        public Future<List<String>> lockOwners() {
            return Future.succeededFuture(List.of());
        }

        @Override
        public Future<Void> mirrorSnapshotUnlinkPeer(long snapId, String peerUuid) {
            return Future.failedFuture(ClusterException.notFound("snapshot " + snapId + " of " + spec + " is not a mirror snapshot"));
        }

        @Override
        public Future<Watch> updateWatch(Runnable onUpdate) {
            data.updateWatchers.add(onUpdate);
            return Future.succeededFuture(() -> {
                data.updateWatchers.remove(onUpdate);
                return Future.succeededFuture();
            });
        }

        @Override
        public Future<Void> close() {
            synchronized (InMemoryCluster.this) {
                openImages--;
            }
            return Future.succeededFuture();
        }
    }
}
