package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.JournalBatch;
import io.mirrorhost.api.cluster.JournalEvent;
import io.mirrorhost.api.cluster.JournalPeerClient;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
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

    @Test
    void journalReplayCallsEqualDirectOnes() {
        ImageSpec spec = new ImageSpec(RBD, "journaled");
        result(cluster.createImage(spec, new ImageOptions(1 << 22, 22,
            EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK, ImageFeature.JOURNALING), null)));
        Image viaWire = result(cluster.openImage(spec));
        String id = result(viaWire.info()).id();
        result(viaWire.write(0, Buffer.buffer("data")));
        result(viaWire.discard(4096, 4096));
        result(viaWire.flush());
        result(cluster.journalClientRegister(RBD, id, "peer", "copy", JournalPeerClient.SyncState.SYNCING));
        JournalBatch batch = result(cluster.journalRead(RBD, id, null, 10, 1 << 20));
        assertEquals(result(backing.journalRead(RBD, id, null, 10, 1 << 20)), batch);
        assertEquals(List.of(JournalEvent.Write.class, JournalEvent.Discard.class, JournalEvent.Flush.class),
            batch.entries().stream().map(e -> e.event().getClass()).toList(), "each event arrives as its own kind");
        result(cluster.journalClientCommit(RBD, id, "peer", batch.entries().get(2).position()));
        assertEquals(result(backing.journalPeerClients(RBD, id)), result(cluster.journalPeerClients(RBD, id)));
        assertEquals(List.of(batch.entries().get(2).position()),
            result(cluster.journalPeerClients(RBD, id)).get(0).commitPosition());
        assertEquals(result(backing.journalTags(RBD, id)), result(cluster.journalTags(RBD, id)));
        result(viaWire.createSnap("s"));
        assertEquals(List.of(new JournalEvent.SnapCreate(1, "s"), new JournalEvent.OpFinish(1, 0)),
            result(cluster.journalRead(RBD, id, batch.entries().get(2).position(), 10, 1 << 20)).entries().stream()
                .map(JournalBatch.Entry::event).toList());
        result(viaWire.close());
    }
}
