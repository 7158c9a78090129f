package io.mirrorhost.rbd.scenario;

import static io.mirrorhost.rbd.scenario.RbdOutputs.TIME;
import static io.mirrorhost.rbd.scenario.RbdOutputs.array;
import static io.mirrorhost.rbd.scenario.RbdOutputs.object;
import static io.mirrorhost.rbd.scenario.RbdOutputs.withoutProgress;
import static io.mirrorhost.rbd.scenario.RbdOutputs.withoutTimes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.ModuleCommandLine;
import io.mirrorhost.api.testing.ScenarioSite;
import io.mirrorhost.rbd.RbdModule;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * rbd's image and snapshot commands, run through the rbd module's command handlers on a real cluster of
 * whichever backend {@link #openSite()} gives: one set of scenarios, every backend. Outputs are compared
 * exactly, with ids read back from JSON and printed times masked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
public abstract class RbdImageScenarios {
    private ScenarioSite site;
    private ModuleCommandLine rbd;
    private String pool;

    /** The site to run on; closed after the scenarios. */
    protected abstract ScenarioSite openSite();

    @BeforeAll
    void start() {
        site = openSite();
        rbd = site.start(new RbdModule(), new FakeClock(Instant.parse("2026-11-25T11:00:00Z")));
        pool = site.newPool("rbd-images");
    }

    @AfterAll
    void stop() {
        if (site != null) {
            site.close();
        }
    }

    private String id(String pool, String image) {
        return object(rbd.ok("info " + pool + "/" + image + " --format json")).getString("id");
    }

    private static void assertResult(int code, String stdout, String stderr, CommandResult actual) {
        assertEquals(stdout, withoutTimes(actual.stdout()), () -> "stdout of " + actual);
        assertEquals(stderr, withoutProgress(actual.stderr()), () -> "stderr of " + actual);
        assertEquals(code, actual.code(), () -> "code of " + actual);
    }

    @Test
    void createListAndInfo() {
        String pool = site.newPool("rbd-list");
        assertResult(0, "", "", rbd.run("create --size 8M " + pool + "/alpha"));
        assertResult(0, "", "", rbd.run("create --size 1G --image-feature layering,exclusive-lock " + pool + "/beta"));
        assertResult(-17, "", "librbd: rbd image alpha already exists\n\nrbd: create error: (17) File exists",
                rbd.run("create --size 8M " + pool + "/alpha"));

        assertResult(0, "alpha\nbeta\n", "", rbd.run("ls " + pool));
        assertResult(0, "[\"alpha\",\"beta\"]\n", "", rbd.run("ls " + pool + " --format json"));
        String alpha = id(pool, "alpha");
        String beta = id(pool, "beta");
        assertResult(0, ""
                + "NAME   SIZE   PARENT  FMT  PROT  LOCK\n"
                + "alpha  8 MiB            2            \n"
                + "beta   1 GiB            2            \n", "", rbd.run("ls -l " + pool));
        assertResult(0, "[{\"image\":\"alpha\",\"id\":\"" + alpha + "\",\"size\":8388608,\"format\":2},"
                + "{\"image\":\"beta\",\"id\":\"" + beta + "\",\"size\":1073741824,\"format\":2}]\n", "",
                rbd.run("ls -l " + pool + " --format json"));

        assertResult(0, "rbd image 'alpha':\n"
                + "\tsize 8 MiB in 2 objects\n"
                + "\torder 22 (4 MiB objects)\n"
                + "\tsnapshot_count: 0\n"
                + "\tid: " + alpha + "\n"
                + "\tblock_name_prefix: rbd_data." + alpha + "\n"
                + "\tformat: 2\n"
                + "\tfeatures: layering, exclusive-lock, object-map, fast-diff, deep-flatten\n"
                + "\top_features: \n"
                + "\tflags: \n"
                + "\tcreate_timestamp: " + TIME + "\n"
                + "\taccess_timestamp: " + TIME + "\n"
                + "\tmodify_timestamp: " + TIME + "\n", "", rbd.run("info " + pool + "/alpha"));
        assertResult(0, "{\"name\":\"beta\",\"id\":\"" + beta + "\",\"size\":1073741824,\"objects\":256,\"order\":22,"
                + "\"object_size\":4194304,\"snapshot_count\":0,\"block_name_prefix\":\"rbd_data." + beta + "\","
                + "\"format\":2,\"features\":[\"layering\",\"exclusive-lock\"],\"op_features\":[],\"flags\":[],"
                + "\"create_timestamp\":\"" + TIME + "\",\"access_timestamp\":\"" + TIME + "\","
                + "\"modify_timestamp\":\"" + TIME + "\"}\n", "", rbd.run("info " + pool + "/beta --format json"));

        assertResult(-2, "", "rbd: error opening image nope: (2) No such file or directory",
                rbd.run("info " + pool + "/nope"));
    }

    @Test
    void snapshotsCreateListAndRemove() {
        rbd.ok("create --size 8M " + pool + "/snapped");
        assertResult(0, "", "Creating snap: 100% complete...done.\n",
                rbd.run("snap create " + pool + "/snapped@first"));
        rbd.ok("snap create " + pool + "/snapped@second");
        assertResult(-17, "", "Creating snap: 0% complete...failed.\n"
                + "rbd: failed to create snapshot: (17) File exists",
                rbd.run("snap create " + pool + "/snapped@first"));

        JsonObject first = array(rbd.ok("snap ls " + pool + "/snapped --format json")).getJsonObject(0);
        JsonObject second = array(rbd.ok("snap ls " + pool + "/snapped --format json")).getJsonObject(1);
        assertEquals("first", first.getString("name"));
        assertEquals("second", second.getString("name"));
        assertResult(0, String.format(""
                + "SNAPID  NAME    SIZE   PROTECTED  TIMESTAMP               \n"
                + "%6d  first   8 MiB             " + TIME + "\n"
                + "%6d  second  8 MiB             " + TIME + "\n", first.getLong("id"), second.getLong("id")), "",
                rbd.run("snap ls " + pool + "/snapped"));
        assertResult(0, "[{\"id\":" + first.getLong("id") + ",\"name\":\"first\",\"size\":8388608,"
                + "\"protected\":\"false\",\"timestamp\":\"" + TIME + "\"},{\"id\":" + second.getLong("id")
                + ",\"name\":\"second\",\"size\":8388608,\"protected\":\"false\",\"timestamp\":\"" + TIME + "\"}]\n", "",
                rbd.run("snap ls " + pool + "/snapped --format json"));
        assertEquals(2L, object(rbd.ok("info " + pool + "/snapped --format json")).getLong("snapshot_count"));

        assertResult(0, "", "Removing snap: 100% complete...done.\n", rbd.run("snap rm " + pool + "/snapped@first"));
        assertResult(-2, "", "Removing snap: 0% complete...failed.\n"
                + "rbd: failed to remove snapshot: (2) No such file or directory",
                rbd.run("snap rm " + pool + "/snapped@first"));
        assertEquals(1, array(rbd.ok("snap ls " + pool + "/snapped --format json")).size());
        assertResult(-39, "", "Removing image: 0% complete...failed.\n"
                + "rbd: image has snapshots - these must be deleted with 'rbd snap purge' before the image can be"
                + " removed.", rbd.run("rm " + pool + "/snapped"));
    }

    @Test
    void resizeGrowsAndShrinksOnlyWhenAllowed() {
        rbd.ok("create --size 8M " + pool + "/sized");
        assertResult(0, "", "Resizing image: 100% complete...done.\n", rbd.run("resize --size 16M " + pool + "/sized"));
        assertEquals(16L << 20, object(rbd.ok("info " + pool + "/sized --format json")).getLong("size"));
        assertResult(-22, "", "rbd: shrinking an image is only allowed with the --allow-shrink flag",
                rbd.run("resize --size 4M " + pool + "/sized"));
        assertEquals(16L << 20, object(rbd.ok("info " + pool + "/sized --format json")).getLong("size"));
        assertEquals(0, rbd.run("resize --size 4M --allow-shrink " + pool + "/sized").code());
        JsonObject info = object(rbd.ok("info " + pool + "/sized --format json"));
        assertEquals(4L << 20, info.getLong("size"));
        assertEquals(1, info.getInteger("objects"));
        assertResult(-2, "", "rbd: error opening image nope: (2) No such file or directory",
                rbd.run("resize --size 4M " + pool + "/nope"));
    }

    /** Names taken or missing: librbd's reason, then rbd's line, as rbd 16.2.15 printed them. */
    @Test
    void renameRefusesTakenAndMissingNames() {
        String pool = site.newPool("rbd-names");
        rbd.ok("create --size 8M " + pool + "/one");
        rbd.ok("create --size 8M " + pool + "/two");
        assertResult(-17, "", "librbd::Operations: rbd image two already exists\n\nrbd: rename error: (17) File exists",
                rbd.run("rename " + pool + "/one " + pool + "/two"));
        assertResult(-17, "", "librbd::Operations: rbd image one already exists\n\nrbd: rename error: (17) File exists",
                rbd.run("rename " + pool + "/one " + pool + "/one"));
        assertResult(-2, "", "librbd: error opening source image: (2) No such file or directory\n\n"
                + "rbd: rename error: (2) No such file or directory", rbd.run("rename " + pool + "/nope " + pool + "/three"));
        assertResult(0, "", "", rbd.run("rename " + pool + "/one " + pool + "/three"));
        assertEquals("three\ntwo\n", rbd.ok("ls " + pool));
    }

    /** librbd's refusals and the object-map flags, as rbd 16.2.15 printed them for the same sequence. */
    @Test
    void featuresAndTheObjectMap() {
        String pool = site.newPool("rbd-features");
        assertResult(-22, "", "librbd::image::CreateRequest: validate_features: cannot use journaling without"
                + " exclusive lock\n\nrbd: create error: (22) Invalid argument",
                rbd.run("create --size 8M --image-feature journaling " + pool + "/no-lock"));
        assertResult(0, "", "", rbd.run("create --size 8M --image-feature layering,exclusive-lock " + pool + "/img"));
        assertResult(0, "", "", rbd.run("snap create --no-progress " + pool + "/img@s1"));
        assertResult(0, "", "", rbd.run("feature enable " + pool + "/img object-map"));
        JsonObject info = object(rbd.ok("info " + pool + "/img --format json"));
        assertEquals("[\"layering\",\"exclusive-lock\",\"object-map\",\"fast-diff\"]",
                info.getJsonArray("features").encode());
        String invalid = "[\"object map invalid\",\"fast diff invalid\"]";
        assertEquals(invalid, info.getJsonArray("flags").encode());
        assertEquals(invalid, object(rbd.ok("info " + pool + "/img@s1 --format json")).getJsonArray("flags").encode());
        assertResult(0, "", "", rbd.run("object-map rebuild --no-progress " + pool + "/img"));
        assertEquals("[]", object(rbd.ok("info " + pool + "/img --format json")).getJsonArray("flags").encode());
        assertEquals(invalid, object(rbd.ok("info " + pool + "/img@s1 --format json")).getJsonArray("flags").encode());
        assertResult(0, "", "", rbd.run("object-map rebuild --no-progress " + pool + "/img@s1"));
        assertEquals("[]", object(rbd.ok("info " + pool + "/img@s1 --format json")).getJsonArray("flags").encode());
        assertResult(-22, "", "librbd::Operations: one or more requested features are already enabled\n\n"
                + "rbd: failed to update image features: (22) Invalid argument",
                rbd.run("feature enable " + pool + "/img fast-diff"));
        assertResult(0, "", "", rbd.run("feature enable " + pool + "/img journaling"));
        assertResult(-22, "", "librbd::DisableFeaturesRequest: cannot disable exclusive-lock. object-map or journaling"
                + " must be disabled before disabling exclusive-lock.\n\n"
                + "rbd: failed to update image features: (22) Invalid argument",
                rbd.run("feature disable " + pool + "/img exclusive-lock"));
        assertResult(0, "", "", rbd.run("feature disable " + pool + "/img fast-diff"));
        assertEquals("[\"layering\",\"exclusive-lock\",\"journaling\"]",
                object(rbd.ok("info " + pool + "/img --format json")).getJsonArray("features").encode());
        assertResult(-22, "", "librbd::Operations: image must support object-map feature\n\n"
                + "rbd: rebuilding object map failed: (22) Invalid argument",
                rbd.run("object-map rebuild --no-progress " + pool + "/img"));
        assertResult(-22, "", "librbd::Operations: cannot update immutable features\n\n"
                + "rbd: failed to update image features: (22) Invalid argument",
                rbd.run("feature disable " + pool + "/img layering"));
    }
}
