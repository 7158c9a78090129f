package io.mirrorhost.rbd.mirror;

import static io.mirrorhost.rbd.mirror.MirrorHarness.assertOk;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code rbd mirror pool enable|disable|info}. */
class MirrorPoolConfigCommandsTest {
    private final MirrorHarness rbd = MirrorHarness.siteA();
    private final FakeMirrorCluster cluster = rbd.cluster;

    @AfterEach
    void close() throws Exception {
        rbd.close();
    }

    private MirrorMode mode(String namespace) {
        return cluster.pools.get("image-pool").namespace(namespace).mode;
    }

    @Test
    void enableSetsTheModeAndSaysSoWhenNothingChanges() {
        assertOk(rbd.run("mirror pool enable", "image-pool", "image"), "");
        assertEquals(MirrorMode.IMAGE, mode(""));
        assertFalse(cluster.pools.get("image-pool").namespace("").mirrorUuid.isEmpty());

        assertOk(rbd.run("mirror pool enable", "image-pool", "image"),
                "rbd: mirroring is already configured for image mode\n");
        assertOk(rbd.run("mirror pool enable", "image-pool", "pool"),
                "note: changing mirroring mode from image to pool\n");
        assertEquals(MirrorMode.POOL, mode(""));
        assertOk(rbd.run("mirror pool enable", "image-pool", "image"),
                "note: changing mirroring mode from pool to image\n");
    }

    @Test
    void enableWithANewSiteNameStaysQuietAboutTheUnchangedMode() {
        assertOk(rbd.run("mirror pool enable", "--site-name", "site-a", "image-pool", "image"), "");
        assertEquals("site-a", cluster.siteName);
        assertOk(rbd.run("mirror pool enable", "--site-name", "site-a2", "image-pool", "image"), "");
        assertEquals("site-a2", cluster.siteName);
        assertOk(rbd.run("mirror pool enable", "--site-name", "site-a2", "image-pool", "image"),
                "rbd: mirroring is already configured for image mode\n");
    }

    @Test
    void enableTakesThePoolFromOptionsToo() {
        assertOk(rbd.run("mirror pool enable", "-p", "image-pool", "pool"), "");
        assertEquals(MirrorMode.POOL, mode(""));
    }

    @Test
    void poolModeEnablesJournalMirroringOnJournaledImages() {
        FakeMirrorImage journaled = cluster.addImage("image-pool", "", "journaled",
                EnumSet.of(ImageFeature.EXCLUSIVE_LOCK, ImageFeature.JOURNALING));
        FakeMirrorImage plain = cluster.addImage("image-pool", "", "plain", FakeMirrorCluster.defaults());
        assertOk(rbd.run("mirror pool enable", "image-pool", "pool"), "");
        assertEquals(MirrorImageState.ENABLED, journaled.mirrorState);
        assertEquals(null, plain.mirrorState);
    }

    @Test
    void badModeWordIsRefusedBeforeAnythingChanges() {
        assertResult(rbd.run("mirror pool enable", "image-pool", "journal"), -22, "",
                "rbd: must specify 'image' or 'pool' mode.\n");
        assertResult(rbd.run("mirror pool enable", "image-pool"), -22, "",
                "rbd: must specify 'image' or 'pool' mode.\n");
        assertResult(rbd.run("mirror pool enable", "--site-name", "x", "image-pool", "both"), -22, "",
                "rbd: must specify 'image' or 'pool' mode.\n");
        assertEquals(MirrorMode.DISABLED, mode(""));
        assertEquals("", cluster.siteName);
    }

    @Test
    void missingPoolOrNamespaceGetsRbdsOpeningErrors() {
        assertResult(rbd.run("mirror pool enable", "no-such-pool", "image"), -2, "",
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory\n");
        assertResult(rbd.run("mirror pool enable", "image-pool/no-such-ns", "image"), -2, "",
                "rbd: namespace 'no-such-ns' does not exist.\n");
        assertResult(rbd.run("mirror pool info", "no-such-pool"), -2, "",
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory\n");
        assertResult(rbd.run("mirror pool enable", "a@b", "image"), -22, "", "rbd: invalid pool 'a@b'\n");
    }

    @Test
    void namespaceEnableWithRemoteNamespace() {
        cluster.pools.get("image-pool").namespaces.put("ns-a", new FakeMirrorCluster.Namespace());
        assertOk(rbd.run("mirror pool enable", "image-pool", "image"), "");
        assertOk(rbd.run("mirror pool enable", "image-pool/ns-a", "image", "--remote-namespace", "ns-b"), "");
        assertEquals(MirrorMode.IMAGE, mode("ns-a"));
        assertEquals("ns-b", cluster.pools.get("image-pool").namespace("ns-a").remoteNamespace);
        assertOk(rbd.run("mirror pool info", "image-pool/ns-a"), "Mode: image\n");
        assertOk(rbd.json("mirror pool info", "image-pool/ns-a"), "{\"mode\":\"image\"}\n");
    }

    @Test
    void disable() {
        assertOk(rbd.run("mirror pool disable", "image-pool"), "rbd: mirroring is already disabled\n");
        assertOk(rbd.run("mirror pool enable", "image-pool", "pool"), "");
        assertOk(rbd.run("mirror pool disable", "image-pool"), "");
        assertEquals(MirrorMode.DISABLED, mode(""));
    }

    @Test
    void disableFromPoolModeDisablesEveryImage() {
        assertOk(rbd.run("mirror pool enable", "image-pool", "pool"), "");
        FakeMirrorImage image = cluster.addImage("image-pool", "", "image-1",
                EnumSet.of(ImageFeature.EXCLUSIVE_LOCK, ImageFeature.JOURNALING));
        image.enableMirroring(io.mirrorhost.api.cluster.MirrorImageMode.JOURNAL);
        assertOk(rbd.run("mirror pool disable", "image-pool"), "");
        assertEquals(null, image.mirrorState);
    }

    @Test
    void disableIsRefusedWhilePeersAreRegisteredOrImagesMirrored() {
        assertOk(rbd.run("mirror pool enable", "image-pool", "image"), "");
        FakeMirrorImage image = cluster.addImage("image-pool", "", "image-1", FakeMirrorCluster.defaults());
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "snapshot"), "Mirroring enabled\n");
        assertResult(rbd.run("mirror pool disable", "image-pool"), -22, "",
                "librbd::api::Mirror: mode_set: failed to disable mirror mode: there are still images with "
                        + "mirroring enabled\n\n");
        assertEquals(MirrorImageState.ENABLED, image.mirrorState);

        cluster.pools.get("image-pool").peers.add(new MirrorPeer("5a5a5a5a-0000-4000-8000-000000000001",
                MirrorPeerDirection.RX_TX, "site-b", "", "client.rbd-mirror-peer", null));
        assertResult(rbd.run("mirror pool disable", "image-pool"), -16, "",
                "librbd::api::Mirror: mode_set: mirror peers still registered\n\n");
        assertEquals(MirrorMode.IMAGE, mode(""));
    }

    @Test
    void infoOfADisabledPool() {
        assertOk(rbd.run("mirror pool info", "image-pool"), "Mode: disabled\n");
        assertOk(rbd.json("mirror pool info", "image-pool"), "{\"mode\":\"disabled\"}\n");
        assertOk(rbd.run(io.mirrorhost.api.OutputFormat.XML, false, null, "mirror pool info", "image-pool"),
                new io.mirrorhost.rbd.format.XmlWriter(false).openObject("mirror").string("mode", "disabled").close()
                        .finish());
        assertResult(rbd.run(io.mirrorhost.api.OutputFormat.PLAIN, true, null, "mirror pool info", "image-pool"),
                -22, "", "rbd: --pretty-format only works when --format is json or xml\n");
    }

    @Test
    void infoWithoutPeersShowsTheFsidAsSiteNameUntilOneIsSet() {
        assertOk(rbd.run("mirror pool enable", "image-pool", "image"), "");
        assertOk(rbd.run("mirror pool info", "image-pool"),
                "Mode: image\nSite Name: " + cluster.fsid + "\n\nPeer Sites: none\n");
        cluster.siteName = "site-a";
        assertOk(rbd.json("mirror pool info", "image-pool"),
                "{\"mode\":\"image\",\"site_name\":\"site-a\",\"peers\":[]}\n");
        assertOk(rbd.pretty("mirror pool info", "image-pool"),
                "{\n    \"mode\": \"image\",\n    \"site_name\": \"site-a\",\n    \"peers\": []\n}\n");
    }

    @Test
    void infoListsPeersAndWithAllTheirSecrets() {
        cluster.siteName = "site-a";
        assertOk(rbd.run("mirror pool enable", "image-pool", "image"), "");
        FakeMirrorCluster.Pool pool = cluster.pools.get("image-pool");
        pool.peers.add(new MirrorPeer("11111111-2222-4333-8444-555555555555", MirrorPeerDirection.RX_TX, "site-b",
                "bbbbbbbb-0000-4000-8000-00000000000b", "client.rbd-mirror-peer", null));
        pool.peers.add(new MirrorPeer("66666666-2222-4333-8444-555555555555", MirrorPeerDirection.TX_ONLY, "site-c",
                "", "", null));
        cluster.configKeys.put(pool.id + "/11111111-2222-4333-8444-555555555555",
                new java.util.TreeMap<>(java.util.Map.of("mon_host", "127.0.0.1:6792", "key", "AQBkey==")));

        assertOk(rbd.run("mirror pool info", "image-pool"), """
                Mode: image
                Site Name: site-a

                Peer Sites: \n
                UUID: 11111111-2222-4333-8444-555555555555
                Name: site-b
                Mirror UUID: bbbbbbbb-0000-4000-8000-00000000000b
                Direction: rx-tx
                Client: client.rbd-mirror-peer


                UUID: 66666666-2222-4333-8444-555555555555
                Name: site-c
                Mirror UUID: \n\
                Direction: tx-only
                """);
        assertOk(rbd.run("mirror pool info", "image-pool", "--all"), """
                Mode: image
                Site Name: site-a

                Peer Sites: \n
                UUID: 11111111-2222-4333-8444-555555555555
                Name: site-b
                Mirror UUID: bbbbbbbb-0000-4000-8000-00000000000b
                Direction: rx-tx
                Client: client.rbd-mirror-peer
                Mon Host: 127.0.0.1:6792
                Key: AQBkey==


                UUID: 66666666-2222-4333-8444-555555555555
                Name: site-c
                Mirror UUID: \n\
                Direction: tx-only
                Mon Host: \n\
                Key: \n\
                """);
        assertOk(rbd.json("mirror pool info", "image-pool", "--all"), "{\"mode\":\"image\",\"site_name\":\"site-a\","
                + "\"peers\":[{\"uuid\":\"11111111-2222-4333-8444-555555555555\",\"direction\":\"rx-tx\","
                + "\"site_name\":\"site-b\",\"mirror_uuid\":\"bbbbbbbb-0000-4000-8000-00000000000b\","
                + "\"client_name\":\"client.rbd-mirror-peer\",\"key\":\"AQBkey==\",\"mon_host\":\"127.0.0.1:6792\"},"
                + "{\"uuid\":\"66666666-2222-4333-8444-555555555555\",\"direction\":\"tx-only\","
                + "\"site_name\":\"site-c\",\"mirror_uuid\":\"\",\"client_name\":\"\"}]}\n");
        assertTrue(rbd.json("mirror pool info", "image-pool").stdout().contains("\"client_name\":\"client.rbd-mirror-peer\"}"));
    }
}
