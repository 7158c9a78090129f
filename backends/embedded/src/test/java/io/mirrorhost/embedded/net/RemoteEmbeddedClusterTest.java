package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.result;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the real embedded cluster through a ClusterServer and a RemoteCluster. */
class RemoteEmbeddedClusterTest extends ClusterContractTest {
    @TempDir
    Path dir;
    private EmbeddedCluster backing;
    private ClusterServer server;

    @Override
    Cluster open(Vertx vertx) throws Exception {
        backing = EmbeddedCluster.open(vertx, dir.resolve("cluster"));
        String key = Handshake.newKey();
        result(new AuthRegistry(backing).ensure(AuthRegistry.ADMIN_CLIENT, key, Set.of(Capability.ADMIN)));
        server = result(ClusterServer.start(vertx, backing, backing::asClient, "127.0.0.1", 0, TlsSettings.DISABLED));
        return result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(), AuthRegistry.ADMIN_CLIENT, key)));
    }

    @Override
    void release() {
        result(server.close());
        result(backing.close());
    }

    @Test
    void remoteResultsEqualDirectOnes() {
        result(cluster.createPool("second"));
        result(cluster.omapSet(RBD, "o", java.util.Map.of("k", "v")));
        org.junit.jupiter.api.Assertions.assertEquals(result(backing.listPools()), result(cluster.listPools()));
        org.junit.jupiter.api.Assertions.assertEquals(result(backing.omapGet(RBD, "o")), result(cluster.omapGet(RBD, "o")));
        org.junit.jupiter.api.Assertions.assertEquals(result(backing.listNamespaces("rbd")), result(cluster.listNamespaces("rbd")));
        org.junit.jupiter.api.Assertions.assertEquals(backing.fsid(), cluster.fsid());
        io.mirrorhost.api.cluster.ClusterException direct = Await.failure(backing.removePool("absent"));
        io.mirrorhost.api.cluster.ClusterException remote = Await.failure(cluster.removePool("absent"));
        org.junit.jupiter.api.Assertions.assertEquals(direct.errno(), remote.errno());
        org.junit.jupiter.api.Assertions.assertEquals(direct.getMessage(), remote.getMessage());
    }

    @Test
    void imageResultsEqualDirectOnes() {
        io.mirrorhost.api.cluster.ImageSpec spec = new io.mirrorhost.api.cluster.ImageSpec(RBD, "same");
        result(cluster.createImage(spec, io.mirrorhost.api.cluster.ImageOptions.of(1 << 22)));
        io.mirrorhost.api.cluster.Image viaWire = result(cluster.openImage(spec));
        io.mirrorhost.api.cluster.Image direct = result(backing.openImage(spec));
        result(viaWire.write(4096, io.vertx.core.buffer.Buffer.buffer("data")));
        long snap = result(viaWire.createSnap("s"));
        result(viaWire.write(1 << 21, io.vertx.core.buffer.Buffer.buffer("more")));
        org.junit.jupiter.api.Assertions.assertEquals(result(direct.info()), result(viaWire.info()));
        org.junit.jupiter.api.Assertions.assertEquals(result(direct.listSnaps()), result(viaWire.listSnaps()));
        org.junit.jupiter.api.Assertions.assertEquals(result(direct.diff(snap, 0, 1 << 22, false)),
                result(viaWire.diff(snap, 0, 1 << 22, false)));
        org.junit.jupiter.api.Assertions.assertEquals(result(direct.read(0, 1 << 22)), result(viaWire.read(0, 1 << 22)));
        result(direct.close());
        result(viaWire.close());
    }
}
