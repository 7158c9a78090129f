package io.mirrorhost.rbd.mirror;

import static io.mirrorhost.rbd.mirror.MirrorHarness.POOL;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertOk;
import static io.mirrorhost.rbd.mirror.MirrorHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.mirrorhost.embedded.net.AuthRegistry;
import io.mirrorhost.embedded.net.Capability;
import io.mirrorhost.embedded.net.ClusterServer;
import io.mirrorhost.embedded.net.RemoteCluster;
import io.mirrorhost.embedded.net.RemoteClusterOptions;
import io.mirrorhost.embedded.net.TlsSettings;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status commands on a real embedded cluster whose service map holds a daemon that connected over the
 * network, registered, pushed its pool status and wrote the image's status: the DAEMONS section and the
 * {@code service:} line show it, and both go (the status reads down) once its connection closes.
 */
class ServiceMapOnEmbeddedTest {
    @TempDir
    Path dir;
    private MirrorHarness rbd;
    private EmbeddedCluster store;
    private ClusterServer server;
    private final io.vertx.core.Vertx storeVertx = io.vertx.core.Vertx.vertx();

    /** The embedded cluster as a command-test site; the tests here need none of the peer helpers. */
    private record EmbeddedSite(EmbeddedCluster cluster) implements MirrorTestSite {
        @Override
        public String clusterName() {
            return "site-b";
        }

        @Override
        public void reach(MirrorTestSite other) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void replicaOfARemotePrimary(ImageSpec image) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean resyncRequested(ImageSpec image) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int openImageHandles() {
            return 0;
        }
    }

    @AfterEach
    void close() throws Exception {
        if (server != null) {
            await(server.close());
        }
        if (store != null) {
            await(store.close());
        }
        if (rbd != null) {
            rbd.close();
        }
        storeVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void until(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Test
    void aDaemonOnAnotherHostShowsUntilItsConnectionCloses() throws Exception {
        store = EmbeddedCluster.open(storeVertx, dir.resolve("site-b"));
        rbd = new MirrorHarness(new EmbeddedSite(store));
        rbd.daemons = new ServiceMapDaemons(() -> rbd.cluster);
        rbd.createPool(POOL);
        ImageSpec image = rbd.createImage("image-1", ImageFeature.defaults());
        rbd.setSiteName("site-b");
        assertOk(rbd.run("mirror pool enable", POOL, "image"), "");
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "snapshot"), "Mirroring enabled\n");
        String globalId = rbd.mirrorInfo(image).globalId();
        long poolId = await(store.listPools()).stream().filter(p -> p.name().equals(POOL)).findFirst().orElseThrow().id();

        String key = "daemon-key-" + store.fsid();
        await(new AuthRegistry(store).ensure(AuthRegistry.ADMIN_CLIENT, key, Set.of(Capability.ADMIN)));
        server = await(ClusterServer.start(rbd.vertx, store, store::asClient, "127.0.0.1", 0, TlsSettings.DISABLED));
        Cluster daemon = await(RemoteCluster.connect(rbd.vertx, RemoteClusterOptions.of(server.address(),
                AuthRegistry.ADMIN_CLIENT, key)));
        String id = Long.toString(await(daemon.instanceId()));
        await(daemon.serviceDaemonRegister("rbd-mirror", id, Map.of("id", "admin", "instance_id", id,
                "hostname", "host-b", "ceph_version_short", "16.2.15")));
        await(daemon.serviceDaemonUpdateStatus(Map.of("json", new JsonObject().put(Long.toString(poolId),
                new JsonObject().put("name", POOL).put("callouts", new JsonObject()).put("instance_id", id)
                        .put("leader", true)).encode())));
        Instant now = Instant.now();
        await(daemon.mirrorImageStatusSet(image.poolNamespace(), globalId, new MirrorImageSiteStatus("",
                MirrorImageStatusState.REPLAYING, "replaying", now, true)));

        String status = rbd.run("mirror image status", "image-pool/image-1").stdout();
        assertTrue(status.contains("  state:       up+replaying\n  description: replaying\n"
                + "  service:     admin on host-b\n  last_update: "), status);
        String pool = rbd.run("mirror pool status", POOL, "--verbose").stdout();
        assertTrue(pool.startsWith("health: OK\n"
                + "daemon health: OK\n"
                + "image health: OK\n"
                + "images: 1 total\n"
                + "    1 replaying\n"
                + "\n"
                + "DAEMONS\n"
                + "service " + id + ":\n"
                + "  instance_id: " + id + "\n"
                + "  client_id: admin\n"
                + "  hostname: host-b\n"
                + "  version: 16.2.15\n"
                + "  leader: true\n"
                + "  health: OK\n"
                + "\n"
                + "\n"
                + "IMAGES\n"), pool);
        assertTrue(pool.contains("  service:     admin on host-b\n"), pool);
        JsonObject json = new JsonObject(rbd.json("mirror image status", "image-pool/image-1").stdout());
        assertEquals(new JsonObject().put("service_id", id).put("instance_id", id).put("daemon_id", "admin")
                .put("hostname", "host-b"), json.getJsonObject("daemon_service"));

        await(daemon.close());
        until("the daemon to leave", () -> rbd.run("mirror pool status", POOL, "--verbose").stdout()
                .contains("DAEMONS\n  none\n"));
        until("the status to read down", () -> rbd.run("mirror image status", "image-pool/image-1").stdout()
                .contains("  state:       down+replaying\n"));
        // a down status counts as unknown, as cls_rbd's summary counts it
        assertOk(rbd.run("mirror pool status", POOL), "health: WARNING\n"
                + "daemon health: UNKNOWN\n"
                + "image health: WARNING\n"
                + "images: 1 total\n"
                + "    1 unknown\n");
        String after = rbd.run("mirror image status", "image-pool/image-1").stdout();
        assertTrue(!after.contains("service:"), after);
    }
}
