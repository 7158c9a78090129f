package io.mirrorhost.schedule;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.mirrorhost.embedded.net.AuthRegistry;
import io.mirrorhost.embedded.net.Capability;
import io.mirrorhost.embedded.net.ClusterServer;
import io.mirrorhost.embedded.net.TlsSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Two real embedded clusters served on free ports and joined as the guide joins two sites: image
 * mirror mode on both, a bootstrap token of site-a imported rx-tx on site-b.
 */
final class TwoEmbeddedSites implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final EmbeddedCluster siteA;
    final EmbeddedCluster siteB;
    private final ClusterServer serverA;
    private final ClusterServer serverB;

    TwoEmbeddedSites(Path dir) throws Exception {
        siteA = EmbeddedCluster.open(vertx, dir.resolve("site-a"));
        siteB = EmbeddedCluster.open(vertx, dir.resolve("site-b"));
        serverA = serve(siteA);
        serverB = serve(siteB);
        await(siteA.mirrorSiteNameSet("site-a"));
        await(siteB.mirrorSiteNameSet("site-b"));
    }

    private ClusterServer serve(EmbeddedCluster cluster) {
        await(new AuthRegistry(cluster).ensure(AuthRegistry.ADMIN_CLIENT, "admin-key-" + cluster.fsid(),
                Set.of(Capability.ADMIN)));
        ClusterServer server = await(ClusterServer.start(vertx, cluster, cluster::asClient, "127.0.0.1", 0,
                TlsSettings.DISABLED));
        await(server.advertise(cluster, null));
        return server;
    }

    /** An RBD pool on both sites, mirrored in image mode, site-b bootstrapped rx-tx from site-a. */
    void mirroredPool(String pool) {
        for (Cluster site : List.of(siteA, siteB)) {
            await(site.createPool(pool));
            await(site.initPool(pool));
            await(site.mirrorModeSet(PoolNamespace.of(pool), MirrorMode.IMAGE));
        }
        String token = await(siteA.mirrorPeerBootstrapCreate(pool));
        await(siteB.mirrorPeerBootstrapImport(pool, MirrorPeerDirection.RX_TX, token));
    }

    /** A namespace on both sites, in image mirror mode. */
    void mirroredNamespace(PoolNamespace where) {
        for (Cluster site : List.of(siteA, siteB)) {
            await(site.createNamespace(where));
            await(site.mirrorModeSet(where, MirrorMode.IMAGE));
        }
    }

    /** An image on site-a, mirrored in {@code mode} (null: not mirrored); returns its id. */
    String primary(ImageSpec spec, MirrorImageMode mode) {
        await(siteA.createImage(spec, ImageOptions.of(4L << 20)));
        Image image = await(siteA.openImage(spec));
        try {
            if (mode != null) {
                await(image.mirrorEnable(mode));
            }
            return await(image.info()).id();
        } finally {
            await(image.close());
        }
    }

    /**
     * The non-primary copy of a site-a image on site-b, made through the SPI as rbd-mirror makes it
     * (the replayer is a module of its own, not run here): an image with the primary's global id,
     * then a complete non-primary mirror-snapshot of the primary's latest.
     */
    void replicaOnSiteB(ImageSpec spec) {
        Image primary = await(siteA.openImage(spec));
        String globalId;
        long primarySnapId;
        try {
            globalId = await(primary.mirrorInfo()).globalId();
            primarySnapId = mirrorSnaps(primary).get(mirrorSnaps(primary).size() - 1).id();
        } finally {
            await(primary.close());
        }
        String primaryMirrorUuid = await(siteA.mirrorUuidGet(spec.pool()));
        await(siteB.mirrorCreateNonPrimaryImage(spec, ImageOptions.of(4L << 20), globalId, primaryMirrorUuid));
        Image replica = await(siteB.openImage(spec));
        try {
            long snap = await(replica.mirrorCreateNonPrimarySnapshot(primaryMirrorUuid, primarySnapId, Map.of()));
            await(replica.mirrorSnapshotSetCopyProgress(snap, true, 0));
        } finally {
            await(replica.close());
        }
    }

    /** The image's mirror-snapshots, oldest first. */
    static List<SnapInfo> mirrorSnaps(Image image) {
        return await(image.listSnaps()).stream().filter(s -> s.namespace() == SnapNamespace.MIRROR).toList();
    }

    static List<SnapInfo> mirrorSnaps(Cluster site, ImageSpec spec) {
        Image image = await(site.openImage(spec));
        try {
            return mirrorSnaps(image);
        } finally {
            await(image.close());
        }
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError("call did not complete in 30 s", e);
        }
    }

    /** Waits for {@code condition}, checking it every few milliseconds, until {@code deadline}. */
    static void eventually(Duration deadline, Supplier<String> what, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Override
    public void close() {
        await(serverA.close());
        await(serverB.close());
        await(siteA.close());
        await(siteB.close());
        await(vertx.close());
    }
}
