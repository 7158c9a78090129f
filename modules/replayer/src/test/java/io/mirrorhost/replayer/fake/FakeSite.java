package io.mirrorhost.replayer.fake;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.Images;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.mirrorhost.api.testing.UncheckedFences;
import io.mirrorhost.api.testing.UnmodelledClusterConnection;
import io.mirrorhost.api.testing.UnmodelledMirrorImages;
import io.mirrorhost.api.testing.UnmodelledMirrorPeers;
import io.mirrorhost.api.testing.UnmodelledMirrorSettings;
import io.mirrorhost.api.testing.UnmodelledPools;
import io.mirrorhost.api.testing.UnmodelledRadosObjects;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One site of an in-memory two-site setup with librbd's mirroring semantics for what the replayer
 * touches: one pool ({@code rbd}), images with data, snapshots and mirror-snapshots, mirror records,
 * peers, statuses and watch notifications. A non-primary copy takes writes while its newest
 * mirror-snapshot is an incomplete non-primary one (the daemon filling it), and that snapshot's
 * content is what the image holds when it is marked complete, as librbd's deep copy leaves it.
 */
public final class FakeSite {
    public static final String POOL = "rbd";
    final String name;
    final String mirrorUuid;
    final Map<String, FakeImage> images = new LinkedHashMap<>();
    final Map<String, MirrorImageInfo> records = new LinkedHashMap<>();
    final List<MirrorPeer> peers = new ArrayList<>();
    final Map<String, Map<String, MirrorImageSiteStatus>> statuses = new TreeMap<>();
    final List<Consumer<Buffer>> mirroringWatchers = new CopyOnWriteArrayList<>();
    final AtomicLong ids = new AtomicLong(100);
    Supplier<Instant> clock = Instant::now;
    Consumer<FakeImage> onImageCreated = image -> { };
    MirrorMode mode = MirrorMode.IMAGE;
    public final List<String> pools = new CopyOnWriteArrayList<>(List.of(POOL));
    /** Namespaces of the pool besides the default one, each mirrored to the same-named namespace. */
    public final List<String> namespaces = new CopyOnWriteArrayList<>();
    boolean reachable = true;
    /** This many removals of images still fail with EBUSY, as while another client holds the image open. */
    public final AtomicInteger busyRemovals = new AtomicInteger();

    public FakeSite(String name) {
        this.name = name;
        this.mirrorUuid = "mirror-uuid-" + name;
    }

    /** Adds {@code other} as a peer of this site's pool; returns the peer uuid. */
    public synchronized String addPeer(FakeSite other, MirrorPeerDirection direction) {
        String uuid = "peer-" + other.name + "-at-" + name;
        peers.add(new MirrorPeer(uuid, direction, other.name, other.mirrorUuid, "client.rbd-mirror-peer", null));
        return uuid;
    }

    /** The cluster as this site's own clients see it. */
    public Cluster cluster() {
        return UncheckedFences.cluster(new ClusterView());
    }

    /** The cluster as a peer's daemon reaches it; unreachable sites refuse the connection. */
    public Future<Cluster> connect() {
        return reachable ? Future.succeededFuture(unlessUnreachable(Cluster.class, cluster()))
                : Future.failedFuture(unreachable());
    }

    private ClusterException unreachable() {
        return new ClusterException(Errno.ETIMEDOUT, name + " is unreachable");
    }

    /** A peer's view: every call fails while this site is unreachable, images opened through it too. */
    @SuppressWarnings("unchecked")
    private <T> T unlessUnreachable(Class<T> type, T target) {
        return (T) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(target, args);
                    }
                    boolean up;
                    synchronized (this) {
                        up = reachable;
                    }
                    if (!up && Future.class.isAssignableFrom(method.getReturnType())) {
                        return Future.failedFuture(unreachable());
                    }
                    Object result;
                    try {
                        result = method.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof Future<?> f) {
                        return f.map(value -> value instanceof Image image ? unlessUnreachable(Image.class, image) : value);
                    }
                    return result;
                });
    }

    public void clockFrom(Supplier<Instant> now) {
        this.clock = now;
    }

    /** Lets a test prepare images as they are created (by the replayer, for one). */
    public void onImageCreated(Consumer<FakeImage> hook) {
        this.onImageCreated = hook;
    }

    @Override
    public String toString() {
        return name;
    }

    public synchronized void setReachable(boolean reachable) {
        this.reachable = reachable;
    }

    public synchronized FakeImage image(String imageName) {
        return image("", imageName);
    }

    public synchronized FakeImage image(String namespace, String imageName) {
        return images.values().stream().filter(i -> i.name.equals(imageName) && i.namespace.equals(namespace))
                .findFirst().orElse(null);
    }

    public synchronized FakeImage createImage(String imageName, long size, int order) {
        return createImage("", imageName, size, order);
    }

    public synchronized FakeImage createImage(String namespace, String imageName, long size, int order) {
        FakeImage image = new FakeImage(this, "id" + ids.incrementAndGet(), imageName, size, order);
        image.namespace = namespace;
        images.put(image.id, image);
        onImageCreated.accept(image);
        return image;
    }

    public synchronized MirrorImageSiteStatus status(String globalId, String fromMirrorUuid) {
        return statuses.getOrDefault(globalId, Map.of()).get(fromMirrorUuid);
    }

    synchronized Set<String> txPeerUuids() {
        Set<String> uuids = new java.util.TreeSet<>();
        peers.stream().filter(p -> p.direction() != MirrorPeerDirection.RX_ONLY).forEach(p -> uuids.add(p.uuid()));
        return uuids;
    }

    void notifyMirroring() {
        for (Consumer<Buffer> w : mirroringWatchers) {
            w.accept(Buffer.buffer());
        }
    }

    static <T> Future<T> call(Supplier<T> body) {
        try {
            return Future.succeededFuture(body.get());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** The roles of {@link Cluster} the replayer uses, on this site. */
    public final class ClusterView implements UnmodelledClusterConnection, UnmodelledPools, Images,
            UnmodelledRadosObjects, UnmodelledMirrorSettings, UnmodelledMirrorPeers, UnmodelledMirrorImages {
        @Override
        public Future<List<PoolInfo>> listPools() {
            return call(() -> pools.stream().map(p -> new PoolInfo(pools.indexOf(p) + 1, p, true)).toList());
        }

        @Override
        public Future<MirrorMode> mirrorModeGet(PoolNamespace where) {
            // only the pool named POOL is mirrored; others are plain (data) pools
            return call(() -> where.pool().equals(POOL) ? mode : MirrorMode.DISABLED);
        }

        @Override
        public Future<String> mirrorRemoteNamespaceGet(PoolNamespace where) {
            return call(() -> "");
        }

        @Override
        public Future<List<String>> listNamespaces(String pool) {
            return call(() -> List.copyOf(namespaces));
        }

        @Override
        public Future<String> mirrorUuidGet(String pool) {
            return call(() -> mirrorUuid);
        }

        @Override
        public Future<List<MirrorPeer>> mirrorPeerSiteList(String pool) {
            synchronized (FakeSite.this) {
                return call(() -> List.copyOf(peers));
            }
        }

        @Override
        public Future<Map<String, String>> mirrorPeerSiteGetAttributes(String pool, String uuid) {
            return call(() -> Map.of("mon_host", "fake:" + uuid, "key", "secret"));
        }

        @Override
        public Future<Void> mirrorPeerPing(String pool, String siteName, String mirrorUuid) {
            return call(() -> null);
        }

        @Override
        public Future<Watch> watch(PoolNamespace where, String object, Consumer<Buffer> onNotify) {
            return call(() -> {
                mirroringWatchers.add(onNotify);
                return () -> {
                    mirroringWatchers.remove(onNotify);
                    return Future.succeededFuture();
                };
            });
        }

        @Override
        public Future<Map<String, MirrorImageInfo>> mirrorImageInfoList(PoolNamespace where) {
            synchronized (FakeSite.this) {
                return call(() -> {
                    Map<String, MirrorImageInfo> inNamespace = new LinkedHashMap<>();
                    records.forEach((id, info) -> {
                        if (images.containsKey(id) && images.get(id).namespace.equals(where.namespace())) {
                            inNamespace.put(id, info);
                        }
                    });
                    return inNamespace;
                });
            }
        }

        @Override
        public Future<List<ImageEntry>> listImages(PoolNamespace where) {
            synchronized (FakeSite.this) {
                return call(() -> images.values().stream().map(i -> new ImageEntry(i.name, i.id)).toList());
            }
        }

        @Override
        public Future<Image> openImageById(PoolNamespace where, String imageId) {
            synchronized (FakeSite.this) {
                FakeImage image = images.get(imageId);
                return image == null ? Future.failedFuture(ClusterException.notFound("image id " + imageId))
                        : Future.succeededFuture(image.handle(null));
            }
        }

        @Override
        public Future<Image> openImage(ImageSpec spec) {
            synchronized (FakeSite.this) {
                FakeImage image = image(spec.namespace(), spec.name());
                return image == null ? Future.failedFuture(ClusterException.notFound("image " + spec))
                        : Future.succeededFuture(image.handle(null));
            }
        }

        @Override
        public Future<Image> openImageForReplay(PoolNamespace where, String imageId) {
            synchronized (FakeSite.this) {
                FakeImage image = images.get(imageId);
                return image == null ? Future.failedFuture(ClusterException.notFound("image id " + imageId))
                        : Future.succeededFuture(image.replayHandle());
            }
        }

        /** rbd-mirror's CreateImageRequest: a snapshot-mode, non-primary copy of {@code globalId}. */
        @Override
        public Future<Void> mirrorCreateNonPrimaryImage(ImageSpec spec, ImageOptions options, String globalId,
                                                        String primaryMirrorUuid) {
            synchronized (FakeSite.this) {
                FakeImage image = FakeSite.this.createImage(spec.namespace(), spec.name(), options.size(), options.order());
                image.dataPool = options.dataPool();
                records.put(image.id, new MirrorImageInfo(globalId, MirrorImageState.ENABLED,
                        MirrorImageMode.SNAPSHOT, false));
            }
            notifyMirroring();
            return Future.succeededFuture();
        }

        @Override
        public Future<Image> openImageAtSnap(PoolNamespace where, String imageId, long snapId) {
            synchronized (FakeSite.this) {
                FakeImage image = images.get(imageId);
                if (image == null || image.snap(snapId) == null) {
                    return Future.failedFuture(ClusterException.notFound("snapshot " + snapId));
                }
                return Future.succeededFuture(image.handle(snapId));
            }
        }

        @Override
        public Future<Void> createImage(ImageSpec spec, ImageOptions options) {
            synchronized (FakeSite.this) {
                return call(() -> {
                    if (image(spec.namespace(), spec.name()) != null) {
                        throw ClusterException.exists("image " + spec.name());
                    }
                    FakeSite.this.createImage(spec.namespace(), spec.name(), options.size(), options.order()).dataPool = options.dataPool();
                    return null;
                });
            }
        }

        @Override
        public Future<Void> renameImage(ImageSpec spec, String newName) {
            synchronized (FakeSite.this) {
                return call(() -> {
                    FakeImage image = image(spec.namespace(), spec.name());
                    if (image == null) {
                        throw ClusterException.notFound("image " + spec);
                    }
                    if (image(spec.namespace(), newName) != null) {
                        throw ClusterException.exists("image " + newName);
                    }
                    image.name = newName;
                    return null;
                });
            }
        }

        @Override
        public Future<Void> removeImage(ImageSpec spec) {
            synchronized (FakeSite.this) {
                return call(() -> {
                    FakeImage image = image(spec.namespace(), spec.name());
                    if (image == null) {
                        throw ClusterException.notFound("image " + spec);
                    }
                    if (!image.snaps.isEmpty()) {
                        throw new ClusterException(Errno.EBUSY, "image has snapshots");
                    }
                    if (busyRemovals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new ClusterException(Errno.EBUSY, "image still has watchers");
                    }
                    images.remove(image.id);
                    if (records.remove(image.id) != null) {
                        notifyMirroring();
                    }
                    return null;
                });
            }
        }

        @Override
        public Future<Void> mirrorImageStatusSet(PoolNamespace where, String globalId, MirrorImageSiteStatus status) {
            synchronized (FakeSite.this) {
                return call(() -> {
                    statuses.computeIfAbsent(globalId, k -> new TreeMap<>()).put(status.mirrorUuid(), status);
                    return null;
                });
            }
        }

        @Override
        public Future<Void> mirrorImageStatusRemove(PoolNamespace where, String globalId, String mirrorUuid) {
            synchronized (FakeSite.this) {
                return call(() -> {
                    Map<String, MirrorImageSiteStatus> m = statuses.get(globalId);
                    if (m != null) {
                        m.remove(mirrorUuid);
                    }
                    return null;
                });
            }
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    }
}
