package io.mirrorhost.embedded;

import static io.mirrorhost.embedded.MirrorPoolModesTest.RBD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Peers, their attributes and pings; site statuses and the pool summary. */
class MirrorPeersAndStatusesTest extends StoreTestBase {

    @Test
    void peersAreAddedOncePerSiteAndNeverAsSelf() throws Exception {
        ClusterExceptionText.assertMessage("cls_rbd: mirror_peer_add: mirroring must be enabled on the pool\n"
                + "librbd::api::Mirror: peer_site_add: failed to add mirror peer 'site-b': (22) Invalid argument",
            Await.failure(Errno.EINVAL, cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.x", MirrorPeerDirection.RX_TX)));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.result(cluster.mirrorSiteNameSet("site-a"));
        String uuid = Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.rbd-mirror-peer",
            MirrorPeerDirection.RX_TX));
        assertEquals(List.of(new MirrorPeer(uuid, MirrorPeerDirection.RX_TX, "site-b", "", "client.rbd-mirror-peer",
            null)), Await.result(cluster.mirrorPeerSiteList("rbd")));
        ClusterExceptionText.assertMessage("librbd::api::Mirror: peer_site_add: failed to add mirror peer 'site-b':"
            + " (17) File exists", Await.failure(Errno.EEXIST, cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.x",
            MirrorPeerDirection.RX_ONLY)));
        ClusterExceptionText.assertMessage("librbd::api::Mirror: peer_site_add: cannot add self as remote peer",
            Await.failure(Errno.EINVAL, cluster.mirrorPeerSiteAdd("rbd", "site-a", "client.x", MirrorPeerDirection.RX_TX)));
        Await.failure(Errno.EINVAL, cluster.mirrorPeerSiteAdd("rbd", "site-c", "client.x", MirrorPeerDirection.TX_ONLY));
        Await.failure(Errno.EINVAL, cluster.mirrorPeerSiteAdd("rbd", " ", "client.x", MirrorPeerDirection.RX_TX));
        Await.failure(Errno.ENOENT, cluster.mirrorPeerSiteAdd("nope", "site-c", "client.x", MirrorPeerDirection.RX_TX));
        assertEquals(1, Await.result(cluster.mirrorPeerSiteList("rbd")).size(), "refusals add nothing");
        reopen();
        assertEquals(uuid, Await.result(cluster.mirrorPeerSiteList("rbd")).get(0).uuid());
    }

    @Test
    void aPeersNameClientAndDirectionCanBeChanged() {
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.result(cluster.mirrorSiteNameSet("site-a"));
        String b = Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.rbd-mirror-peer",
            MirrorPeerDirection.RX_TX));
        String c = Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-c", "client.c", MirrorPeerDirection.RX_ONLY));
        Await.result(cluster.mirrorPeerSiteSetClientName("rbd", b, "client.other"));
        Await.result(cluster.mirrorPeerSiteSetDirection("rbd", b, MirrorPeerDirection.RX_ONLY));
        Await.result(cluster.mirrorPeerSiteSetName("rbd", b, "site-d"));
        assertEquals(new MirrorPeer(b, MirrorPeerDirection.RX_ONLY, "site-d", "", "client.other", null),
            Await.result(cluster.mirrorPeerSiteList("rbd")).get(0));
        Await.failure(Errno.EEXIST, cluster.mirrorPeerSiteSetName("rbd", b, "site-c"));
        Await.failure(Errno.EINVAL, cluster.mirrorPeerSiteSetName("rbd", b, "site-a"));
        Await.failure(Errno.ENOENT, cluster.mirrorPeerSiteSetDirection("rbd", "no-such-peer", MirrorPeerDirection.RX_TX));
        assertEquals("site-d", Await.result(cluster.mirrorPeerSiteList("rbd")).get(0).siteName(), "refusals change nothing");
        assertEquals("site-c", Await.result(cluster.mirrorPeerSiteList("rbd")).get(1).siteName());
        assertEquals(c, Await.result(cluster.mirrorPeerSiteList("rbd")).get(1).uuid());
    }

    @Test
    void attributesLiveInTheConfigKeyStoreAsCephKeepsThem() {
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        String uuid = Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.rbd-mirror-peer",
            MirrorPeerDirection.RX_TX));
        Await.failure(Errno.ENOENT, cluster.mirrorPeerSiteGetAttributes("rbd", uuid));
        Await.result(cluster.mirrorPeerSiteSetAttributes("rbd", uuid, Map.of("mon_host", "10.0.0.2:6789", "key", "AQk==")));
        assertEquals(Map.of("mon_host", "10.0.0.2:6789", "key", "AQk=="),
            Await.result(cluster.mirrorPeerSiteGetAttributes("rbd", uuid)));
        String key = "rbd/mirror/peer/1/" + uuid;
        JsonObject stored = new JsonObject(Await.result(cluster.configKeyGet(key)).orElseThrow());
        assertEquals(new JsonObject().put("key", "AQk==").put("mon_host", "10.0.0.2:6789"), stored);
        Await.failure(Errno.ENOENT, cluster.mirrorPeerSiteSetAttributes("rbd", "no-such-peer", Map.of("key", "k")));
        Await.result(cluster.configKeySet(key, "not json"));
        ClusterExceptionText.assertMessage("librbd::api::Mirror: peer_site_get_attributes: invalid peer attributes JSON"
            + " received", Await.failure(Errno.EINVAL, cluster.mirrorPeerSiteGetAttributes("rbd", uuid)));
        Await.result(cluster.mirrorPeerSiteRemove("rbd", uuid));
        assertTrue(Await.result(cluster.configKeyGet(key)).isEmpty(), "the peer's secrets go with it");
        Await.result(cluster.mirrorPeerSiteRemove("rbd", uuid)); // gone already: not an error
    }

    @Test
    void aPingTeachesThePrimaryItsReceivers() throws Exception {
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        LinkedBlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
        Watch watch = Await.result(cluster.watch(RBD, "rbd_mirroring", b -> events.add(b.toJsonObject())));
        Instant before = Instant.now().minusSeconds(1);
        Await.result(cluster.mirrorPeerPing("rbd", "site-b", "b-mirror-uuid"));
        MirrorPeer learned = Await.result(cluster.mirrorPeerSiteList("rbd")).get(0);
        assertEquals(MirrorPeerDirection.TX_ONLY, learned.direction());
        assertEquals("site-b", learned.siteName());
        assertEquals("b-mirror-uuid", learned.mirrorUuid());
        assertTrue(learned.lastSeen().isAfter(before));
        assertEquals("peers_updated", events.poll(10, TimeUnit.SECONDS).getString("type"));
        // a known site learns its (new) mirror uuid; the peer keeps its uuid and direction
        String added = Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-c", "client.rbd-mirror-peer",
            MirrorPeerDirection.RX_TX));
        Await.result(cluster.mirrorPeerPing("rbd", "site-c", "c-mirror-uuid"));
        MirrorPeer c = Await.result(cluster.mirrorPeerSiteList("rbd")).get(1);
        assertEquals(new MirrorPeer(added, MirrorPeerDirection.RX_TX, "site-c", "c-mirror-uuid",
            "client.rbd-mirror-peer", c.lastSeen()), c);
        assertNotNull(c.lastSeen());
        Await.failure(Errno.EEXIST, cluster.mirrorPeerPing("rbd", "site-d", "c-mirror-uuid"));
        Await.failure(Errno.EINVAL, cluster.mirrorPeerPing("rbd", "site-d", ""));
        assertEquals(2, Await.result(cluster.mirrorPeerSiteList("rbd")).size());
        Await.result(watch.close());
    }

    @Test
    void statusesAreKeptPerSiteAndSummarised() {
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        String peer = Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.rbd-mirror-peer",
            MirrorPeerDirection.RX_TX));
        Image a = create("a", MIB, 22, ImageFeature.defaults());
        Image b = create("b", MIB, 22, ImageFeature.defaults());
        create("plain", MIB, 22, ImageFeature.defaults()).close();
        Await.result(a.mirrorEnable(MirrorImageMode.SNAPSHOT));
        Await.result(b.mirrorEnable(MirrorImageMode.SNAPSHOT));
        String globalA = Await.result(a.mirrorInfo()).globalId();
        assertEquals(Map.of(MirrorImageStatusState.UNKNOWN, 2), Await.result(cluster.mirrorImageStatusSummary(RBD)),
            "mirrored images without a status count as unknown");

        Instant reported = Instant.parse("2026-01-01T00:00:00Z");
        Await.result(cluster.mirrorImageStatusSet(RBD, globalA, new MirrorImageSiteStatus("",
            MirrorImageStatusState.STOPPED, "local image is primary", reported, true)));
        MirrorImageGlobalStatus status = Await.result(a.mirrorGlobalStatus());
        assertEquals("a", status.name());
        assertEquals(1, status.siteStatuses().size());
        MirrorImageSiteStatus local = status.siteStatuses().get(0);
        assertEquals("local image is primary", local.description());
        assertTrue(local.up());
        assertTrue(local.lastUpdate().isAfter(reported), "the store stamps the update, as cls_rbd does");
        assertEquals(Map.of(MirrorImageStatusState.STOPPED, 1, MirrorImageStatusState.UNKNOWN, 1),
            Await.result(cluster.mirrorImageStatusSummary(RBD)));

        // the receiving peer's daemon reports replaying: once its mirror uuid is known it wins over stopped
        Await.result(cluster.mirrorImageStatusSet(RBD, globalA, new MirrorImageSiteStatus("b-uuid",
            MirrorImageStatusState.REPLAYING, "replaying", reported, true)));
        assertEquals(1, (int) Await.result(cluster.mirrorImageStatusSummary(RBD)).get(MirrorImageStatusState.STOPPED));
        Await.result(cluster.mirrorPeerPing("rbd", "site-b", "b-uuid"));
        assertEquals(Map.of(MirrorImageStatusState.REPLAYING, 1, MirrorImageStatusState.UNKNOWN, 1),
            Await.result(cluster.mirrorImageStatusSummary(RBD)));
        List<MirrorImageGlobalStatus> all = Await.result(cluster.mirrorImageGlobalStatusList(RBD));
        assertEquals(List.of("a", "b"), all.stream().map(MirrorImageGlobalStatus::name).sorted().toList());

        // a daemon reporting itself down, and a status removed
        Await.result(cluster.mirrorImageStatusSet(RBD, globalA, new MirrorImageSiteStatus("b-uuid",
            MirrorImageStatusState.REPLAYING, "replaying", reported, false)));
        assertEquals(Map.of(MirrorImageStatusState.STOPPED, 1, MirrorImageStatusState.UNKNOWN, 1),
            Await.result(cluster.mirrorImageStatusSummary(RBD)));
        Await.result(cluster.mirrorImageStatusRemove(RBD, globalA, ""));
        Await.result(cluster.mirrorImageStatusRemove(RBD, globalA, "b-uuid"));
        assertEquals(List.of(), Await.result(a.mirrorGlobalStatus()).siteStatuses());
        // as cls_rbd keys statuses by global id alone: a daemon reports a copy it has yet to create
        Map<MirrorImageStatusState, Integer> before = Await.result(cluster.mirrorImageStatusSummary(RBD));
        Await.result(cluster.mirrorImageStatusSet(RBD, "copy-to-come", new MirrorImageSiteStatus("",
            MirrorImageStatusState.STARTING_REPLAY, "starting replay", reported, true)));
        assertEquals(before, Await.result(cluster.mirrorImageStatusSummary(RBD)), "listed only with its image");
        Await.result(cluster.mirrorCreateNonPrimaryImage(ImageSpec.of("rbd", "", "copy"),
            new ImageOptions(1 << 22, 22, ImageFeature.defaults(),
                null), "copy-to-come", "primary-uuid"));
        Image copy = Await.result(cluster.openImage(ImageSpec.of("rbd", "", "copy")));
        assertEquals(List.of(MirrorImageStatusState.STARTING_REPLAY),
            Await.result(copy.mirrorGlobalStatus()).siteStatuses().stream().map(MirrorImageSiteStatus::state).toList());
        Await.result(copy.close());
        Await.failure(Errno.ENOENT, cluster.mirrorImageStatusSet(new PoolNamespace("rbd", "missing"), "g",
            new MirrorImageSiteStatus("", MirrorImageStatusState.STOPPED, "", reported, true)));
        Await.failure(Errno.ENOENT, cluster.mirrorImageStatusSummary(new PoolNamespace("rbd", "missing")));
        assertFalse(peer.isEmpty());
        Await.result(a.close());
        Await.result(b.close());
    }

    @Test
    void aStatusNotRefreshedForTwoIntervalsReadsAsDown() {
        Instant update = Instant.parse("2026-01-01T00:00:00Z");
        assertTrue(MirrorStatuses.isUp(true, update, update.plusSeconds(60)));
        assertFalse(MirrorStatuses.isUp(true, update, update.plusSeconds(61)));
        assertFalse(MirrorStatuses.isUp(false, update, update));
        MirrorImageSiteStatus up = new MirrorImageSiteStatus("", MirrorImageStatusState.REPLAYING, "", update, true);
        MirrorImageSiteStatus down = new MirrorImageSiteStatus("p", MirrorImageStatusState.SYNCING, "", update, false);
        assertEquals(MirrorImageStatusState.REPLAYING, EmbeddedMirroring.summaryState(List.of(up, down), List.of("", "p")));
        assertEquals(MirrorImageStatusState.UNKNOWN, EmbeddedMirroring.summaryState(List.of(down), List.of("", "p")));
    }
}
