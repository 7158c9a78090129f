package io.mirrorhost.rbd.mirror;

import static io.mirrorhost.rbd.mirror.MirrorHarness.POOL;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertOk;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertResult;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.format.XmlWriter;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code rbd mirror pool enable|disable|info}. */
class MirrorPoolConfigCommandsTest {
    private static final PoolNamespace WHERE = PoolNamespace.of(POOL);
    private final MirrorHarness rbd = MirrorHarness.siteA();

    @AfterEach
    void close() throws Exception {
        rbd.close();
    }

    @Test
    void enableSetsTheModeAndSaysSoWhenNothingChanges() {
        assertOk(rbd.run("mirror pool enable", POOL, "image"), "");
        assertEquals(MirrorMode.IMAGE, rbd.mode(WHERE));

        assertOk(rbd.run("mirror pool enable", POOL, "image"),
                "rbd: mirroring is already configured for image mode\n");
        assertOk(rbd.run("mirror pool enable", POOL, "pool"), "note: changing mirroring mode from image to pool\n");
        assertEquals(MirrorMode.POOL, rbd.mode(WHERE));
        assertOk(rbd.run("mirror pool enable", POOL, "image"), "note: changing mirroring mode from pool to image\n");
    }

    @Test
    void enableWithANewSiteNameStaysQuietAboutTheUnchangedMode() {
        assertOk(rbd.run("mirror pool enable", "--site-name", "site-a", POOL, "image"), "");
        assertEquals("site-a", rbd.siteName());
        assertOk(rbd.run("mirror pool enable", "--site-name", "site-a2", POOL, "image"), "");
        assertEquals("site-a2", rbd.siteName());
        assertOk(rbd.run("mirror pool enable", "--site-name", "site-a2", POOL, "image"),
                "rbd: mirroring is already configured for image mode\n");
    }

    @Test
    void enableTakesThePoolFromOptionsToo() {
        assertOk(rbd.run("mirror pool enable", "-p", POOL, "pool"), "");
        assertEquals(MirrorMode.POOL, rbd.mode(WHERE));
    }

    @Test
    void poolModeEnablesJournalMirroringOnJournaledImages() {
        ImageSpec journaled = rbd.createImage("journaled", EnumSet.of(ImageFeature.EXCLUSIVE_LOCK,
                ImageFeature.JOURNALING));
        ImageSpec plain = rbd.createImage("plain", ImageFeature.defaults());
        assertOk(rbd.run("mirror pool enable", POOL, "pool"), "");
        assertEquals(MirrorImageState.ENABLED, rbd.mirrorInfo(journaled).state());
        assertEquals(MirrorImageState.DISABLED, rbd.mirrorInfo(plain).state());
    }

    @Test
    void badModeWordIsRefusedBeforeAnythingChanges() {
        String siteName = rbd.siteName();
        assertResult(rbd.run("mirror pool enable", POOL, "journal"), -22, "",
                "rbd: must specify 'image' or 'pool' mode.\n");
        assertResult(rbd.run("mirror pool enable", POOL), -22, "", "rbd: must specify 'image' or 'pool' mode.\n");
        assertResult(rbd.run("mirror pool enable", "--site-name", "x", POOL, "both"), -22, "",
                "rbd: must specify 'image' or 'pool' mode.\n");
        assertEquals(MirrorMode.DISABLED, rbd.mode(WHERE));
        assertEquals(siteName, rbd.siteName());
    }

    @Test
    void missingPoolOrNamespaceGetsRbdsOpeningErrors() {
        assertResult(rbd.run("mirror pool enable", "no-such-pool", "image"), -2, "",
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory\n");
        assertResult(rbd.run("mirror pool enable", POOL + "/no-such-ns", "image"), -2, "",
                "rbd: namespace 'no-such-ns' does not exist.\n");
        assertResult(rbd.run("mirror pool info", "no-such-pool"), -2, "",
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory\n");
        assertResult(rbd.run("mirror pool enable", "a@b", "image"), -22, "", "rbd: invalid pool 'a@b'\n");
    }

    @Test
    void withoutAPoolNameTheDefaultPoolIsMeant() {
        assertResult(rbd.run("mirror pool info"), -2, "", "rbd: error opening default pool 'rbd'\n"
                + "Ensure that the default pool has been created or specify an alternate pool name.\n");
        rbd.createPool("rbd");
        assertOk(rbd.run("mirror pool info"), "Mode: disabled\n");
        // as rbd reads it, a lone word is the pool, so the mode is missing
        assertResult(rbd.run("mirror pool enable", "image"), -22, "", "rbd: must specify 'image' or 'pool' mode.\n");
    }

    @Test
    void commandsWaitForTheModuleToStart() {
        var specs = MirrorCommands.commands(() -> null);
        assertEquals(18, specs.size());
        for (var call : Map.of("mirror pool info", Map.<String, Object>of("pool-spec", POOL),
                "mirror image status", Map.<String, Object>of("image-spec", POOL + "/image-1")).entrySet()) {
            var spec = specs.stream().filter(s -> s.prefix().equals(call.getKey())).findFirst().orElseThrow();
            var result = MirrorHarness.await(spec.handler().handle(
                    new io.mirrorhost.api.CommandRequest(spec.prefix(), call.getValue())));
            assertResult(result, -11, "", "rbd: module 'rbd' is not running yet; try again\n");
        }
    }

    @Test
    void namespaceEnableWithRemoteNamespace() {
        rbd.createNamespace(POOL, "ns-a");
        PoolNamespace ns = new PoolNamespace(POOL, "ns-a");
        assertOk(rbd.run("mirror pool enable", POOL, "image"), "");
        assertOk(rbd.run("mirror pool enable", POOL + "/ns-a", "image", "--remote-namespace", "ns-b"), "");
        assertEquals(MirrorMode.IMAGE, rbd.mode(ns));
        assertEquals("ns-b", MirrorHarness.await(rbd.cluster.mirrorRemoteNamespaceGet(ns)));
        assertOk(rbd.run("mirror pool info", POOL + "/ns-a"), "Mode: image\nRemote Namespace: ns-b\n");
        assertOk(rbd.json("mirror pool info", POOL + "/ns-a"), "{\"mode\":\"image\",\"remote_namespace\":\"ns-b\"}\n");
        assertOk(rbd.run("mirror pool disable", "--namespace", "ns-a", POOL), "");
        assertEquals(MirrorMode.DISABLED, rbd.mode(ns));
    }

    @Test
    void disable() {
        assertOk(rbd.run("mirror pool disable", POOL), "rbd: mirroring is already disabled\n");
        assertOk(rbd.run("mirror pool enable", POOL, "pool"), "");
        assertOk(rbd.run("mirror pool disable", POOL), "");
        assertEquals(MirrorMode.DISABLED, rbd.mode(WHERE));
    }

    @Test
    void disableFromPoolModeDisablesEveryImage() {
        assertOk(rbd.run("mirror pool enable", POOL, "pool"), "");
        ImageSpec image = rbd.createImage("image-1", EnumSet.of(ImageFeature.EXCLUSIVE_LOCK, ImageFeature.JOURNALING));
        assertEquals(MirrorImageState.ENABLED, rbd.mirrorInfo(image).state());
        assertOk(rbd.run("mirror pool disable", POOL), "");
        assertEquals(MirrorImageState.DISABLED, rbd.mirrorInfo(image).state());
    }

    @Test
    void disableIsRefusedWhilePeersAreRegisteredOrImagesMirrored() {
        assertOk(rbd.run("mirror pool enable", POOL, "image"), "");
        ImageSpec image = rbd.createImage("image-1", ImageFeature.defaults());
        assertOk(rbd.run("mirror image enable", POOL + "/image-1", "snapshot"), "Mirroring enabled\n");
        assertResult(rbd.run("mirror pool disable", POOL), -22, "",
                "librbd::api::Mirror: mode_set: failed to disable mirror mode: there are still images with "
                        + "mirroring enabled\n\n");
        assertEquals(MirrorImageState.ENABLED, rbd.mirrorInfo(image).state());

        rbd.addPeer("site-b", MirrorPeerDirection.RX_TX, "");
        assertResult(rbd.run("mirror pool disable", POOL), -16, "",
                "librbd::api::Mirror: mode_set: mirror peers still registered\n\n");
        assertEquals(MirrorMode.IMAGE, rbd.mode(WHERE));
    }

    @Test
    void infoOfADisabledPool() {
        assertOk(rbd.run("mirror pool info", POOL), "Mode: disabled\n");
        assertOk(rbd.json("mirror pool info", POOL), "{\"mode\":\"disabled\"}\n");
        assertOk(rbd.run(OutputFormat.XML, false, null, "mirror pool info", POOL),
                new XmlWriter(false).openObject("mirror").string("mode", "disabled").close().finish());
        assertResult(rbd.run(OutputFormat.PLAIN, true, null, "mirror pool info", POOL), -22, "",
                "rbd: --pretty-format only works when --format is json or xml\n");
    }

    @Test
    void infoWithoutPeersShowsTheFsidAsSiteNameUntilOneIsSet() {
        assertOk(rbd.run("mirror pool enable", POOL, "image"), "");
        assertOk(rbd.run("mirror pool info", POOL),
                "Mode: image\nSite Name: " + rbd.cluster.fsid() + "\n\nPeer Sites: none\n");
        rbd.setSiteName("site-a");
        assertOk(rbd.json("mirror pool info", POOL), "{\"mode\":\"image\",\"site_name\":\"site-a\",\"peers\":[]}\n");
        assertOk(rbd.pretty("mirror pool info", POOL),
                "{\n    \"mode\": \"image\",\n    \"site_name\": \"site-a\",\n    \"peers\": []\n}\n");
    }

    @Test
    void infoListsPeersAndWithAllTheirSecrets() {
        rbd.setSiteName("site-a");
        assertOk(rbd.run("mirror pool enable", POOL, "image"), "");
        String b = rbd.addPeer("site-b", MirrorPeerDirection.RX_TX, "bbbbbbbb-0000-4000-8000-00000000000b");
        MirrorHarness.await(rbd.cluster.mirrorPeerSiteSetAttributes(POOL, b,
                Map.of("mon_host", "127.0.0.1:6792", "key", "AQBkey==")));
        // a daemon of an unknown site pinging the pool makes it a tx-only peer
        MirrorHarness.await(rbd.cluster.mirrorPeerPing(POOL, "site-c", "cccccccc-0000-4000-8000-00000000000c"));
        String c = rbd.peers(POOL).get(1).uuid();

        assertOk(rbd.run("mirror pool info", POOL), "Mode: image\nSite Name: site-a\n\nPeer Sites: \n\n"
                + "UUID: " + b + "\nName: site-b\nMirror UUID: bbbbbbbb-0000-4000-8000-00000000000b\n"
                + "Direction: rx-tx\nClient: client.rbd-mirror-peer\n\n"
                + "\nUUID: " + c + "\nName: site-c\nMirror UUID: cccccccc-0000-4000-8000-00000000000c\n"
                + "Direction: tx-only\n");
        assertOk(rbd.run("mirror pool info", POOL, "--all"), "Mode: image\nSite Name: site-a\n\nPeer Sites: \n\n"
                + "UUID: " + b + "\nName: site-b\nMirror UUID: bbbbbbbb-0000-4000-8000-00000000000b\n"
                + "Direction: rx-tx\nClient: client.rbd-mirror-peer\nMon Host: 127.0.0.1:6792\nKey: AQBkey==\n\n"
                + "\nUUID: " + c + "\nName: site-c\nMirror UUID: cccccccc-0000-4000-8000-00000000000c\n"
                + "Direction: tx-only\nMon Host: \nKey: \n");
        assertOk(rbd.json("mirror pool info", POOL, "--all"), "{\"mode\":\"image\",\"site_name\":\"site-a\","
                + "\"peers\":[{\"uuid\":\"" + b + "\",\"direction\":\"rx-tx\",\"site_name\":\"site-b\","
                + "\"mirror_uuid\":\"bbbbbbbb-0000-4000-8000-00000000000b\","
                + "\"client_name\":\"client.rbd-mirror-peer\",\"key\":\"AQBkey==\",\"mon_host\":\"127.0.0.1:6792\"},"
                + "{\"uuid\":\"" + c + "\",\"direction\":\"tx-only\",\"site_name\":\"site-c\","
                + "\"mirror_uuid\":\"cccccccc-0000-4000-8000-00000000000c\",\"client_name\":\"\"}]}\n");
    }
}
