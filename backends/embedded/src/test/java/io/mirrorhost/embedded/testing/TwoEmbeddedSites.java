package io.mirrorhost.embedded.testing;

import static io.mirrorhost.api.testing.Deadlines.await;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageSpec;
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
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Two real embedded clusters, site-a and site-b, each served on a free loopback port with an admin
 * key, as the guide's two sites: what a module's tests need to see two sites mirror over the
 * network. Modules extend it with their own daemons and helpers.
 */
public class TwoEmbeddedSites implements AutoCloseable {
    public final Vertx vertx = Vertx.vertx();
    public final EmbeddedCluster siteA;
    /** Null between {@link #closeSiteB()} and {@link #reopenSiteB()}. */
    public EmbeddedCluster siteB;
    /** Site-b's data directory, for another process to open while it is closed here. */
    public final Path dirB;
    private ClusterServer serverA;
    private ClusterServer serverB;

    public TwoEmbeddedSites(Path dir) {
        siteA = await(vertx.executeBlocking(() -> EmbeddedCluster.open(vertx, dir.resolve("site-a"))));
        dirB = dir.resolve("site-b");
        siteB = await(vertx.executeBlocking(() -> EmbeddedCluster.open(vertx, dirB)));
        serverA = serve(siteA, 0);
        serverB = serve(siteB, 0);
        await(siteA.mirrorSiteNameSet("site-a"));
        await(siteB.mirrorSiteNameSet("site-b"));
    }

    private ClusterServer serve(EmbeddedCluster cluster, int port) {
        await(new AuthRegistry(cluster).ensure(AuthRegistry.ADMIN_CLIENT, "admin-key-" + cluster.fsid(),
                Set.of(Capability.ADMIN)));
        ClusterServer server = await(ClusterServer.start(vertx, cluster, cluster::asClient, "127.0.0.1", port,
                TlsSettings.DISABLED));
        await(server.advertise(cluster, null));
        return server;
    }

    /** Site {@code i}: 0 is site-a, 1 is site-b. */
    public EmbeddedCluster site(int i) {
        return i == 0 ? siteA : siteB;
    }

    /** An RBD pool on both sites, mirrored in image mode, site-b bootstrapped rx-tx from site-a. */
    public void mirroredPool(String pool) {
        for (Cluster site : List.of(siteA, siteB)) {
            await(site.createPool(pool));
            await(site.initPool(pool));
            await(site.mirrorModeSet(PoolNamespace.of(pool), MirrorMode.IMAGE));
        }
        String token = await(siteA.mirrorPeerBootstrapCreate(pool));
        await(siteB.mirrorPeerBootstrapImport(pool, MirrorPeerDirection.RX_TX, token));
    }

    /** A namespace on both sites, in image mirror mode. */
    public void mirroredNamespace(PoolNamespace where) {
        for (Cluster site : List.of(siteA, siteB)) {
            await(site.createNamespace(where));
            await(site.mirrorModeSet(where, MirrorMode.IMAGE));
        }
    }

    /** The network between the sites goes down: neither cluster is served any more. */
    public int[] stopServing() {
        int[] ports = {serverA.port(), serverB.port()};
        await(serverA.close());
        await(serverB.close());
        return ports;
    }

    /** Both clusters are served again where they were. */
    public void serveAgain(int[] ports) {
        serverA = serve(siteA, ports[0]);
        serverB = serve(siteB, ports[1]);
    }

    /** Closes site-b here, so that another process may open {@link #dirB}. */
    public void closeSiteB() {
        await(serverB.close());
        await(siteB.close());
        siteB = null;
    }

    public void reopenSiteB() {
        siteB = await(vertx.executeBlocking(() -> EmbeddedCluster.open(vertx, dirB)));
        serverB = serve(siteB, 0);
    }

    /** The image's snapshots, oldest first, read through a handle of its own. */
    public static List<SnapInfo> snaps(Cluster site, ImageSpec spec) {
        Image image = await(site.openImage(spec));
        try {
            return await(image.listSnaps());
        } finally {
            await(image.close());
        }
    }

    /** The image's mirror-snapshots, oldest first. */
    public static List<SnapInfo> mirrorSnaps(Cluster site, ImageSpec spec) {
        return snaps(site, spec).stream().filter(s -> s.namespace() == SnapNamespace.MIRROR).toList();
    }

    @Override
    public void close() {
        await(serverA.close());
        if (siteB != null) {
            await(serverB.close());
            await(siteB.close());
        }
        await(siteA.close());
        await(vertx.close());
    }
}
