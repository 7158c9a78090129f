package io.mirrorhost.embedded;

import static io.mirrorhost.embedded.MirrorPoolModesTest.RBD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.embedded.net.AuthRegistry;
import io.mirrorhost.embedded.net.Capability;
import io.mirrorhost.embedded.net.ClusterServer;
import io.mirrorhost.embedded.net.RemoteCluster;
import io.mirrorhost.embedded.net.RemoteClusterOptions;
import io.mirrorhost.embedded.net.TlsSettings;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The replay calls through a served cluster, as a host connected to {@code mirrorhost cluster}
 * makes them: the copy is created, filled through a replay handle and completed remotely.
 */
class ReplayOverTheNetworkTest extends StoreTestBase {
    @Test
    void aReplayHandleWorksThroughTheNetwork() {
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.result(new AuthRegistry(cluster).ensure(AuthRegistry.ADMIN_CLIENT, "admin-key", Set.of(Capability.ADMIN)));
        ClusterServer server = Await.result(ClusterServer.start(vertx, cluster, cluster::asClient, "127.0.0.1", 0,
            TlsSettings.DISABLED));
        Cluster remote = Await.result(RemoteCluster.connect(vertx,
            RemoteClusterOptions.of(server.address(), AuthRegistry.ADMIN_CLIENT, "admin-key")));
        try {
            Await.result(remote.mirrorCreateNonPrimaryImage(spec("copy"),
                new ImageOptions(4L * 65536, 16, ImageFeature.defaults(), null), "net-global-id", "primary-uuid"));
            Image ordinary = Await.result(remote.openImage(spec("copy")));
            String id = Await.result(ordinary.info()).id();
            Image replay = Await.result(remote.openImageForReplay(RBD, id));
            assertFalse(Await.result(replay.mirrorResyncRequested()));
            long snap = Await.result(replay.mirrorCreateNonPrimarySnapshot("primary-uuid", 3, Map.of(), false));
            Await.result(replay.write(0, random(1, 70000)));
            Await.failure(Errno.EROFS, ordinary.write(0, random(2, 10)));
            Await.result(replay.mirrorSnapshotSetCopyProgress(snap, true, 4));
            Image atSnap = Await.result(remote.openImageAtSnap(RBD, id, snap));
            assertArrayEquals(random(1, 70000).getBytes(), Await.result(atSnap.read(0, 70000)).getBytes());
            Await.result(ordinary.mirrorResync());
            assertTrue(Await.result(replay.mirrorResyncRequested()));
            for (Image i : new Image[] {atSnap, replay, ordinary}) {
                Await.result(i.close());
            }
        } finally {
            Await.result(remote.close());
            Await.result(server.close());
        }
    }
}
