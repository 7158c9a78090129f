package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.embedded.net.AuthRegistry;
import io.mirrorhost.embedded.net.Capability;
import io.mirrorhost.embedded.net.ClientAuth;
import io.mirrorhost.embedded.net.ClusterServer;
import io.mirrorhost.embedded.net.TlsSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide's sequence between two served embedded clusters: pool mirroring on both, a bootstrap
 * token from site-a imported on site-b (rx-only, then rx-tx), peers on both sides, image mirroring.
 */
class MirrorBootstrapTest {
    private static final String POOL = "image-pool";
    private static final PoolNamespace IMAGE_POOL = PoolNamespace.of(POOL);

    @TempDir
    Path dir;

    Vertx vertx;
    EmbeddedCluster siteA;
    EmbeddedCluster siteB;
    ClusterServer serverA;
    ClusterServer serverB;

    @BeforeEach
    void startSites() throws Exception {
        vertx = Vertx.vertx();
        siteA = EmbeddedCluster.open(vertx, dir.resolve("a"));
        siteB = EmbeddedCluster.open(vertx, dir.resolve("b"));
        serverA = serve(siteA);
        serverB = serve(siteB);
        for (EmbeddedCluster site : List.of(siteA, siteB)) {
            Await.result(site.createPool(POOL));
            Await.result(site.initPool(POOL));
        }
        Await.result(siteA.mirrorSiteNameSet("site-a"));
        Await.result(siteB.mirrorSiteNameSet("site-b"));
    }

    private ClusterServer serve(EmbeddedCluster cluster) {
        Await.result(new AuthRegistry(cluster).ensure(AuthRegistry.ADMIN_CLIENT, "admin-key-" + cluster.fsid(),
            Set.of(Capability.ADMIN)));
        ClusterServer server = Await.result(ClusterServer.start(vertx, cluster, cluster::asClient, "127.0.0.1", 0,
            TlsSettings.DISABLED));
        Await.result(server.advertise(cluster, null));
        return server;
    }

    @AfterEach
    void stopSites() {
        Await.result(serverA.close());
        Await.result(serverB.close());
        Await.result(siteA.close());
        Await.result(siteB.close());
        Await.result(vertx.close());
    }

    private static JsonObject decoded(String token) {
        return new JsonObject(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
    }

    private static String encoded(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tokenCarriesThePeerClientAndWhereToReachTheSite() {
        ClusterException disabled = Await.failure(Errno.EINVAL, siteA.mirrorPeerBootstrapCreate(POOL));
        assertTrue(disabled.getMessage().contains("mirroring is not enabled"), disabled.getMessage());
        Await.failure(Errno.ENOENT, siteA.mirrorPeerBootstrapCreate("no-such-pool"));
        Await.result(siteA.mirrorModeSet(IMAGE_POOL, MirrorMode.IMAGE));
        String token = Await.result(siteA.mirrorPeerBootstrapCreate(POOL));
        JsonObject json = decoded(token);
        assertEquals(List.of("fsid", "client_id", "key", "mon_host"), List.copyOf(json.fieldNames()));
        assertEquals(siteA.fsid(), json.getString("fsid"));
        assertEquals("rbd-mirror-peer", json.getString("client_id"));
        assertEquals(serverA.address(), json.getString("mon_host"));
        ClientAuth peer = Await.result(new AuthRegistry(siteA).get("client.rbd-mirror-peer")).orElseThrow();
        assertEquals(peer.key(), json.getString("key"));
        assertEquals(Set.of(Capability.RBD_MIRROR_PEER), peer.caps());
        assertEquals(token, Await.result(siteA.mirrorPeerBootstrapCreate(POOL)), "the same client and key again");
        assertEquals("rbd-mirror-peer", Await.result(siteA.configKeyGet("rbd/mirror/peer_client_id")).orElseThrow());
    }

    @Test
    void aClusterNotOnTheNetworkCannotHandOutTokens() {
        Await.result(siteA.configKeyRemove(ClusterServer.ADVERTISED_MON_HOST_KEY));
        Await.result(siteA.mirrorModeSet(IMAGE_POOL, MirrorMode.IMAGE));
        ClusterException refused = Await.failure(Errno.EINVAL, siteA.mirrorPeerBootstrapCreate(POOL));
        assertTrue(refused.getMessage().contains("not served on the network"), refused.getMessage());
    }

    @Test
    void badTokensAreRefusedAndChangeNothing() {
        Await.result(siteA.mirrorModeSet(IMAGE_POOL, MirrorMode.IMAGE));
        String token = Await.result(siteA.mirrorPeerBootstrapCreate(POOL));
        String json = decoded(token).encode();
        String base64 = "librbd::api::Mirror: peer_bootstrap_import: failed to decode base64";
        String invalid = "librbd::api::Mirror: peer_bootstrap_import: invalid bootstrap token JSON received";
        Map<String, String> refusals = Map.of(
            "not-a-token!", base64,
            token.substring(0, token.length() - 3), base64,
            encoded("not json"), invalid,
            encoded("{}"), invalid,
            encoded(json.substring(0, json.length() / 2)), invalid,
            encoded("{\"fsid\":\"x\",\"client_id\":\"rbd-mirror-peer\",\"key\":\"k\"}"), invalid,
            encoded("{\"fsid\":1,\"client_id\":\"rbd-mirror-peer\",\"key\":\"k\",\"mon_host\":\"h:1\"}"), invalid,
            encoded("[1,2]"), invalid);
        for (Map.Entry<String, String> bad : refusals.entrySet()) {
            ClusterExceptionText.assertMessage(bad.getValue(), Await.failure(Errno.EINVAL,
                siteB.mirrorPeerBootstrapImport(POOL, MirrorPeerDirection.RX_TX, bad.getKey())));
        }
        ClusterExceptionText.assertMessage("librbd::api::Mirror: peer_bootstrap_import: invalid mirror peer direction",
            Await.failure(Errno.EINVAL, siteB.mirrorPeerBootstrapImport(POOL, MirrorPeerDirection.TX_ONLY, token)));
        ClusterExceptionText.assertMessage("librbd::api::Mirror: peer_bootstrap_import: cannot import token for local"
            + " cluster", Await.failure(Errno.EINVAL, siteA.mirrorPeerBootstrapImport(POOL, MirrorPeerDirection.RX_TX,
            token)));
        // the key is checked by the peer: a wrong one cannot connect
        String wrongKey = encoded(decoded(token).put("key", "not-the-key").encode());
        ClusterException denied = Await.failure(Errno.EACCES,
            siteB.mirrorPeerBootstrapImport(POOL, MirrorPeerDirection.RX_ONLY, wrongKey));
        assertTrue(denied.getMessage().startsWith("librbd::api::Mirror: peer_bootstrap_import: failed to connect to"
            + " peer cluster: (13) Permission denied"), denied.getMessage());
        // a token naming another cluster than the one answering
        String otherFsid = encoded(decoded(token).put("fsid", "00000000-0000-0000-0000-000000000000").encode());
        ClusterExceptionText.assertMessage("librbd::api::Mirror: peer_bootstrap_import: unexpected remote cluster fsid",
            Await.failure(Errno.EINVAL, siteB.mirrorPeerBootstrapImport(POOL, MirrorPeerDirection.RX_ONLY, otherFsid)));
        Await.failure(Errno.ENOENT, siteB.mirrorPeerBootstrapImport("no-such-pool", MirrorPeerDirection.RX_ONLY, token));
        for (EmbeddedCluster site : List.of(siteA, siteB)) {
            assertEquals(List.of(), Await.result(site.mirrorPeerSiteList(POOL)));
        }
        assertEquals(MirrorMode.DISABLED, Await.result(siteB.mirrorModeGet(IMAGE_POOL)));
    }

    @Test
    void theRemotePoolMustBeMirroredAndSiteNamesMustDiffer() {
        Await.result(siteA.mirrorModeSet(IMAGE_POOL, MirrorMode.IMAGE));
        String token = Await.result(siteA.mirrorPeerBootstrapCreate(POOL));
        Await.result(siteB.mirrorSiteNameSet("site-a"));
        ClusterExceptionText.assertMessage("librbd::api::Mirror: peer_bootstrap_import: cannot import token for duplicate"
            + " site name", Await.failure(Errno.EINVAL, siteB.mirrorPeerBootstrapImport(POOL, MirrorPeerDirection.RX_ONLY,
            token)));
        Await.result(siteB.mirrorSiteNameSet("site-b"));
        Await.result(siteA.mirrorModeSet(IMAGE_POOL, MirrorMode.DISABLED));
        Await.failure(Errno.ENOSYS, siteB.mirrorPeerBootstrapImport(POOL, MirrorPeerDirection.RX_ONLY, token));
        Await.result(siteA.mirrorModeSet(IMAGE_POOL, MirrorMode.POOL));
        // site-b's pool is disabled: it takes the peer's mode
        Await.result(siteB.mirrorPeerBootstrapImport(POOL, MirrorPeerDirection.RX_ONLY, token));
        assertEquals(MirrorMode.POOL, Await.result(siteB.mirrorModeGet(IMAGE_POOL)));
    }

    @Test
    void theGuideEndToEnd() {
        // pool configuration on both sites
        Await.result(siteA.mirrorModeSet(IMAGE_POOL, MirrorMode.IMAGE));
        Await.result(siteB.mirrorModeSet(IMAGE_POOL, MirrorMode.IMAGE));
        String token = Await.result(siteA.mirrorPeerBootstrapCreate(POOL));

        // rx-only: only site-b learns of site-a (site-a learns of site-b from its daemon's ping)
        Await.result(siteB.mirrorPeerBootstrapImport(POOL, MirrorPeerDirection.RX_ONLY, token));
        List<MirrorPeer> onB = Await.result(siteB.mirrorPeerSiteList(POOL));
        assertEquals(1, onB.size());
        assertEquals(new MirrorPeer(onB.get(0).uuid(), MirrorPeerDirection.RX_ONLY, "site-a", "",
            "client.rbd-mirror-peer", null), onB.get(0));
        JsonObject t = decoded(token);
        assertEquals(Map.of("mon_host", t.getString("mon_host"), "key", t.getString("key")),
            Await.result(siteB.mirrorPeerSiteGetAttributes(POOL, onB.get(0).uuid())));
        assertEquals(List.of(), Await.result(siteA.mirrorPeerSiteList(POOL)));
        // importing again reuses the peer, as librbd does
        Await.result(siteB.mirrorPeerBootstrapImport(POOL, MirrorPeerDirection.RX_ONLY, token));
        assertEquals(onB, Await.result(siteB.mirrorPeerSiteList(POOL)));
        Await.result(siteB.mirrorPeerSiteRemove(POOL, onB.get(0).uuid()));

        // rx-tx (the default): each site gets the other as a peer, with credentials to reach it
        Await.result(siteB.mirrorPeerBootstrapImport(POOL, MirrorPeerDirection.RX_TX, token));
        MirrorPeer aOnB = Await.result(siteB.mirrorPeerSiteList(POOL)).get(0);
        MirrorPeer bOnA = Await.result(siteA.mirrorPeerSiteList(POOL)).get(0);
        assertEquals(MirrorPeerDirection.RX_TX, aOnB.direction());
        assertEquals("site-a", aOnB.siteName());
        assertEquals(MirrorPeerDirection.RX_TX, bOnA.direction());
        assertEquals("site-b", bOnA.siteName());
        assertEquals("client.rbd-mirror-peer", bOnA.clientName());
        Map<String, String> bAttributes = Await.result(siteA.mirrorPeerSiteGetAttributes(POOL, bOnA.uuid()));
        assertEquals(serverB.address(), bAttributes.get("mon_host"));
        ClientAuth bPeerClient = Await.result(new AuthRegistry(siteB).get("client.rbd-mirror-peer")).orElseThrow();
        assertEquals(bPeerClient.key(), bAttributes.get("key"));

        // image configuration on site-a
        Await.result(siteA.createImage(new ImageSpec(IMAGE_POOL, "image-1"), ImageOptions.of(4L << 20)));
        Await.result(siteA.createImage(new ImageSpec(IMAGE_POOL, "image-2"), ImageOptions.of(4L << 20)));
        Image image1 = Await.result(siteA.openImage(new ImageSpec(IMAGE_POOL, "image-1")));
        Image image2 = Await.result(siteA.openImage(new ImageSpec(IMAGE_POOL, "image-2")));
        Await.result(image1.mirrorEnable(MirrorImageMode.SNAPSHOT));
        Await.result(image2.mirrorEnable(MirrorImageMode.JOURNAL));
        assertTrue(Await.result(image2.info()).features().contains(ImageFeature.JOURNALING));
        var first = Await.result(image1.listSnaps()).get(0);
        assertEquals(SnapNamespace.MIRROR, first.namespace());
        assertEquals(Set.of(bOnA.uuid()), first.mirror().mirrorPeerUuids(), "linked to the tx peer");
        long snap = Await.result(image1.mirrorCreateSnapshot());
        assertEquals(MirrorSnapshotState.PRIMARY, Await.result(image1.listSnaps()).stream()
            .filter(s -> s.id() == snap).findFirst().orElseThrow().mirror().state());

        // failover steps on site-a: demote, promote
        Await.result(image1.mirrorDemote());
        Await.result(image2.mirrorDemote());
        assertFalse(Await.result(image1.mirrorInfo()).primary());
        Await.result(image1.mirrorPromote(false));
        Await.result(image2.mirrorPromote(false));
        Await.failure(Errno.EINVAL, image1.mirrorResync());
        assertEquals(2, Await.result(siteA.mirrorImageInfoList(IMAGE_POOL)).size());

        // the pool cannot be disabled while peers are registered or images mirrored
        Await.failure(Errno.EBUSY, siteA.mirrorModeSet(IMAGE_POOL, MirrorMode.DISABLED));
        Await.result(siteA.mirrorPeerSiteRemove(POOL, bOnA.uuid()));
        Await.failure(Errno.EINVAL, siteA.mirrorModeSet(IMAGE_POOL, MirrorMode.DISABLED));
        Await.result(image1.mirrorDisable(false));
        Await.result(image2.mirrorDisable(false));
        Await.result(siteA.mirrorModeSet(IMAGE_POOL, MirrorMode.DISABLED));
        Await.result(image1.close());
        Await.result(image2.close());
    }
}
