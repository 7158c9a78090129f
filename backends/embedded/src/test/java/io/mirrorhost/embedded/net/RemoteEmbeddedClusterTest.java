package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract against the real embedded cluster through a ClusterServer and a RemoteCluster, plus
 * the same calls made directly and through the wire on one store, compared result for result.
 */
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
        result(cluster.omapSet(RBD, "o", Map.of("k", "v")));
        assertEquals(result(backing.listPools()), result(cluster.listPools()));
        assertEquals(result(backing.omapGet(RBD, "o")), result(cluster.omapGet(RBD, "o")));
        assertEquals(result(backing.listNamespaces("rbd")), result(cluster.listNamespaces("rbd")));
        assertEquals(backing.fsid(), cluster.fsid());
        ClusterException direct = Await.failure(backing.removePool("absent"));
        ClusterException remote = Await.failure(cluster.removePool("absent"));
        assertEquals(direct.errno(), remote.errno());
        assertEquals(direct.getMessage(), remote.getMessage());
    }

    @Test
    void imageResultsEqualDirectOnes() {
        ImageSpec spec = new ImageSpec(RBD, "same");
        result(cluster.createImage(spec, ImageOptions.of(1 << 22)));
        Image viaWire = result(cluster.openImage(spec));
        Image direct = result(backing.openImage(spec));
        result(viaWire.write(4096, Buffer.buffer("data")));
        long snap = result(viaWire.createSnap("s"));
        result(viaWire.write(1 << 21, Buffer.buffer("more")));
        assertEquals(result(direct.info()), result(viaWire.info()));
        assertEquals(result(direct.listSnaps()), result(viaWire.listSnaps()));
        assertEquals(result(direct.diff(snap, 0, 1 << 22, false)), result(viaWire.diff(snap, 0, 1 << 22, false)));
        assertEquals(result(direct.read(0, 1 << 22)), result(viaWire.read(0, 1 << 22)));
        result(direct.close());
        result(viaWire.close());
    }
}
