package io.mirrorhost.rbd.mirror;

import static io.mirrorhost.rbd.mirror.MirrorHarness.assertOk;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rbd mirror pool peer bootstrap create|import}, {@code peer add|remove|set}. */
class MirrorPeerCommandsTest {
    private final MirrorHarness rbd = MirrorHarness.siteA();
    private final FakeMirrorCluster siteA = rbd.cluster;
    private final FakeMirrorCluster siteB = new FakeMirrorCluster("bbbbbbbb-2222-4222-8222-222222222222", "site-b",
            "127.0.0.1:6792");
    @TempDir
    Path dir;

    MirrorPeerCommandsTest() {
        siteA.reachable.put(siteB.fsid, siteB);
        siteB.reachable.put(siteA.fsid, siteA);
        siteB.addPool("image-pool");
        siteB.siteName = "site-b";
    }

    @AfterEach
    void close() throws Exception {
        rbd.close();
    }

    private List<MirrorPeer> peers(FakeMirrorCluster cluster) {
        return cluster.pools.get("image-pool").peers;
    }

    private Map<String, String> attributes(FakeMirrorCluster cluster, String uuid) {
        return cluster.configKeys.get(cluster.pools.get("image-pool").id + "/" + uuid);
    }

    private String enableSiteA() {
        assertOk(rbd.run("mirror pool enable", "--site-name", "site-a", "image-pool", "image"), "");
        return "";
    }

    // --- bootstrap create ---

    @Test
    void bootstrapCreatePrintsTheTokenAndSetsTheSiteName() {
        assertOk(rbd.run("mirror pool enable", "image-pool", "image"), "");
        CommandResult result = rbd.run("mirror pool peer bootstrap create", "--site-name", "site-a", "image-pool");
        assertOk(result, siteA.token() + "\n");
        assertEquals("site-a", siteA.siteName);
        String json = new String(Base64.getDecoder().decode(result.stdout().strip()), StandardCharsets.UTF_8);
        assertEquals("{\"fsid\":\"" + siteA.fsid + "\",\"client_id\":\"rbd-mirror-peer\",\"key\":\"" + siteA.key()
                + "\",\"mon_host\":\"127.0.0.1:6791\"}", json);
    }

    @Test
    void bootstrapCreateNeedsMirroringAndAPlainPool() {
        assertResult(rbd.run("mirror pool peer bootstrap create", "--site-name", "site-a", "image-pool"), -22, "",
                "rbd: mirroring not enabled on the pool\n");
        assertEquals("", siteA.siteName);
        assertResult(rbd.run("mirror pool peer bootstrap create", "image-pool/ns"), -22, "",
                "rbd: invalid pool 'image-pool/ns'\n");
        assertResult(rbd.run("mirror pool peer bootstrap create", "no-such-pool"), -2, "",
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory\n");
    }

    // --- bootstrap import ---

    private Path siteBToken() throws Exception {
        siteB.pools.get("image-pool").namespace("").mode = MirrorMode.IMAGE;
        Path token = dir.resolve("token");
        Files.writeString(token, siteB.token() + "\n");
        return token;
    }

    @Test
    void bootstrapImportAddsThePeerOnBothSitesForRxTx() throws Exception {
        Path token = siteBToken();
        assertOk(rbd.run("mirror pool peer bootstrap import", "--site-name", "site-a", "image-pool",
                token.toString()), "");
        // mirroring off here: librbd copies the remote pool's mode
        assertEquals(MirrorMode.IMAGE, siteA.pools.get("image-pool").namespace("").mode);
        assertEquals(1, peers(siteA).size());
        MirrorPeer local = peers(siteA).get(0);
        assertEquals(List.of("site-b", "client.rbd-mirror-peer", "rx-tx"),
                List.of(local.siteName(), local.clientName(), local.direction().label()));
        assertEquals(Map.of("mon_host", "127.0.0.1:6792", "key", siteB.key()), attributes(siteA, local.uuid()));
        assertEquals(1, peers(siteB).size());
        assertEquals("site-a", peers(siteB).get(0).siteName());

        assertOk(rbd.run("mirror pool info", "image-pool"), "Mode: image\nSite Name: site-a\n\nPeer Sites: \n\n"
                + "UUID: " + local.uuid() + "\nName: site-b\nMirror UUID: \nDirection: rx-tx\n"
                + "Client: client.rbd-mirror-peer\n");
    }

    @Test
    void bootstrapImportRxOnlyFromStandardInputLeavesTheRemoteAlone() throws Exception {
        siteBToken();
        enableSiteA();
        assertOk(rbd.withInput(siteB.token().getBytes(StandardCharsets.UTF_8), "mirror pool peer bootstrap import",
                "image-pool", "-", "--direction", "rx-only"), "");
        assertEquals(MirrorPeerDirection.RX_ONLY, peers(siteA).get(0).direction());
        assertTrue(peers(siteB).isEmpty());
    }

    @Test
    void bootstrapImportTakesTheTokenPathOption() throws Exception {
        Path token = siteBToken();
        enableSiteA();
        assertOk(rbd.run("mirror pool peer bootstrap import", "image-pool", "--token-path", token.toString()), "");
        assertEquals(1, peers(siteA).size());
    }

    @Test
    void malformedTruncatedOrWrongTokensAreRefusedAndChangeNothing() throws Exception {
        siteBToken();
        enableSiteA();
        Path garbage = dir.resolve("garbage");
        Files.writeString(garbage, "this is not a token!\n");
        assertResult(rbd.run("mirror pool peer bootstrap import", "image-pool", garbage.toString()), -22, "",
                "librbd::api::Mirror: peer_bootstrap_import: failed to decode base64\n\n"
                        + "rbd: failed to import peer bootstrap token\n");

        String full = siteB.token();
        String truncatedJson = Base64.getEncoder().encodeToString(
                new String(Base64.getDecoder().decode(full), StandardCharsets.UTF_8).substring(0, 40)
                        .getBytes(StandardCharsets.UTF_8));
        assertResult(rbd.withInput(truncatedJson.getBytes(StandardCharsets.UTF_8),
                        "mirror pool peer bootstrap import", "image-pool", "-"), -22, "",
                "librbd::api::Mirror: peer_bootstrap_import: invalid bootstrap token JSON received\n\n"
                        + "rbd: failed to import peer bootstrap token\n");

        assertResult(rbd.withInput(siteA.token().getBytes(StandardCharsets.UTF_8),
                        "mirror pool peer bootstrap import", "image-pool", "-"), -22, "",
                "librbd::api::Mirror: peer_bootstrap_import: cannot import token for local cluster\n\n"
                        + "rbd: failed to import peer bootstrap token\n");

        assertResult(rbd.withInput(new byte[0], "mirror pool peer bootstrap import", "image-pool", "-"), -22, "",
                "librbd::api::Mirror: peer_bootstrap_import: invalid bootstrap token JSON received\n\n"
                        + "rbd: failed to import peer bootstrap token\n");
        assertTrue(peers(siteA).isEmpty());
        assertTrue(peers(siteB).isEmpty());
    }

    @Test
    void bootstrapImportWhenTheRemotePoolIsNotMirrored() throws Exception {
        Path token = siteBToken();
        siteB.pools.get("image-pool").namespace("").mode = MirrorMode.DISABLED;
        enableSiteA();
        assertResult(rbd.run("mirror pool peer bootstrap import", "image-pool", token.toString()), -38, "",
                "rbd: mirroring is not enabled on remote peer\n");
        assertTrue(peers(siteA).isEmpty());
    }

    @Test
    void directionWordsOtherThanRxOnlyAndRxTxAreUsageErrors() throws Exception {
        Path token = siteBToken();
        for (String word : new String[] {"tx-only", "bogus"}) {
            assertResult(rbd.run("mirror pool peer bootstrap import", "--site-name", "site-a", "--direction", word,
                    "image-pool", token.toString()), -1, "", "rbd: the argument for option '--direction' is invalid\n");
            assertResult(rbd.run("mirror pool peer add", "image-pool", "site-b", "--direction", word), -1, "",
                    "rbd: the argument for option '--direction' is invalid\n");
        }
        assertEquals("", siteA.siteName);
        assertTrue(peers(siteA).isEmpty());
    }

    @Test
    void bootstrapImportArgumentAndFileErrors() {
        assertResult(rbd.run("mirror pool peer bootstrap import", "image-pool"), -22, "",
                "rbd: token path was not specified\n");
        String missing = dir.resolve("no-such-token").toString();
        assertResult(rbd.run("mirror pool peer bootstrap import", "image-pool", missing), -2, "",
                "rbd: error opening " + missing + "\n");
        assertEquals("", siteA.siteName);
    }

    // --- peer add ---

    @Test
    void peerAddPrintsTheUuidAndKeepsSecretsInTheConfigKeyStore() throws Exception {
        enableSiteA();
        Path keyFile = dir.resolve("remote-key-file");
        Files.writeString(keyFile, "AQAeuZdbMMoBChAAcj++/XUxNOLFaWdtTREEsw==\nsecond line\n");
        CommandResult result = rbd.run("mirror pool peer add", "image-pool", "client.rbd-mirror-peer@site-b",
                "--remote-mon-host", "192.168.1.1,192.168.1.2", "--remote-key-file", keyFile.toString());
        MirrorPeer peer = peers(siteA).get(0);
        assertOk(result, peer.uuid() + "\n");
        assertEquals(List.of("site-b", "client.rbd-mirror-peer", "rx-tx"),
                List.of(peer.siteName(), peer.clientName(), peer.direction().label()));
        assertEquals(Map.of("mon_host", "192.168.1.1,192.168.1.2", "key", "AQAeuZdbMMoBChAAcj++/XUxNOLFaWdtTREEsw=="),
                attributes(siteA, peer.uuid()));
        assertOk(rbd.run("mirror pool info", "image-pool", "--all"), "Mode: image\nSite Name: site-a\n\n"
                + "Peer Sites: \n\nUUID: " + peer.uuid() + "\nName: site-b\nMirror UUID: \nDirection: rx-tx\n"
                + "Client: client.rbd-mirror-peer\nMon Host: 192.168.1.1,192.168.1.2\n"
                + "Key: AQAeuZdbMMoBChAAcj++/XUxNOLFaWdtTREEsw==\n");
    }

    @Test
    void peerAddDefaultsToTheLocalClientNameAndTakesOptions() {
        enableSiteA();
        CommandResult result = rbd.run("mirror pool peer add", "image-pool", "--remote-cluster", "site-b",
                "--direction", "rx-only");
        MirrorPeer peer = peers(siteA).get(0);
        assertOk(result, peer.uuid() + "\n");
        assertEquals(List.of("site-b", "client.admin", "rx-only"),
                List.of(peer.siteName(), peer.clientName(), peer.direction().label()));
        assertEquals(null, attributes(siteA, peer.uuid()));
    }

    @Test
    void aSecondRxPeerIsRefused() {
        enableSiteA();
        assertEquals(0, rbd.run("mirror pool peer add", "image-pool", "client.rbd-mirror-peer@site-b").code());
        assertResult(rbd.run("mirror pool peer add", "image-pool", "client.rbd-mirror-peer@site-c"), -22, "",
                "rbd: multiple RX peers are not currently supported\n");
        assertEquals(1, peers(siteA).size());
    }

    @Test
    void peerAddErrors() {
        assertResult(rbd.run("mirror pool peer add", "image-pool", "site-b"), -22, "",
                "rbd: mirroring not enabled on the pool\n");
        enableSiteA();
        assertResult(rbd.run("mirror pool peer add", "image-pool", "admin@site-b"), -22, "",
                "rbd: invalid spec 'admin@site-b'\n");
        assertResult(rbd.run("mirror pool peer add", "image-pool"), -22, "",
                "rbd: remote cluster was not specified\n");
        String missing = dir.resolve("no-key").toString();
        assertResult(rbd.run("mirror pool peer add", "image-pool", "site-b", "--remote-key-file", missing), -22, "",
                "rbd: failed to open " + missing + "\n");
        assertResult(rbd.run("mirror pool peer add", "image-pool", "client.x@site-a"), -22, "",
                "librbd::api::Mirror: peer_site_add: cannot add self as remote peer\n\nrbd: error adding mirror peer\n");
        assertTrue(peers(siteA).isEmpty());
    }

    // --- peer remove ---

    @Test
    void peerRemove() {
        enableSiteA();
        String uuid = rbd.run("mirror pool peer add", "image-pool", "site-b", "--remote-mon-host", "h").stdout().strip();
        assertOk(rbd.run("mirror pool peer remove", "image-pool", uuid), "");
        assertTrue(peers(siteA).isEmpty());
        assertEquals(null, attributes(siteA, uuid));
        // librbd ignores a peer that is not there
        assertOk(rbd.run("mirror pool peer remove", "image-pool", uuid), "");
    }

    @Test
    void peerRemoveArgumentErrors() {
        assertResult(rbd.run("mirror pool peer remove", "image-pool"), -22, "", "rbd: must specify peer uuid\n");
        assertResult(rbd.run("mirror pool peer remove", "image-pool", "not-a-uuid"), -22, "",
                "rbd: invalid uuid 'not-a-uuid'\n");
        assertResult(rbd.run("mirror pool peer remove", "image-pool", "11111111-2222-4333-8444-555555555555"), -22,
                "", "rbd: mirroring not enabled on the pool\n");
    }

    // --- peer set ---

    @Test
    void peerSetUpdatesTheConfigKeyAttributes() throws Exception {
        enableSiteA();
        String uuid = rbd.run("mirror pool peer add", "image-pool", "site-b").stdout().strip();
        assertOk(rbd.run("mirror pool peer set", "image-pool", uuid, "mon-host", "10.0.0.1"), "");
        assertEquals(Map.of("mon_host", "10.0.0.1"), attributes(siteA, uuid));
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, "AQBnewkey==\n");
        assertOk(rbd.run("mirror pool peer set", "image-pool", uuid, "key-file", keyFile.toString()), "");
        assertEquals(Map.of("mon_host", "10.0.0.1", "key", "AQBnewkey=="), attributes(siteA, uuid));
        assertOk(rbd.run("mirror pool peer set", "image-pool", uuid, "mon-host", ""), "");
        assertEquals(Map.of("key", "AQBnewkey=="), attributes(siteA, uuid));
    }

    @Test
    void peerSetErrors() {
        enableSiteA();
        String uuid = rbd.run("mirror pool peer add", "image-pool", "site-b").stdout().strip();
        assertResult(rbd.run("mirror pool peer set", "image-pool", uuid, "colour", "red"), -22, "",
                "rbd: must specify 'client', 'cluster', 'direction', 'key-file', 'mon-host', 'site-name' key.\n");
        assertResult(rbd.run("mirror pool peer set", "image-pool", uuid, "direction", "sideways"), -22, "",
                "rbd: invalid direction\n");
        String other = "11111111-2222-4333-8444-555555555555";
        assertResult(rbd.run("mirror pool peer set", "image-pool", other, "mon-host", "h"), -2, "",
                "rbd: mirror peer " + other + " does not exist\n");
        assertEquals(null, attributes(siteA, other));
    }

    @Test
    void peerSetOfNameClientOrDirectionIsRefusedForWantOfAnSpiCall() {
        enableSiteA();
        String uuid = rbd.run("mirror pool peer add", "image-pool", "site-b").stdout().strip();
        assertResult(rbd.run("mirror pool peer set", "image-pool", uuid, "client", "client.other"), -95, "",
                "rbd: changing a peer's client is not supported by this cluster: (95) Operation not supported\n");
        assertResult(rbd.run("mirror pool peer set", "image-pool", uuid, "direction", "rx-only"), -95, "",
                "rbd: changing a peer's direction is not supported by this cluster: (95) Operation not supported\n");
        assertResult(rbd.run("mirror pool peer set", "image-pool", uuid, "client"), -95,
                "", "rbd: must specify new client value.\n"
                        + "rbd: changing a peer's client is not supported by this cluster: (95) Operation not supported\n");
        assertEquals("client.admin", peers(siteA).get(0).clientName());
    }
}
