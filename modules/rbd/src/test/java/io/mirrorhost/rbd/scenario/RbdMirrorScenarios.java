package io.mirrorhost.rbd.scenario;

import static io.mirrorhost.rbd.scenario.RbdOutputs.TIME;
import static io.mirrorhost.rbd.scenario.RbdOutputs.array;
import static io.mirrorhost.rbd.scenario.RbdOutputs.object;
import static io.mirrorhost.rbd.scenario.RbdOutputs.withoutProgress;
import static io.mirrorhost.rbd.scenario.RbdOutputs.withoutTimes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.ModuleCommandLine;
import io.mirrorhost.api.testing.ScenarioSite;
import io.mirrorhost.rbd.RbdModule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * rbd's mirroring commands through the rbd module's handlers on a real cluster of whichever backend
 * {@link #openSite()} gives: pool modes and peers, image enable/disable, promote/demote and the
 * sequences librbd refuses, mirror-snapshots and their pruning, and the status of a primary that no
 * mirror daemon reports on. One site, its peer added by name ({@code mirror pool peer add}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
public abstract class RbdMirrorScenarios {
    /** librbd's {@code rbd_mirroring_max_mirroring_snapshots} default. */
    private static final int MAX_MIRROR_SNAPSHOTS = 5;

    private ScenarioSite site;
    private ModuleCommandLine rbd;
    /** A pool in image mode with one peer, site-b. */
    private String pool;
    private String peer;

    /** The site to run on; closed after the scenarios. */
    protected abstract ScenarioSite openSite();

    @BeforeAll
    void start() {
        site = openSite();
        rbd = site.start(new RbdModule(), new FakeClock(Instant.parse("2026-11-25T11:00:00Z")));
        pool = site.newPool("rbd-mirror");
        rbd.ok("mirror pool enable " + pool + " image");
        peer = rbd.ok("mirror pool peer add " + pool + " client.remote@site-b").trim();
    }

    @AfterAll
    void stop() {
        if (site != null) {
            site.close();
        }
    }

    private static void assertResult(int code, String stdout, String stderr, CommandResult actual) {
        assertEquals(stdout, withoutTimes(actual.stdout()), () -> "stdout of " + actual);
        assertEquals(stderr, withoutProgress(actual.stderr()), () -> "stderr of " + actual);
        assertEquals(code, actual.code(), () -> "code of " + actual);
    }

    private static void assertOk(String stdout, CommandResult actual) {
        assertResult(0, stdout, "", actual);
    }

    private JsonObject info(String image) {
        return object(rbd.ok("info " + pool + "/" + image + " --format json"));
    }

    /** The image's mirror-snapshots as {@code snap ls --all --format json} lists them, oldest first. */
    private List<JsonObject> mirrorSnapshots(String image) {
        JsonArray all = array(rbd.ok("snap ls --all " + pool + "/" + image + " --format json"));
        List<JsonObject> mirror = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            JsonObject snap = all.getJsonObject(i);
            if ("mirror".equals(snap.getJsonObject("namespace").getString("type"))) {
                mirror.add(snap);
            }
        }
        return mirror;
    }

    @Test
    void poolModesAndPeers() {
        String p = site.newPool("rbd-mirror-pool");
        assertOk("Mode: disabled\n", rbd.run("mirror pool info " + p));
        assertOk("{\"mode\":\"disabled\"}\n", rbd.run("mirror pool info " + p + " --format json"));
        assertResult(-22, "", "rbd: must specify 'image' or 'pool' mode.\n", rbd.run("mirror pool enable " + p
                + " disabled"));

        assertOk("", rbd.run("mirror pool enable " + p + " image"));
        assertOk("Mode: image\nSite Name: " + site.name() + "\n\nPeer Sites: none\n", rbd.run("mirror pool info " + p));
        assertOk("{\"mode\":\"image\",\"site_name\":\"" + site.name() + "\",\"peers\":[]}\n",
                rbd.run("mirror pool info " + p + " --format json"));

        CommandResult added = rbd.run("mirror pool peer add " + p + " client.remote@site-b");
        assertEquals(0, added.code(), added::toString);
        String uuid = added.stdout().trim();
        assertTrue(uuid.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), uuid);
        assertOk("Mode: image\nSite Name: " + site.name() + "\n\nPeer Sites: \n\n"
                + "UUID: " + uuid + "\nName: site-b\nMirror UUID: \nDirection: rx-tx\nClient: client.remote\n",
                rbd.run("mirror pool info " + p));
        assertOk("{\"mode\":\"image\",\"site_name\":\"" + site.name() + "\",\"peers\":[{\"uuid\":\"" + uuid
                + "\",\"direction\":\"rx-tx\",\"site_name\":\"site-b\",\"mirror_uuid\":\"\","
                + "\"client_name\":\"client.remote\"}]}\n", rbd.run("mirror pool info " + p + " --format json"));
        assertResult(-22, "", "rbd: multiple RX peers are not currently supported\n",
                rbd.run("mirror pool peer add " + p + " client.other@site-c"));
        assertResult(-22, "", "rbd: invalid uuid 'nope'\n", rbd.run("mirror pool peer remove " + p + " nope"));
        assertResult(-16, "", "librbd::api::Mirror: mode_set: mirror peers still registered\n\n",
                rbd.run("mirror pool disable " + p));

        assertOk("note: changing mirroring mode from image to pool\n", rbd.run("mirror pool enable " + p + " pool"));
        assertTrue(rbd.ok("mirror pool info " + p).startsWith("Mode: pool\n"));
        assertOk("", rbd.run("mirror pool peer remove " + p + " " + uuid));
        assertOk("Mode: pool\nSite Name: " + site.name() + "\n\nPeer Sites: none\n", rbd.run("mirror pool info " + p));
        assertOk("", rbd.run("mirror pool disable " + p));
        assertOk("Mode: disabled\n", rbd.run("mirror pool info " + p));
    }

    @Test
    void peerAttributesShowWithAll() throws IOException {
        String p = site.newPool("rbd-mirror-attrs");
        rbd.ok("mirror pool enable " + p + " image");
        Path keyFile = Files.createTempFile("peer", ".key");
        try {
            Files.writeString(keyFile, "AQBkZWNsYXJlZGtleWZvcnNjZW5hcmlvcw==\n");
            String uuid = rbd.ok("mirror pool peer add " + p + " client.remote@site-b --remote-mon-host"
                    + " 127.0.0.1:3300 --remote-key-file " + keyFile).trim();
            assertOk("Mode: image\nSite Name: " + site.name() + "\n\nPeer Sites: \n\n"
                    + "UUID: " + uuid + "\nName: site-b\nMirror UUID: \nDirection: rx-tx\nClient: client.remote\n"
                    + "Mon Host: 127.0.0.1:3300\nKey: AQBkZWNsYXJlZGtleWZvcnNjZW5hcmlvcw==\n",
                    rbd.run("mirror pool info " + p + " --all"));
            assertOk("{\n"
                    + "    \"mode\": \"image\",\n"
                    + "    \"site_name\": \"" + site.name() + "\",\n"
                    + "    \"peers\": [\n"
                    + "        {\n"
                    + "            \"uuid\": \"" + uuid + "\",\n"
                    + "            \"direction\": \"rx-tx\",\n"
                    + "            \"site_name\": \"site-b\",\n"
                    + "            \"mirror_uuid\": \"\",\n"
                    + "            \"client_name\": \"client.remote\",\n"
                    + "            \"key\": \"AQBkZWNsYXJlZGtleWZvcnNjZW5hcmlvcw==\",\n"
                    + "            \"mon_host\": \"127.0.0.1:3300\"\n"
                    + "        }\n"
                    + "    ]\n"
                    + "}\n", rbd.run("mirror pool info " + p + " --all --format json --pretty-format"));
            assertFalse(rbd.ok("mirror pool info " + p).contains("Key:"), "attributes only with --all");
        } finally {
            Files.delete(keyFile);
        }
        assertResult(-22, "", "rbd: failed to open " + keyFile + "\n",
                rbd.run("mirror pool peer add " + p + " client.x@site-c --remote-key-file " + keyFile));
    }

    @Test
    void namespacesAndTheirMirroring() {
        String p = site.newPool("rbd-mirror-ns");
        assertOk("", rbd.run("namespace create " + p + "/tenant"));
        assertResult(-17, "", "rbd: failed to created namespace: (17) File exists",
                rbd.run("namespace create " + p + "/tenant"));
        assertOk("NAME  \ntenant\n", rbd.run("namespace ls " + p));
        assertOk("[{\"name\":\"tenant\"}]\n", rbd.run("namespace ls " + p + " --format json"));
        rbd.ok("create --size 8M " + p + "/tenant/img");
        assertOk("img\n", rbd.run("ls " + p + "/tenant"));
        assertOk("", rbd.run("ls " + p));

        rbd.ok("mirror pool enable " + p + " image");
        assertOk("", rbd.run("mirror pool enable " + p + "/tenant image"));
        assertOk("Mode: image\n", rbd.run("mirror pool info " + p + "/tenant"));
        assertOk("{\"mode\":\"image\"}\n", rbd.run("mirror pool info " + p + "/tenant --format json"));
        assertOk("Mirroring enabled\n", rbd.run("mirror image enable " + p + "/tenant/img snapshot"));
        assertEquals("snapshot", object(rbd.ok("info " + p + "/tenant/img --format json")).getJsonObject("mirroring")
                .getString("mode"));

        assertResult(-16, "", "rbd: namespace contains images which must be deleted first.",
                rbd.run("namespace rm " + p + "/tenant"));
        assertOk("Mirroring disabled\n", rbd.run("mirror image disable " + p + "/tenant/img"));
        rbd.ok("rm " + p + "/tenant/img");
        assertOk("", rbd.run("mirror pool disable " + p + "/tenant"));
        assertOk("", rbd.run("namespace rm " + p + "/tenant"));
        assertOk("", rbd.run("namespace ls " + p));
    }

    @Test
    void imageEnableInfoStatusAndDisable() {
        String image = pool + "/enabled";
        rbd.ok("create --size 8M " + image);
        assertResult(-22, "", "rbd: mirroring not enabled on the image\n", rbd.run("mirror image status " + image));
        assertFalse(info("enabled").containsKey("mirroring"));

        assertOk("Mirroring enabled\n", rbd.run("mirror image enable " + image + " snapshot"));
        JsonObject info = info("enabled");
        String id = info.getString("id");
        String globalId = info.getJsonObject("mirroring").getString("global_id");
        assertEquals(new JsonObject().put("mode", "snapshot").put("state", "enabled").put("global_id", globalId)
                .put("primary", true), info.getJsonObject("mirroring"));
        assertEquals(1L, info.getLong("snapshot_count"), "enabling takes the first mirror-snapshot");
        assertOk("rbd image 'enabled':\n"
                + "\tsize 8 MiB in 2 objects\n"
                + "\torder 22 (4 MiB objects)\n"
                + "\tsnapshot_count: 1\n"
                + "\tid: " + id + "\n"
                + "\tblock_name_prefix: rbd_data." + id + "\n"
                + "\tformat: 2\n"
                + "\tfeatures: layering, exclusive-lock, object-map, fast-diff, deep-flatten\n"
                + "\top_features: \n"
                + "\tflags: \n"
                + "\tcreate_timestamp: " + TIME + "\n"
                + "\taccess_timestamp: " + TIME + "\n"
                + "\tmodify_timestamp: " + TIME + "\n"
                + "\tmirroring state: enabled\n"
                + "\tmirroring mode: snapshot\n"
                + "\tmirroring global id: " + globalId + "\n"
                + "\tmirroring primary: true\n", rbd.run("info " + image));
        assertOk("Mirroring enabled\n", rbd.run("mirror image enable " + image + " snapshot"));

        // No mirror daemon reports on this site in these scenarios, on any backend.
        JsonObject snap = mirrorSnapshots("enabled").get(0);
        assertOk("enabled:\n"
                + "  global_id:   " + globalId + "\n"
                + "  state:       down+unknown\n"
                + "  description: status not found\n"
                + "  last_update: \n"
                + "  snapshots:\n"
                + "    " + snap.getLong("id") + " " + snap.getString("name") + " (peer_uuids:[" + peer + "])\n",
                rbd.run("mirror image status " + image));
        assertOk("{\"name\":\"enabled\",\"global_id\":\"" + globalId + "\",\"state\":\"down+unknown\","
                + "\"description\":\"status not found\",\"last_update\":\"\",\"snapshots\":[{\"id\":"
                + snap.getLong("id") + ",\"name\":\"" + snap.getString("name") + "\",\"demoted\":false,"
                + "\"mirror_peer_uuids\":[\"" + peer + "\"]}]}\n", rbd.run("mirror image status " + image
                + " --format json"));

        assertOk("Mirroring disabled\n", rbd.run("mirror image disable " + image));
        assertFalse(info("enabled").containsKey("mirroring"));
        assertEquals(List.of(), mirrorSnapshots("enabled"), "disabling removes the mirror-snapshots");
        assertResult(-22, "", "rbd: mirroring not enabled on the image\n", rbd.run("mirror image status " + image));
    }

    @Test
    void promoteAndDemoteRefuseWhatLibrbdRefuses() {
        String image = pool + "/flip";
        rbd.ok("create --size 8M " + image);
        assertResult(-22, "", "rbd: mirroring not enabled on the image\n", rbd.run("mirror image promote " + image));
        assertResult(-22, "", "rbd: mirroring not enabled on the image\n", rbd.run("mirror image demote " + image));
        rbd.ok("mirror image enable " + image + " snapshot");

        assertResult(-22, "", "librbd::mirror::PromoteRequest: handle_get_info: image is already primary\n\n"
                + "librbd::api::Mirror: image_promote: failed to promote image\n\n"
                + "rbd: error promoting image to primary\n", rbd.run("mirror image promote " + image));
        assertOk("Image demoted to non-primary\n", rbd.run("mirror image demote " + image));
        assertFalse(info("flip").getJsonObject("mirroring").getBoolean("primary"));
        assertEquals(List.of("primary", "demoted"), mirrorSnapshots("flip").stream()
                .map(s -> s.getJsonObject("namespace").getString("state")).toList());
        assertResult(-22, "", "librbd::mirror::DemoteRequest: handle_get_info: image is not primary\n\n"
                + "librbd::api::Mirror: image_demote: failed to demote image\n\n"
                + "rbd: error demoting image to non-primary\n", rbd.run("mirror image demote " + image));
        assertResult(-22, "", "librbd::mirror::DisableRequest: handle_get_mirror_info: mirrored image is not primary,"
                + " add force option to disable mirroring\n\n"
                + "librbd::api::Mirror: image_disable: cannot disable mirroring: (22) Invalid argument\n\n",
                rbd.run("mirror image disable " + image));
        assertResult(-22, "", "librbd::mirror::snapshot::util:  can_create_primary_snapshot: trying to create"
                + " primary snapshot without force when previous primary snapshot is demoted\n\n"
                + "rbd: error creating snapshot: (22) Invalid argument\n",
                rbd.run("mirror image snapshot " + image));

        assertOk("Image promoted to primary\n", rbd.run("mirror image promote " + image));
        assertTrue(info("flip").getJsonObject("mirroring").getBoolean("primary"));
        assertEquals(List.of("primary", "demoted", "primary"), mirrorSnapshots("flip").stream()
                .map(s -> s.getJsonObject("namespace").getString("state")).toList());
    }

    @Test
    void mirrorSnapshotsArePrunedAtTheLimit() {
        String image = pool + "/pruned";
        rbd.ok("create --size 8M " + image);
        assertResult(-22, "", "rbd: mirroring not enabled on the image\n", rbd.run("mirror image snapshot " + image));
        rbd.ok("mirror image enable " + image + " snapshot");
        String first = mirrorSnapshots("pruned").get(0).getString("name");

        List<Long> taken = new ArrayList<>();
        for (int i = 1; i <= MAX_MIRROR_SNAPSHOTS; i++) {
            CommandResult r = rbd.run("mirror image snapshot " + image);
            List<JsonObject> snaps = mirrorSnapshots("pruned");
            JsonObject newest = snaps.get(snaps.size() - 1);
            assertOk("Snapshot ID: " + newest.getLong("id") + "\n", r);
            taken.add(newest.getLong("id"));
            assertEquals(Math.min(i + 1, MAX_MIRROR_SNAPSHOTS), snaps.size(), snaps::toString);
        }
        // At the limit librbd 16.2.15 unlinks the newest older snapshot, not the oldest, which rbd-mirror may
        // still be syncing from ("unlink newest mirror snapshot when at capacity").
        List<JsonObject> left = mirrorSnapshots("pruned");
        assertEquals(first, left.get(0).getString("name"));
        assertEquals(List.of(taken.get(0), taken.get(1), taken.get(2), taken.get(4)),
                left.subList(1, left.size()).stream().map(s -> s.getLong("id")).toList());
        for (JsonObject snap : left) {
            JsonObject ns = snap.getJsonObject("namespace");
            assertEquals("primary", ns.getString("state"));
            assertEquals(new JsonArray().add(peer), ns.getJsonArray("mirror_peer_uuids"));
            assertTrue(ns.getBoolean("complete"));
        }
        assertEquals(0, array(rbd.ok("snap ls " + image + " --format json")).size(), "user snapshots only");
    }

    @Test
    void removingAnImageTakesItsMirrorSnapshots() {
        String image = pool + "/removed";
        rbd.ok("create --size 8M " + image);
        rbd.ok("mirror image enable " + image + " snapshot");
        rbd.ok("mirror image snapshot " + image);
        assertEquals(2, mirrorSnapshots("removed").size());
        String globalId = info("removed").getJsonObject("mirroring").getString("global_id");

        // a user snapshot still stops the removal, as librbd's PreRemoveRequest only lets mirror-snapshots go
        rbd.ok("snap create " + image + "@user");
        assertResult(-39, "", "Removing image: 0% complete...failed.\n"
                + "rbd: image has snapshots - these must be deleted with 'rbd snap purge' before the image can be"
                + " removed.", rbd.run("rm " + image));
        rbd.ok("snap rm " + image + "@user");

        assertResult(0, "", "Removing image: 100% complete...done.\n", rbd.run("rm " + image));
        assertResult(-2, "", "rbd: error opening image removed: (2) No such file or directory",
                rbd.run("snap ls --all " + image));
        assertFalse(rbd.ok("mirror pool status " + pool + " --verbose --format json").contains(globalId),
                "the removed image's mirroring is gone with it");
        rbd.ok("create --size 8M " + image);
        assertEquals(0, array(rbd.ok("snap ls --all " + image + " --format json")).size());
        assertFalse(info("removed").containsKey("mirroring"));
        assertOk("", rbd.run("rm --no-progress " + image));
    }

    @Test
    void journalModeImagesTakeNoMirrorSnapshots() {
        String image = pool + "/journaled";
        rbd.ok("create --size 8M " + image);
        assertOk("Mirroring enabled\n", rbd.run("mirror image enable " + image + " journal"));
        JsonObject info = info("journaled");
        assertEquals("journal", info.getJsonObject("mirroring").getString("mode"));
        assertTrue(info.getJsonArray("features").contains("journaling"), info::encode);
        assertResult(-22, "", "rbd: snapshot based mirroring not enabled on the image\n",
                rbd.run("mirror image snapshot " + image));
        assertEquals(List.of(), mirrorSnapshots("journaled"));
        assertOk("Mirroring disabled\n", rbd.run("mirror image disable " + image));
    }
}
