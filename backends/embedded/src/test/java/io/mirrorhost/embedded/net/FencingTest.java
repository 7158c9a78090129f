package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.failure;
import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader that was paused while another client took its fence resumes and writes: the storage
 * refuses every write it makes through its fenced view, changes nothing, counts the refusals, and
 * still serves its reads. The same in-process (two client views of one store) and over the network
 * (two clients of one server).
 */
class FencingTest {
    private static final PoolNamespace RBD = new PoolNamespace("rbd", "");
    private static final ImageSpec DISK = new ImageSpec(RBD, "disk");

    @TempDir
    Path dir;
    private Vertx vertx;
    private EmbeddedCluster backing;
    private ClusterServer server;

    @BeforeEach
    void openStore() throws Exception {
        vertx = Vertx.vertx();
        backing = EmbeddedCluster.open(vertx, dir);
        result(backing.createPool("rbd"));
        result(backing.createImage(DISK, ImageOptions.of(1 << 22)));
    }

    @AfterEach
    void closeStore() {
        if (server != null) {
            result(server.close());
        }
        result(backing.close());
        result(vertx.close());
    }

    @Test
    void aPausedLeaderInProcessIsRefusedByTheStorage() {
        pausedLeaderIsRefused(backing.asClient("client.a"), backing.asClient("client.b"));
    }

    @Test
    void aPausedLeaderOverTheNetworkIsRefusedByTheServer() {
        server = result(ClusterServer.start(vertx, backing, backing::asClient, "127.0.0.1", 0, TlsSettings.DISABLED));
        pausedLeaderIsRefused(connect("client.a"), connect("client.b"));
    }

    @Test
    void aFencedRemoteViewKeepsItsTokenAcrossAReconnect() {
        server = result(ClusterServer.start(vertx, backing, backing::asClient, "127.0.0.1", 0, TlsSettings.DISABLED));
        Cluster a = connect("client.a");
        Cluster fencedA = a.fenced(result(a.fenceTake("leader", 0, "a")));
        Image image = result(fencedA.openImage(DISK));
        result(image.write(0, Buffer.buffer("first")));

        int port = server.port();
        result(server.close());
        Await.until("the client to see the server gone",
            () -> failure(a.listPools()).errno() == Errno.ECONNREFUSED);
        server = Await.restartOnSamePort(() -> ClusterServer.start(vertx, backing, backing::asClient, "127.0.0.1", port,
            TlsSettings.DISABLED));
        result(backing.fenceTake("leader", 1, "b"));

        assertEquals(Errno.ESHUTDOWN, failure(image.write(0, Buffer.buffer("again"))).errno(),
            "the image reopened on the new connection is fenced by the same token");
        assertEquals(Errno.ESHUTDOWN, failure(fencedA.configKeySet("k", "v")).errno());
        assertEquals("first", result(image.read(0, 5)).toString());
        assertEquals(2, result(backing.fenceGet("leader")).orElseThrow().refused());
        result(image.close());
        result(a.close());
    }

    @Test
    void fencesOutliveARestartOfTheStore() throws Exception {
        FenceToken first = result(backing.fenceTake("leader", 0, "a"));
        result(backing.fenceTake("leader", first.epoch(), "b"));
        result(backing.close());
        backing = EmbeddedCluster.open(vertx, dir);

        assertEquals(Optional.of(new FenceRecord("leader", 2, "b", 0)), result(backing.fenceGet("leader")));
        assertEquals(Errno.ESHUTDOWN, failure(backing.fenced(first).configKeySet("k", "v")).errno());
        assertEquals(Errno.ESTALE, failure(backing.fenceTake("leader", first.epoch(), "a")).errno());
    }

    private void pausedLeaderIsRefused(Cluster a, Cluster b) {
        assertEquals(Optional.empty(), result(a.fenceGet("leader")));
        FenceToken termA = result(a.fenceTake("leader", 0, "site-a"));
        assertEquals(new FenceToken("leader", 1), termA);
        Cluster leaderA = a.fenced(termA);
        result(leaderA.configKeySet("schedule", "A"));
        Image imageA = result(leaderA.openImage(DISK));
        result(imageA.write(0, Buffer.buffer("A wrote")));

        // A pauses; B learns epoch 1 (from the site's shared state) and takes over
        FenceToken termB = result(b.fenceTake("leader", 1, "site-b"));
        assertEquals(new FenceToken("leader", 2), termB);

        // A resumes and carries on as if it still led
        List<Future<?>> resumed = List.of(
            leaderA.configKeySet("schedule", "A again"),
            leaderA.omapSet(RBD, "runs", Map.of("disk", "A")),
            leaderA.createImage(new ImageSpec(RBD, "other"), ImageOptions.of(1 << 20)),
            imageA.write(0, Buffer.buffer("A again")),
            imageA.createSnap("by-a"),
            leaderA.fenced(termA).configKeyRemove("schedule"));
        for (Future<?> write : resumed) {
            assertEquals(Errno.ESHUTDOWN, failure(write).errno());
        }

        assertEquals(Optional.of("A"), result(backing.configKeyGet("schedule")));
        assertEquals(Map.of(), result(backing.omapGet(RBD, "runs")));
        assertEquals(List.of("disk"), result(backing.listImages(RBD)).stream().map(e -> e.name()).toList());
        assertEquals(List.of(), result(imageA.listSnaps()));
        assertEquals("A wrote", result(imageA.read(0, 7)).toString(), "A's reads still work");
        assertEquals(Optional.of("A"), result(leaderA.configKeyGet("schedule")));
        assertEquals(Optional.of(new FenceRecord("leader", 2, "site-b", resumed.size())), result(a.fenceGet("leader")));

        assertEquals(Errno.ESTALE, failure(a.fenceTake("leader", termA.epoch(), "site-a")).errno(),
            "A, knowing only its own epoch, cannot take the fence back");
        result(b.fenced(termB).configKeySet("schedule", "B"));
        assertEquals(Optional.of("B"), result(backing.configKeyGet("schedule")));
        result(imageA.close());
        result(a.close());
        result(b.close());
    }

    private Cluster connect(String client) {
        String key = Handshake.newKey();
        result(new AuthRegistry(backing).ensure(client, key, Set.of(Capability.ADMIN)));
        return result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(), client, key)));
    }
}
