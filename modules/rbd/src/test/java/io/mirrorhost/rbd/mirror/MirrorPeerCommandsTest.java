package io.mirrorhost.rbd.mirror;

import static io.mirrorhost.rbd.mirror.MirrorHarness.POOL;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertOk;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertResult;
import static io.mirrorhost.rbd.mirror.MirrorHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.FilePolicy;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.vertx.core.json.JsonObject;
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
    private final MirrorHarness siteB = new MirrorHarness(MirrorTestSites.site("site-b", "127.0.0.1:6792"));
    @TempDir
    Path dir;

    MirrorPeerCommandsTest() {
        siteB.createPool(POOL);
        siteB.setSiteName("site-b");
        rbd.site.reach(siteB.site);
        siteB.site.reach(rbd.site);
    }

    @AfterEach
    void close() throws Exception {
        rbd.close();
        siteB.close();
    }

    private void enableSiteA() {
        assertOk(rbd.run("mirror pool enable", "--site-name", "site-a", POOL, "image"), "");
    }

    private static JsonObject decode(String token) {
        return new JsonObject(new String(Base64.getDecoder().decode(token.strip()), StandardCharsets.UTF_8));
    }

    // --- bootstrap create ---

    @Test
    void bootstrapCreatePrintsTheTokenAndSetsTheSiteName() {
        assertOk(rbd.run("mirror pool enable", POOL, "image"), "");
        CommandResult result = rbd.run("mirror pool peer bootstrap create", "--site-name", "site-a", POOL);
        assertEquals(0, result.code());
        assertTrue(result.stdout().endsWith("\n") && result.stdout().indexOf('\n') == result.stdout().length() - 1);
        JsonObject token = decode(result.stdout());
        assertEquals(List.of("fsid", "client_id", "key", "mon_host"), List.copyOf(token.fieldNames()));
        assertEquals(rbd.cluster.fsid(), token.getString("fsid"));
        assertEquals("rbd-mirror-peer", token.getString("client_id"));
        assertEquals("127.0.0.1:6791", token.getString("mon_host"));
        assertEquals("site-a", rbd.siteName());
    }

    @Test
    void bootstrapCreateNeedsMirroringAndAPlainPool() {
        String siteName = rbd.siteName();
        assertResult(rbd.run("mirror pool peer bootstrap create", "--site-name", "site-a", POOL), -22, "",
                "rbd: mirroring not enabled on the pool\n");
        assertEquals(siteName, rbd.siteName());
        assertResult(rbd.run("mirror pool peer bootstrap create", POOL + "/ns"), -22, "",
                "rbd: invalid pool 'image-pool/ns'\n");
        assertResult(rbd.run("mirror pool peer bootstrap create", "no-such-pool"), -2, "",
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory\n");
    }

    // --- bootstrap import ---

    /** site-b's token, written as {@code bootstrap create > token} writes it. */
    private Path siteBToken() throws Exception {
        siteB.setMode(POOL, MirrorMode.IMAGE);
        Path token = dir.resolve("token");
        Files.writeString(token, siteB.run("mirror pool peer bootstrap create", POOL).stdout());
        return token;
    }

    @Test
    void bootstrapImportAddsThePeerOnBothSitesForRxTx() throws Exception {
        Path token = siteBToken();
        JsonObject siteBToken = decode(Files.readString(token));
        assertOk(rbd.run("mirror pool peer bootstrap import", "--site-name", "site-a", POOL, token.toString()), "");
        // mirroring was off here: librbd copies the remote pool's mode
        assertEquals(MirrorMode.IMAGE, rbd.mode(io.mirrorhost.api.cluster.PoolNamespace.of(POOL)));
        List<MirrorPeer> peers = rbd.peers(POOL);
        assertEquals(1, peers.size());
        MirrorPeer local = peers.get(0);
        assertEquals(List.of("site-b", "client.rbd-mirror-peer", "rx-tx"),
                List.of(local.siteName(), local.clientName(), local.direction().label()));
        assertEquals(Map.of("mon_host", siteBToken.getString("mon_host"), "key", siteBToken.getString("key")),
                rbd.attributes(POOL, local.uuid()));
        assertEquals(1, siteB.peers(POOL).size());
        assertEquals("site-a", siteB.peers(POOL).get(0).siteName());

        assertOk(rbd.run("mirror pool info", POOL), "Mode: image\nSite Name: site-a\n\nPeer Sites: \n\n"
                + "UUID: " + local.uuid() + "\nName: site-b\nMirror UUID: \nDirection: rx-tx\n"
                + "Client: client.rbd-mirror-peer\n");
        // importing again updates the same peer
        assertOk(rbd.run("mirror pool peer bootstrap import", "--direction", "rx-only", POOL, token.toString()), "");
        assertEquals(List.of(local.uuid()), rbd.peers(POOL).stream().map(MirrorPeer::uuid).toList());
        assertEquals(MirrorPeerDirection.RX_ONLY, rbd.peers(POOL).get(0).direction());
    }

    @Test
    void bootstrapImportRxOnlyFromStandardInputLeavesTheRemoteAlone() throws Exception {
        Path token = siteBToken();
        enableSiteA();
        assertOk(rbd.withInput(Files.readAllBytes(token), "mirror pool peer bootstrap import",
                POOL, "-", "--direction", "rx-only"), "");
        assertEquals(MirrorPeerDirection.RX_ONLY, rbd.peers(POOL).get(0).direction());
        assertTrue(siteB.peers(POOL).isEmpty());
    }

    @Test
    void bootstrapImportTakesTheTokenPathOption() throws Exception {
        Path token = siteBToken();
        enableSiteA();
        assertOk(rbd.run("mirror pool peer bootstrap import", POOL, "--token-path", token.toString()), "");
        assertEquals(1, rbd.peers(POOL).size());
    }

    @Test
    void malformedTruncatedOrWrongTokensAreRefusedAndChangeNothing() throws Exception {
        String full = Files.readString(siteBToken()).strip();
        enableSiteA();
        Path garbage = dir.resolve("garbage");
        Files.writeString(garbage, "this is not a token!\n");
        assertResult(rbd.run("mirror pool peer bootstrap import", POOL, garbage.toString()), -22, "",
                "librbd::api::Mirror: peer_bootstrap_import: failed to decode base64\n\n"
                        + "rbd: failed to import peer bootstrap token\n");

        String truncatedJson = Base64.getEncoder().encodeToString(
                new String(Base64.getDecoder().decode(full), StandardCharsets.UTF_8).substring(0, 40)
                        .getBytes(StandardCharsets.UTF_8));
        assertResult(rbd.withInput(truncatedJson.getBytes(StandardCharsets.UTF_8),
                        "mirror pool peer bootstrap import", POOL, "-"), -22, "",
                "librbd::api::Mirror: peer_bootstrap_import: invalid bootstrap token JSON received\n\n"
                        + "rbd: failed to import peer bootstrap token\n");
        // as captured: "{}" is valid base64 of JSON without the fields
        assertResult(rbd.withInput("e30=\n".getBytes(StandardCharsets.UTF_8),
                        "mirror pool peer bootstrap import", POOL, "-"), -22, "",
                "librbd::api::Mirror: peer_bootstrap_import: invalid bootstrap token JSON received\n\n"
                        + "rbd: failed to import peer bootstrap token\n");

        String own = rbd.run("mirror pool peer bootstrap create", POOL).stdout();
        assertResult(rbd.withInput(own.getBytes(StandardCharsets.UTF_8), "mirror pool peer bootstrap import", POOL,
                "-"), -22, "", "librbd::api::Mirror: peer_bootstrap_import: cannot import token for local cluster\n\n"
                + "rbd: failed to import peer bootstrap token\n");
        assertTrue(rbd.peers(POOL).isEmpty());
        assertTrue(siteB.peers(POOL).isEmpty());
    }

    @Test
    void bootstrapImportWhenTheRemotePoolIsNotMirrored() throws Exception {
        Path token = siteBToken();
        siteB.setMode(POOL, MirrorMode.DISABLED);
        enableSiteA();
        assertResult(rbd.run("mirror pool peer bootstrap import", POOL, token.toString()), -38, "",
                "rbd: mirroring is not enabled on remote peer\n");
        assertTrue(rbd.peers(POOL).isEmpty());
    }

    @Test
    void directionWordsOtherThanRxOnlyAndRxTxAreUsageErrors() throws Exception {
        Path token = siteBToken();
        String siteName = rbd.siteName();
        for (String word : new String[] {"tx-only", "bogus"}) {
            assertResult(rbd.run("mirror pool peer bootstrap import", "--site-name", "site-a", "--direction", word,
                    POOL, token.toString()), -1, "", "rbd: the argument for option '--direction' is invalid\n");
            assertResult(rbd.run("mirror pool peer add", POOL, "site-b", "--direction", word), -1, "",
                    "rbd: the argument for option '--direction' is invalid\n");
        }
        assertEquals(siteName, rbd.siteName());
        assertTrue(rbd.peers(POOL).isEmpty());
    }

    @Test
    void bootstrapImportArgumentAndFileErrors() {
        String siteName = rbd.siteName();
        assertResult(rbd.run("mirror pool peer bootstrap import", POOL), -22, "",
                "rbd: token path was not specified\n");
        String missing = dir.resolve("no-such-token").toString();
        assertResult(rbd.run("mirror pool peer bootstrap import", "--site-name", "x", POOL, missing), -2, "",
                "rbd: error opening " + missing + "\n");
        assertEquals(siteName, rbd.siteName());
    }

    // --- peer add ---

    @Test
    void peerAddPrintsTheUuidAndKeepsSecretsInTheConfigKeyStore() throws Exception {
        enableSiteA();
        Path keyFile = dir.resolve("remote-key-file");
        Files.writeString(keyFile, "AQAeuZdbMMoBChAAcj++/XUxNOLFaWdtTREEsw==\nsecond line\n");
        CommandResult result = rbd.run("mirror pool peer add", POOL, "client.rbd-mirror-peer@site-b",
                "--remote-mon-host", "192.168.1.1,192.168.1.2", "--remote-key-file", keyFile.toString());
        MirrorPeer peer = rbd.peers(POOL).get(0);
        assertOk(result, peer.uuid() + "\n");
        assertEquals(List.of("site-b", "client.rbd-mirror-peer", "rx-tx"),
                List.of(peer.siteName(), peer.clientName(), peer.direction().label()));
        assertEquals(Map.of("mon_host", "192.168.1.1,192.168.1.2", "key", "AQAeuZdbMMoBChAAcj++/XUxNOLFaWdtTREEsw=="),
                rbd.attributes(POOL, peer.uuid()));
        assertOk(rbd.run("mirror pool info", POOL, "--all"), "Mode: image\nSite Name: site-a\n\n"
                + "Peer Sites: \n\nUUID: " + peer.uuid() + "\nName: site-b\nMirror UUID: \nDirection: rx-tx\n"
                + "Client: client.rbd-mirror-peer\nMon Host: 192.168.1.1,192.168.1.2\n"
                + "Key: AQAeuZdbMMoBChAAcj++/XUxNOLFaWdtTREEsw==\n");
    }

    @Test
    void peerAddDefaultsToTheLocalClientNameAndTakesOptions() {
        enableSiteA();
        CommandResult result = rbd.run("mirror pool peer add", POOL, "--remote-cluster", "site-b",
                "--direction", "rx-only");
        MirrorPeer peer = rbd.peers(POOL).get(0);
        assertOk(result, peer.uuid() + "\n");
        assertEquals(List.of("site-b", rbd.cluster.clientName(), "rx-only"),
                List.of(peer.siteName(), peer.clientName(), peer.direction().label()));
        assertEquals(null, rbd.attributes(POOL, peer.uuid()));
    }

    @Test
    void aSecondRxPeerIsRefused() {
        enableSiteA();
        assertEquals(0, rbd.run("mirror pool peer add", POOL, "client.rbd-mirror-peer@site-b").code());
        assertResult(rbd.run("mirror pool peer add", POOL, "client.rbd-mirror-peer@site-c"), -22, "",
                "rbd: multiple RX peers are not currently supported\n");
        assertResult(rbd.run("mirror pool peer add", POOL, "client.admin@site-a"), -22, "",
                "rbd: multiple RX peers are not currently supported\n");
        assertEquals(1, rbd.peers(POOL).size());
    }

    @Test
    void peerAddErrors() {
        assertResult(rbd.run("mirror pool peer add", POOL, "site-b"), -22, "",
                "rbd: mirroring not enabled on the pool\n");
        enableSiteA();
        assertResult(rbd.run("mirror pool peer add", POOL, "admin@site-b"), -22, "",
                "rbd: invalid spec 'admin@site-b'\n");
        assertResult(rbd.run("mirror pool peer add", POOL), -22, "", "rbd: remote cluster was not specified\n");
        String missing = dir.resolve("no-key").toString();
        assertResult(rbd.run("mirror pool peer add", POOL, "site-b", "--remote-key-file", missing), -22, "",
                "rbd: failed to open " + missing + "\n");
        assertResult(rbd.run("mirror pool peer add", POOL, "client.x@" + rbd.site.clusterName()), -22, "",
                "librbd::api::Mirror: peer_site_add: cannot add self as remote peer\n\nrbd: error adding mirror peer\n");
        assertTrue(rbd.peers(POOL).isEmpty());
    }

    // --- peer remove ---

    @Test
    void peerRemove() {
        enableSiteA();
        String uuid = rbd.run("mirror pool peer add", POOL, "site-b", "--remote-mon-host", "h").stdout().strip();
        assertOk(rbd.run("mirror pool peer remove", POOL, uuid), "");
        assertTrue(rbd.peers(POOL).isEmpty());
        assertEquals(null, rbd.attributes(POOL, uuid));
        // librbd ignores a peer that is not there
        assertOk(rbd.run("mirror pool peer remove", POOL, uuid), "");
    }

    @Test
    void peerRemoveArgumentErrors() {
        assertResult(rbd.run("mirror pool peer remove", POOL), -22, "", "rbd: must specify peer uuid\n");
        assertResult(rbd.run("mirror pool peer remove", POOL, "not-a-uuid"), -22, "",
                "rbd: invalid uuid 'not-a-uuid'\n");
        assertResult(rbd.run("mirror pool peer remove", POOL, "11111111-2222-4333-8444-555555555555"), -22,
                "", "rbd: mirroring not enabled on the pool\n");
    }

    // --- peer set ---

    @Test
    void peerSetUpdatesTheConfigKeyAttributes() throws Exception {
        enableSiteA();
        String uuid = rbd.run("mirror pool peer add", POOL, "site-b").stdout().strip();
        assertOk(rbd.run("mirror pool peer set", POOL, uuid, "mon-host", "10.0.0.1"), "");
        assertEquals(Map.of("mon_host", "10.0.0.1"), rbd.attributes(POOL, uuid));
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, "AQBnewkey==\n");
        assertOk(rbd.run("mirror pool peer set", POOL, uuid, "key-file", keyFile.toString()), "");
        assertEquals(Map.of("mon_host", "10.0.0.1", "key", "AQBnewkey=="), rbd.attributes(POOL, uuid));
        assertOk(rbd.run("mirror pool peer set", POOL, uuid, "mon-host", ""), "");
        assertEquals(Map.of("key", "AQBnewkey=="), rbd.attributes(POOL, uuid));
    }

    @Test
    void peerSetKeyFileIsAFileTheCallerMustBeAllowedToName() throws Exception {
        enableSiteA();
        String uuid = rbd.run("mirror pool peer add", POOL, "site-b").stdout().strip();
        Path keyFile = dir.resolve("secret");
        Files.writeString(keyFile, "AQBsecret==\n");
        FilePolicy remote = (argument, path) -> {
            throw new CommandException(Errno.EACCES, "rbdm: permission denied: argument '" + argument + "' names "
                    + path);
        };
        CommandResult refused = rbd.runAs(remote, "mirror pool peer set", POOL, uuid, "key-file", keyFile.toString());
        assertEquals(-13, refused.code(), refused.stderr());
        assertOk(rbd.runAs(remote, "mirror pool peer set", POOL, uuid, "mon-host", "10.0.0.1"), "");
        assertEquals(Map.of("mon_host", "10.0.0.1"), rbd.attributes(POOL, uuid), "nothing was read into the key");
    }

    @Test
    void peerSetErrors() {
        enableSiteA();
        String uuid = rbd.run("mirror pool peer add", POOL, "site-b").stdout().strip();
        assertResult(rbd.run("mirror pool peer set", POOL, uuid, "colour", "red"), -22, "",
                "rbd: must specify 'client', 'cluster', 'direction', 'key-file', 'mon-host', 'site-name' key.\n");
        assertResult(rbd.run("mirror pool peer set", POOL, uuid, "direction", "sideways"), -22, "",
                "rbd: invalid direction\n");
        String other = "11111111-2222-4333-8444-555555555555";
        assertResult(rbd.run("mirror pool peer set", POOL, other, "mon-host", "h"), -2, "",
                "rbd: mirror peer " + other + " does not exist\n");
        assertEquals(null, rbd.attributes(POOL, other));
    }

    @Test
    void peerSetChangesNameClientAndDirection() {
        enableSiteA();
        String uuid = rbd.run("mirror pool peer add", POOL, "site-b").stdout().strip();
        assertOk(rbd.run("mirror pool peer set", POOL, uuid, "client", "client.other"), "");
        assertOk(rbd.run("mirror pool peer set", POOL, uuid, "direction", "rx-only"), "");
        assertOk(rbd.run("mirror pool peer set", POOL, uuid, "site-name", "site-c"), "");
        MirrorPeer peer = rbd.peers(POOL).get(0);
        assertEquals("client.other", peer.clientName());
        assertEquals(MirrorPeerDirection.RX_ONLY, peer.direction());
        assertEquals("site-c", peer.siteName());
        String other = "11111111-2222-4333-8444-555555555555";
        assertResult(rbd.run("mirror pool peer set", POOL, other, "client", "client.x"), -2, "",
                "rbd: mirror peer " + other + " does not exist\n");
    }

}
