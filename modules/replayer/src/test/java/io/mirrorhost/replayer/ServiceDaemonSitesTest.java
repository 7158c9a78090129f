package io.mirrorhost.replayer;

import static io.mirrorhost.api.testing.Deadlines.await;
import static io.mirrorhost.replayer.RealSites.RBD;
import static io.mirrorhost.replayer.RealSites.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.ServiceDaemon;
import io.mirrorhost.embedded.net.AuthRegistry;
import io.mirrorhost.embedded.net.ClusterServer;
import io.mirrorhost.embedded.net.TlsSettings;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On two real embedded sites with their replayers running, site-b's daemon is in site-b's service map with
 * its pool status (what {@code rbd mirror pool status --verbose} lists under DAEMONS) and is the instance
 * replaying the image (what gives {@code mirror image status} its {@code service:} line); when the daemon
 * stops, or its host is SIGKILLed, it leaves the map and site-b's status of the image reads down.
 */
class ServiceDaemonSitesTest {
    static final ImageSpec IMG = ImageSpec.of("rbd", "", "img");

    @TempDir
    Path dir;
    RealSites sites;
    String globalId;

    @BeforeEach
    void mirroredImage() {
        sites = new RealSites(dir);
        Cluster a = sites.siteA;
        await(a.createImage(IMG, new ImageOptions(1 << 20, 16, ImageFeature.defaults(), null)));
        Image image = await(a.openImage(IMG));
        try {
            await(image.mirrorEnable(MirrorImageMode.SNAPSHOT));
            globalId = await(image.mirrorInfo()).globalId();
        } finally {
            await(image.close());
        }
    }

    @AfterEach
    void closeSites() {
        sites.close();
    }

    private static List<ServiceDaemon> daemons(Cluster site) {
        return await(site.serviceDaemonList("rbd-mirror"));
    }

    private Optional<MirrorImageSiteStatus> localStatus(Cluster site) {
        return status(site, globalId, "");
    }

    private boolean replayingUp(Cluster site) {
        return localStatus(site).filter(s -> s.up() && s.state() == MirrorImageStatusState.REPLAYING).isPresent();
    }

    private static String imageId(Cluster site) {
        return await(site.listImages(RBD)).stream().filter(e -> e.name().equals("img")).findFirst().orElseThrow().id();
    }

    private static long poolId(Cluster site) {
        return await(site.listPools()).stream().filter(p -> p.name().equals("rbd")).mapToLong(PoolInfo::id)
                .findFirst().orElseThrow();
    }

    /** Site-b's daemon is listed, reports the pool as its leader, and is the instance replaying the image. */
    private ServiceDaemon assertServing(Cluster b) {
        sites.waitFor("site-b's daemon to report the pool", () -> daemons(b).size() == 1
                && daemons(b).get(0).status().getOrDefault("json", "").contains("\"" + poolId(b) + "\""));
        ServiceDaemon daemon = daemons(b).get(0);
        assertEquals("admin", daemon.metadata().get("id"));
        assertEquals(daemon.name(), daemon.metadata().get("instance_id"));
        assertFalse(daemon.metadata().getOrDefault("hostname", "").isEmpty());
        JsonObject pool = new JsonObject(daemon.status().get("json")).getJsonObject(Long.toString(poolId(b)));
        assertEquals("rbd", pool.getString("name"));
        assertEquals(true, pool.getBoolean("leader"));
        assertEquals(daemon.name(), pool.getString("instance_id"));
        assertEquals(new JsonObject(), pool.getJsonObject("callouts"));
        assertEquals(Map.of(imageId(b), daemon.name()), await(b.mirrorImageInstanceIdList(RBD)),
                "the image's up status was written by this daemon");
        return daemon;
    }

    @Test
    void aRunningDaemonIsInTheServiceMapAndLeavesItWhenStopped() {
        sites.startReplayers();
        Cluster b = sites.siteB;
        sites.waitFor("site-b replaying the image", () -> replayingUp(b));
        assertServing(b);
        assertEquals(1, daemons(sites.siteA).size(), "site-a runs its own daemon");

        sites.stopReplayer(1);
        assertEquals(List.of(), daemons(b), "a stopped daemon leaves at once");
        MirrorImageSiteStatus down = localStatus(b).orElseThrow();
        assertFalse(down.up(), "its statuses read as down");
        assertEquals(MirrorImageStatusState.REPLAYING, down.state(), "down+replaying, its last state");
        assertEquals(Map.of(), await(b.mirrorImageInstanceIdList(RBD)));

        sites.startReplayer(1);
        sites.waitFor("site-b's restarted daemon replaying again", () -> replayingUp(b));
        assertServing(b);
    }

    @Test
    void aDaemonWhoseHostIsKilledLeavesTheServiceMap() throws Exception {
        sites.startReplayer(0);
        Cluster b = sites.siteB;
        // site-b's host instance reaches its cluster over the network, as with mon_host
        ClusterServer server = await(ClusterServer.start(sites.vertx, sites.siteB, sites.siteB::asClient, "127.0.0.1", 0,
                TlsSettings.DISABLED));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("child.err");
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                RemoteSiteReplayerChild.class.getName(), server.address(), AuthRegistry.ADMIN_CLIENT,
                "admin-key-" + b.fsid(), "site-b")
                .redirectError(stderr.toFile()).redirectOutput(dir.resolve("child.out").toFile()).start();
        try {
            sites.waitFor("site-b's daemon in the child replaying the image", () -> replayingUp(b));
            assertServing(b);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nchild: " + Files.readString(stderr), e);
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
        }
        sites.waitFor("the killed daemon to leave the service map", () -> daemons(b).isEmpty());
        sites.waitFor("its status to read down", () -> localStatus(b).filter(s -> !s.up()).isPresent());
        assertEquals(Map.of(), await(b.mirrorImageInstanceIdList(RBD)));
        await(server.close());
    }
}
