package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.result;

import io.mirrorhost.api.cluster.Cluster;
import java.util.Set;
import io.vertx.core.Vertx;

/** The contract through a ClusterServer on loopback and a RemoteCluster, backed by the test double. */
class RemoteInMemoryClusterTest extends ClusterContractTest {
    private ClusterServer server;

    @Override
    Cluster open(Vertx vertx) {
        Cluster backing = InMemoryCluster.create();
        String key = Handshake.newKey();
        result(new AuthRegistry(backing).ensure(AuthRegistry.ADMIN_CLIENT, key, Set.of(Capability.ADMIN)));
        server = result(ClusterServer.start(vertx, backing, "127.0.0.1", 0, TlsSettings.DISABLED));
        return result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(), AuthRegistry.ADMIN_CLIENT, key)));
    }

    @Override
    void release() {
        result(server.close());
    }
}
