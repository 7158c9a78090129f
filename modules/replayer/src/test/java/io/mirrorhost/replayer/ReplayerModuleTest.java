package io.mirrorhost.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PeerConnection;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.RoleFakes;
import io.mirrorhost.api.testing.TestModuleContext;
import io.mirrorhost.api.testing.UncheckedFences;
import io.mirrorhost.api.testing.UnmodelledClusterConnection;
import io.mirrorhost.api.testing.UnmodelledMirrorImages;
import io.mirrorhost.api.testing.UnmodelledMirrorPeers;
import io.mirrorhost.api.testing.UnmodelledMirrorSettings;
import io.mirrorhost.api.testing.UnmodelledPools;
import io.mirrorhost.api.testing.UnmodelledRadosObjects;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplayerModuleTest {
    /** site-a's cluster: pool "rbd" mirrored in image mode with one rx-tx peer, site-b. */
    public static final class LocalSite implements UnmodelledPools, UnmodelledMirrorSettings, UnmodelledMirrorPeers,
            UnmodelledRadosObjects, UnmodelledMirrorImages {
        MirrorMode mode = MirrorMode.IMAGE;
        List<MirrorPeer> peers = List.of(new MirrorPeer("peer-uuid-b", MirrorPeerDirection.RX_TX, "site-b", "",
                "client.rbd-mirror-peer", null));

        @Override
        public Future<List<PoolInfo>> listPools() {
            return Future.succeededFuture(List.of(new PoolInfo(1, "rbd", true)));
        }

        @Override
        public Future<MirrorMode> mirrorModeGet(PoolNamespace where) {
            return Future.succeededFuture(mode);
        }

        @Override
        public Future<List<MirrorPeer>> mirrorPeerSiteList(String pool) {
            return Future.succeededFuture(peers);
        }

        @Override
        public Future<String> mirrorUuidGet(String pool) {
            return Future.succeededFuture("uuid-a");
        }

        @Override
        public Future<Map<String, String>> mirrorPeerSiteGetAttributes(String pool, String uuid) {
            return Future.succeededFuture(Map.of("mon_host", "127.0.0.1:6792", "key", "secret-b"));
        }

        @Override
        public Future<List<String>> listNamespaces(String pool) {
            return Future.succeededFuture(List.of());
        }

        @Override
        public Future<String> mirrorRemoteNamespaceGet(PoolNamespace where) {
            return Future.succeededFuture("");
        }

        @Override
        public Future<Watch> watch(PoolNamespace where, String object, Consumer<Buffer> onNotify) {
            return Future.succeededFuture(Future::succeededFuture);
        }

        @Override
        public Future<Map<String, MirrorImageInfo>> mirrorImageInfoList(PoolNamespace where) {
            return Future.succeededFuture(Map.of());
        }
    }

    /** site-b's cluster as the replayer sees it: records pings and closes. */
    public static final class RemoteSite implements UnmodelledClusterConnection, UnmodelledMirrorSettings,
            UnmodelledMirrorPeers, UnmodelledRadosObjects, UnmodelledMirrorImages {
        final List<String> pings = new ArrayList<>();
        final List<String> watched = new ArrayList<>();
        int closes;

        @Override
        public Future<String> mirrorUuidGet(String pool) {
            return Future.succeededFuture("uuid-b");
        }

        @Override
        public Future<Void> mirrorPeerPing(String pool, String siteName, String mirrorUuid) {
            pings.add(pool + ":" + siteName + ":" + mirrorUuid);
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> close() {
            closes++;
            return Future.succeededFuture();
        }

        @Override
        public Future<List<MirrorPeer>> mirrorPeerSiteList(String pool) {
            return Future.succeededFuture(List.of(new MirrorPeer("peer-uuid-a", MirrorPeerDirection.TX_ONLY, "site-a",
                    "uuid-a", "client.rbd-mirror-peer", null)));
        }

        @Override
        public Future<Watch> watch(PoolNamespace where, String object, Consumer<Buffer> onNotify) {
            watched.add(where + "/" + object);
            return Future.succeededFuture(Future::succeededFuture);
        }

        @Override
        public Future<Map<String, MirrorImageInfo>> mirrorImageInfoList(PoolNamespace where) {
            return Future.succeededFuture(Map.of());
        }
    }

    /** A cluster with one pool and nothing else: no mirroring calls at all. */
    public static final class OnePool implements UnmodelledPools {
        @Override
        public Future<List<PoolInfo>> listPools() {
            return Future.succeededFuture(List.of(new PoolInfo(1, "rbd", true)));
        }
    }

    private Vertx vertx;
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LocalSite local = new LocalSite();
    private final RemoteSite remote = new RemoteSite();
    private final List<PeerConnection> connections = new ArrayList<>();
    private boolean peerReachable = true;
    private final ReplayerModule module = new ReplayerModule();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        TestModuleContext ctx = new TestModuleContext(vertx, "site-a", UncheckedFences.cluster(local), clock, module)
                .withOption(ReplayerModule.REFRESH_INTERVAL, "5")
                .withPeers(peer -> {
                    connections.add(peer);
                    return peerReachable
                            ? Future.succeededFuture(RoleFakes.cluster(remote))
                            : Future.failedFuture(new ClusterException(Errno.ECONNREFUSED, "connection refused"));
                });
        await(module.start(ctx));
    }

    @AfterEach
    void stop() throws Exception {
        await(module.stop());
        await(vertx.close());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** One refresh period, waiting for the refresh it starts. */
    private void tick() throws Exception {
        clock.advance(Duration.ofSeconds(5));
        await(module.lastRefresh());
    }

    private JsonObject pool(String name) {
        return module.status().getJsonObject("pools").getJsonObject(name);
    }

    @Test
    void connectsToThePeerWithItsAttributesAndAnnouncesThisSite() throws Exception {
        assertEquals(List.of(new PeerConnection("site-b", "client.rbd-mirror-peer", "127.0.0.1:6792", "secret-b")),
                connections);
        assertEquals(List.of("rbd:site-a:uuid-a"), remote.pings);
        assertEquals(List.of("rbd/rbd_mirroring"), remote.watched, "the peer's mirroring directory is watched");
        JsonObject status = pool("rbd");
        assertEquals("running", status.getString("state"));
        assertEquals("uuid-b", status.getString("remote_mirror_uuid"));
        assertEquals(0, status.getJsonObject("callouts").size());

        tick();
        assertEquals(2, remote.pings.size(), "pinged again on each refresh");
        assertEquals(1, connections.size(), "the connection is kept");
    }

    @Test
    void anUnreachablePeerIsACalloutAndIsRetriedOnTheNextRefresh() throws Exception {
        peerReachable = false;
        local.mode = MirrorMode.DISABLED;
        tick();
        assertNull(pool("rbd"));
        local.mode = MirrorMode.POOL;
        tick();
        JsonObject status = pool("rbd");
        assertEquals("stopped", status.getString("state"));
        assertEquals(new JsonObject().put("level", "error").put("text", "unable to connect to remote cluster"),
                status.getJsonObject("callouts").getJsonObject("0"));

        peerReachable = true;
        tick();
        assertEquals("running", pool("rbd").getString("state"));
        assertEquals(0, pool("rbd").getJsonObject("callouts").size());
    }

    @Test
    void disablingMirroringOrDroppingThePeerStopsTheReplayer() throws Exception {
        local.peers = List.of(new MirrorPeer("peer-uuid-b", MirrorPeerDirection.TX_ONLY, "site-b", "",
                "client.rbd-mirror-peer", null));
        tick();
        assertNull(pool("rbd"));
        assertEquals(1, remote.closes, "the peer connection is closed");
    }

    @Test
    void declaresRbdMirrorsTunablesWithTheirDefaultsAndLimits() {
        Map<String, io.mirrorhost.api.OptionSpec<?>> options = new java.util.HashMap<>();
        module.options().forEach(o -> options.put(o.name(), o));
        assertEquals("5", options.get(ReplayerModule.CONCURRENT_IMAGE_SYNCS.name()).defaultValue());
        assertEquals("10", options.get(ReplayerModule.OBJECTS_IN_FLIGHT.name()).defaultValue());
        assertEquals("0", options.get(ReplayerModule.BANDWIDTH_LIMIT.name()).defaultValue());
        assertEquals(io.mirrorhost.api.ArgType.SIZE, options.get(ReplayerModule.BANDWIDTH_LIMIT.name()).type());
        assertEquals("5", options.get(ReplayerModule.MAX_MIRRORING_SNAPSHOTS.name()).defaultValue());
        assertEquals(3L, options.get(ReplayerModule.MAX_MIRRORING_SNAPSHOTS.name()).min());
        assertEquals("", options.get(ReplayerModule.DEFAULT_DATA_POOL.name()).defaultValue());
    }

    @Test
    void aBackendWithoutMirroringIsReportedNotThrown() throws Exception {
        ReplayerModule other = new ReplayerModule();
        Cluster bare = UncheckedFences.cluster(new OnePool());
        await(other.start(new TestModuleContext(vertx, "site-a", bare, clock, other)));
        assertTrue(other.status().getString("last_error").contains("mirrorModeGet"));
        await(other.stop());
    }
}
