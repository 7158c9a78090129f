package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.failure;
import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a client sees when the server goes away and comes back, and what the server releases. */
class ConnectionLossTest {
    private static final PoolNamespace RBD = PoolNamespace.of("rbd");

    private Vertx vertx;
    private InMemoryCluster store;
    private Cluster backing;
    private ClusterServer server;
    private Cluster remote;
    private String address;
    private String key;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        store = new InMemoryCluster();
        backing = store.asCluster();
        key = result(new AuthRegistry(backing).getOrCreate(AuthRegistry.ADMIN_CLIENT, Set.of(Capability.ADMIN))).key();
        result(backing.createPool("rbd"));
        server = result(ClusterServer.start(vertx, backing, "127.0.0.1", 0, TlsSettings.DISABLED));
        address = server.address();
        remote = result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(address, AuthRegistry.ADMIN_CLIENT, key)));
    }

    @AfterEach
    void tearDown() {
        result(remote.close());
        result(server.close());
        result(vertx.close());
    }

    @Test
    void inFlightCallsFailNamingTheAddressAndTheClientReconnectsLater() {
        ImageSpec spec = new ImageSpec(RBD, "disk");
        result(remote.createImage(spec, ImageOptions.of(1 << 16)));
        Image image = result(remote.openImage(spec));
        result(image.write(0, Buffer.buffer("before the outage")));

        Future<Map<String, String>> inFlight = remote.omapGet(RBD, "stall");
        result(server.close());

        ClusterException lost = failure(inFlight);
        assertEquals(Errno.ESHUTDOWN, lost.errno());
        assertEquals("lost the connection to the cluster at " + address + " during Cluster.omapGet", lost.getMessage());

        ClusterException down = failure(remote.listPools());
        assertEquals(Errno.ECONNREFUSED, down.errno());
        assertEquals("cannot connect to the cluster at " + address + ": connection refused", down.getMessage());

        int port = server.port();
        server = Await.restartOnSamePort(() -> ClusterServer.start(vertx, backing, "127.0.0.1", port, TlsSettings.DISABLED));
        assertEquals("rbd", result(remote.listPools()).get(0).name());
        assertEquals("before the outage", result(image.read(0, 17)).toString(), "the image is reopened on the new connection");
        result(image.close());
    }

    @Test
    void watchesAreRegisteredAgainAfterTheServerComesBack() throws Exception {
        ImageSpec spec = new ImageSpec(RBD, "disk");
        result(remote.createImage(spec, ImageOptions.of(1 << 16)));
        Image image = result(remote.openImage(spec));
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        result(remote.watch(RBD, "obj", payload -> events.add("notify " + payload)));
        result(image.updateWatch(() -> events.add("update")));

        result(server.close());
        Await.until("the server to drop the watches", () -> store.watcherCount(RBD, "obj") == 0);
        int port = server.port();
        server = Await.restartOnSamePort(() -> ClusterServer.start(vertx, backing, "127.0.0.1", port, TlsSettings.DISABLED));

        Await.until("the client to register its watch again", () -> store.watcherCount(RBD, "obj") == 1);
        assertEquals("update", events.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
                "an update watch is told that it may have missed updates");
        result(backing.notify(RBD, "obj", Buffer.buffer("after restart")));
        assertEquals("notify after restart", events.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        Image direct = result(backing.openImage(spec));
        result(direct.resize(1 << 17));
        assertEquals("update", events.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        result(direct.close());
        result(image.close());
    }

    @Test
    void aThrowingWatchCallbackDoesNotBreakTheConnection() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        result(remote.watch(RBD, "obj", payload -> {
            throw new IllegalStateException("callback bug");
        }));
        result(remote.watch(RBD, "obj", payload -> events.add(payload.toString())));
        result(backing.notify(RBD, "obj", Buffer.buffer("one")));
        result(backing.notify(RBD, "obj", Buffer.buffer("two")));
        assertEquals("one", events.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("two", events.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("rbd", result(remote.listPools()).get(0).name());
    }

    @Test
    void aSilentConnectionIsDeclaredDeadByTheKeepalive() throws Exception {
        RecordingProxy proxy = result(RecordingProxy.start(vertx, server.port()));
        String proxied = "127.0.0.1:" + proxy.port();
        Cluster viaProxy = result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(proxied,
                AuthRegistry.ADMIN_CLIENT, key).withKeepalive(100)));
        assertEquals(1, result(viaProxy.listPools()).size());

        proxy.blackhole(true);
        ClusterException dead = failure(viaProxy.listPools());
        assertEquals(Errno.ESHUTDOWN, dead.errno());
        assertTrue(dead.getMessage().contains(proxied), dead.getMessage());

        proxy.blackhole(false);
        assertEquals(1, result(viaProxy.listPools()).size());
        result(viaProxy.close());
    }

    @Test
    void theServerReleasesImagesAndWatchesOfADroppedConnection() {
        ImageSpec spec = new ImageSpec(RBD, "disk");
        result(remote.createImage(spec, ImageOptions.of(1 << 16)));
        result(remote.openImage(spec));
        result(remote.watch(RBD, "obj", payload -> { }));
        Watch closedWatch = result(remote.watch(RBD, "obj2", payload -> { }));
        result(closedWatch.close());
        assertEquals(1, store.openImageCount());
        assertEquals(1, store.watcherCount(RBD, "obj"));
        assertEquals(0, store.watcherCount(RBD, "obj2"));

        result(remote.close());
        Await.until("the server to close the image and watch", () -> store.openImageCount() == 0
                && store.watcherCount(RBD, "obj") == 0);
        ClusterException closed = failure(remote.listPools());
        assertEquals(Errno.ESHUTDOWN, closed.errno());
        assertTrue(closed.getMessage().contains("closed by this client"), closed.getMessage());
    }

    @Test
    void errorsKeepTheirErrnoAndMessageAcrossTheWire() {
        ClusterException direct = failure(backing.openImage(new ImageSpec(RBD, "missing")));
        ClusterException viaWire = failure(remote.openImage(new ImageSpec(RBD, "missing")));
        assertEquals(direct.errno(), viaWire.errno());
        assertEquals(direct.getMessage(), viaWire.getMessage());

        ClusterException unmodelled = failure(remote.mirrorUuidGet("rbd"));
        assertEquals(Errno.EOPNOTSUPP, unmodelled.errno());
        assertEquals("Cluster.mirrorUuidGet is not modelled by this fake", unmodelled.getMessage());
    }
}
