package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.ServiceDaemon;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon on another host registers in the embedded cluster's service map over the wire; it and the
 * up-ness of the image statuses it wrote end with its connection, as with Ceph's manager and cls_rbd.
 */
class ServiceMapOverTheNetworkTest {
    private static final PoolNamespace RBD = PoolNamespace.of("rbd");

    @TempDir
    Path dir;
    private Vertx vertx;
    private EmbeddedCluster backing;
    private ClusterServer server;
    private String adminKey;
    private String peerKey;
    private String globalId;
    private String imageId;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        backing = EmbeddedCluster.open(vertx, dir.resolve("cluster"));
        adminKey = Handshake.newKey();
        peerKey = Handshake.newKey();
        result(new AuthRegistry(backing).ensure(AuthRegistry.ADMIN_CLIENT, adminKey, Set.of(Capability.ADMIN)));
        result(new AuthRegistry(backing).ensure("client.rbd-mirror-peer", peerKey, Set.of(Capability.RBD_MIRROR_PEER)));
        server = result(ClusterServer.start(vertx, backing, backing::asClient, "127.0.0.1", 0, TlsSettings.DISABLED));
        result(backing.createPool("rbd"));
        result(backing.mirrorModeSet(RBD, MirrorMode.IMAGE));
        ImageSpec spec = new ImageSpec(RBD, "image-1");
        result(backing.createImage(spec, new ImageOptions(1 << 22, 22, ImageFeature.defaults(), null)));
        Image image = result(backing.openImage(spec));
        result(image.mirrorEnable(MirrorImageMode.SNAPSHOT));
        globalId = result(image.mirrorInfo()).globalId();
        imageId = result(image.mirrorGlobalStatus()).imageId();
        result(image.close());
    }

    @AfterEach
    void tearDown() {
        result(server.close());
        result(backing.close());
        result(vertx.close());
    }

    private Cluster connect(String client, String key) {
        return result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(), client, key)));
    }

    private boolean localStatusUp() {
        return result(backing.mirrorImageGlobalStatusList(RBD)).get(0).siteStatuses().stream()
                .filter(s -> s.mirrorUuid().isEmpty()).findFirst().orElseThrow().up();
    }

    @Test
    void aRemoteDaemonIsListedUntilItsConnectionCloses() {
        Cluster daemon = connect(AuthRegistry.ADMIN_CLIENT, adminKey);
        long instance = result(daemon.instanceId());
        assertEquals(instance, result(daemon.instanceId()), "one connection, one instance id");
        result(daemon.serviceDaemonRegister("rbd-mirror", Long.toString(instance),
                Map.of("id", "admin", "instance_id", Long.toString(instance), "hostname", "host-b")));
        result(daemon.serviceDaemonUpdateStatus(Map.of("json", "{\"1\":{\"leader\":true}}")));
        result(daemon.mirrorImageStatusSet(RBD, globalId, new MirrorImageSiteStatus("",
                MirrorImageStatusState.REPLAYING, "replaying", Instant.now(), true)));

        List<ServiceDaemon> listed = result(backing.serviceDaemonList("rbd-mirror"));
        assertEquals(1, listed.size());
        assertEquals(Long.toString(instance), listed.get(0).name());
        assertEquals("host-b", listed.get(0).metadata().get("hostname"));
        assertEquals(Map.of("json", "{\"1\":{\"leader\":true}}"), listed.get(0).status());
        assertEquals(listed, result(daemon.serviceDaemonList("rbd-mirror")), "the same over the wire");
        assertEquals(Map.of(imageId, Long.toString(instance)), result(backing.mirrorImageInstanceIdList(RBD)));
        assertTrue(localStatusUp());

        result(daemon.close());
        Await.until("the daemon to leave the service map",
                () -> result(backing.serviceDaemonList("rbd-mirror")).isEmpty());
        Await.until("the status it wrote to read as down", () -> !localStatusUp());
        assertEquals(Map.of(), result(backing.mirrorImageInstanceIdList(RBD)));
        assertEquals(MirrorImageStatusState.REPLAYING, result(backing.mirrorImageGlobalStatusList(RBD)).get(0)
                .siteStatuses().get(0).state(), "the last state stays, down");
    }

    @Test
    void unregisteringEndsTheDaemonButNotTheConnection() {
        Cluster daemon = connect("client.rbd-mirror-peer", peerKey);
        result(daemon.serviceDaemonRegister("rbd-mirror", "peer-daemon", Map.of()));
        result(daemon.mirrorImageStatusSet(RBD, globalId, new MirrorImageSiteStatus("",
                MirrorImageStatusState.STOPPED, "local image is primary", Instant.now(), true)));
        assertEquals(1, result(backing.serviceDaemonList("rbd-mirror")).size(), "a peer's daemon may register");
        result(daemon.serviceDaemonUnregister());
        assertEquals(List.of(), result(backing.serviceDaemonList("rbd-mirror")));
        assertFalse(localStatusUp());
        assertEquals(Errno.ENOENT, Await.failure(daemon.serviceDaemonUpdateStatus(Map.of())).errno());
        result(daemon.serviceDaemonRegister("rbd-mirror", "peer-daemon", Map.of()));
        assertEquals(1, result(backing.serviceDaemonList("rbd-mirror")).size(), "and register again");
        result(daemon.close());
    }
}
