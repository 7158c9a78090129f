package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's limits on clients that do not authenticate or go silent. */
class ServerLimitsTest {
    private static final PoolNamespace RBD = PoolNamespace.of("rbd");

    private Vertx vertx;
    private InMemoryCluster store;
    private Cluster backing;
    private String key;
    private ClusterServer server;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        store = new InMemoryCluster();
        backing = store.asCluster();
        key = result(new AuthRegistry(backing).getOrCreate(AuthRegistry.ADMIN_CLIENT, Set.of(Capability.ADMIN))).key();
        result(backing.createPool("rbd"));
        server = result(ClusterServer.start(vertx, backing, client -> backing, "127.0.0.1", 0, TlsSettings.DISABLED,
                1000, 1500));
    }

    @AfterEach
    void tearDown() {
        result(server.close());
        result(vertx.close());
    }

    @Test
    void aClientThatNeverAuthenticatesIsDisconnected() throws Exception {
        NetSocket socket = result(vertx.createNetClient().connect(server.port(), "127.0.0.1"));
        CompletableFuture<Void> closed = new CompletableFuture<>();
        socket.closeHandler(v -> closed.complete(null));
        closed.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void aSilentClientLosesItsWatchesAndTheClientRestoresThem() {
        // The client pings every 5 s, more rarely than this server's 1.5 s limit allows.
        Cluster remote = result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(),
                AuthRegistry.ADMIN_CLIENT, key)));
        result(remote.watch(RBD, "obj", payload -> { }));
        assertEquals(1, store.watcherCount(RBD, "obj"));

        Await.until("the server to drop the silent client's watch", () -> store.watcherCount(RBD, "obj") == 0);
        Await.until("the client to reconnect and watch again", () -> store.watcherCount(RBD, "obj") == 1);
        result(remote.close());
    }
}
