package io.mirrorhost.rbd.command;

import static io.mirrorhost.rbd.testing.RbdModuleFixture.ctime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.rbd.testing.Await;
import io.mirrorhost.rbd.testing.CommandRunner.Outcome;
import io.mirrorhost.rbd.testing.RbdModuleFixture;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create, ls, info, rm, resize, rename and feature against a real cluster, with rbd 16.2's exact outputs. */
class ImageCommandsTest {
    @TempDir
    static Path dataDir;
    static RbdModuleFixture rbd;

    @BeforeAll
    static void start() throws Exception {
        rbd = new RbdModuleFixture(dataDir);
        rbd.pool("image-pool");
        rbd.pool("empty-pool");
    }

    @AfterAll
    static void stop() throws Exception {
        rbd.close();
    }

    private static void assertOutcome(Outcome actual, int code, String stdout, String stderr) {
        assertEquals(code, actual.code(), actual::toString);
        assertEquals(stdout, actual.stdout(), actual::toString);
        assertEquals(stderr, actual.stderr(), actual::toString);
    }

    private static void assertOk(Outcome actual, String stdout) {
        assertOutcome(actual, 0, stdout, "");
    }

    private static void assertError(Outcome actual, int errno, String stderr) {
        assertOutcome(actual, -errno, "", stderr);
    }

    @Test
    void createWithDefaultsAndInfoPlainAndJson() throws Exception {
        assertOk(rbd.rbd("create").arg("size", "1G").arg("image-spec", "image-pool/image-1").run(), "");
        ImageInfo info = rbd.info("image-pool", "image-1");
        String id = info.id();
        String created = ctime(info.createTimestamp());
        String accessed = ctime(info.accessTimestamp());
        String modified = ctime(info.modifyTimestamp());
        assertOk(rbd.rbd("info").arg("image-or-snap-spec", "image-pool/image-1").run(),
                "rbd image 'image-1':\n"
                        + "\tsize 1 GiB in 256 objects\n"
                        + "\torder 22 (4 MiB objects)\n"
                        + "\tsnapshot_count: 0\n"
                        + "\tid: " + id + "\n"
                        + "\tblock_name_prefix: rbd_data." + id + "\n"
                        + "\tformat: 2\n"
                        + "\tfeatures: layering, exclusive-lock, object-map, fast-diff, deep-flatten\n"
                        + "\top_features: \n"
                        + "\tflags: \n"
                        + "\tcreate_timestamp: " + created + "\n"
                        + "\taccess_timestamp: " + accessed + "\n"
                        + "\tmodify_timestamp: " + modified + "\n");
        assertOk(rbd.rbd("info").arg("pool", "image-pool").arg("image", "image-1").json().run(),
                "{\"name\":\"image-1\",\"id\":\"" + id + "\",\"size\":1073741824,\"objects\":256,\"order\":22,"
                        + "\"object_size\":4194304,\"snapshot_count\":0,\"block_name_prefix\":\"rbd_data." + id + "\","
                        + "\"format\":2,\"features\":[\"layering\",\"exclusive-lock\",\"object-map\",\"fast-diff\","
                        + "\"deep-flatten\"],\"op_features\":[],\"flags\":[],\"create_timestamp\":\"" + created + "\","
                        + "\"access_timestamp\":\"" + accessed + "\",\"modify_timestamp\":\"" + modified + "\"}\n");
        Outcome pretty = rbd.rbd("info").arg("image-or-snap-spec", "image-pool/image-1").json().pretty().run();
        assertTrue(pretty.stdout().startsWith("{\n    \"name\": \"image-1\",\n    \"id\": \"" + id + "\",\n"),
                pretty::toString);
        assertTrue(pretty.stdout().contains("    \"features\": [\n        \"layering\",\n"), pretty::toString);
        assertTrue(pretty.stdout().endsWith("    \"modify_timestamp\": \"" + modified + "\"\n}\n"), pretty::toString);
    }

    @Test
    void createWithFeaturesSizesAndOptions() throws Exception {
        assertOk(rbd.rbd("create").arg("size", "1G").add("image-feature", "layering,exclusive-lock")
                .arg("image-spec", "image-pool/feat-2").run(), "");
        assertEquals(EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK),
                rbd.info("image-pool", "feat-2").features());
        assertOk(rbd.rbd("create").arg("size", "1G").add("image-feature", "exclusive-lock")
                .add("image-feature", "journaling").arg("image-spec", "image-pool/feat-3").run(), "");
        assertEquals(EnumSet.of(ImageFeature.EXCLUSIVE_LOCK, ImageFeature.JOURNALING),
                rbd.info("image-pool", "feat-3").features());
        assertOk(rbd.rbd("create").arg("size", "100").arg("image-spec", "image-pool/size-mb").run(), "");
        assertEquals(100L << 20, rbd.info("image-pool", "size-mb").size());
        assertOk(rbd.rbd("create").arg("size", "64M").arg("pool", "image-pool").arg("image-spec", "size-flag").run(), "");
        assertEquals(64L << 20, rbd.info("image-pool", "size-flag").size());
        assertOk(rbd.rbd("create").arg("size", "0").arg("image-spec", "image-pool/size-zero").run(), "");
        assertEquals(0, rbd.info("image-pool", "size-zero").size());
        assertOk(rbd.rbd("create").arg("size", "8M").arg("object-size", "1M").arg("image-spec", "image-pool/order-20")
                .run(), "");
        assertEquals(20, rbd.info("image-pool", "order-20").order());
        // rbd 16.2 takes any size and rounds its log2 to the nearest order (get_image_options):
        // 3K is 4 KiB objects, 6K 8 KiB; the real rbd accepts --object-size 3K before connecting
        assertOk(rbd.rbd("create").arg("size", "8M").arg("object-size", "3K").arg("image-spec", "image-pool/order-12")
                .run(), "");
        assertEquals(12, rbd.info("image-pool", "order-12").order());
        assertOk(rbd.rbd("create").arg("size", "8M").arg("object-size", "6K").arg("image-spec", "image-pool/order-13")
                .run(), "");
        assertEquals(13, rbd.info("image-pool", "order-13").order());

        Outcome info = rbd.rbd("info").arg("image-or-snap-spec", "image-pool/feat-3").run();
        assertTrue(info.stdout().contains("\tfeatures: exclusive-lock, journaling\n"), info::toString);
        assertTrue(info.stdout().endsWith("\tjournal: " + rbd.info("image-pool", "feat-3").id()
                + "\n\tmirroring state: disabled\n"), info::toString);
        Outcome json = rbd.rbd("info").arg("image-or-snap-spec", "image-pool/feat-3").json().run();
        assertTrue(json.stdout().endsWith(",\"journal\":\"" + rbd.info("image-pool", "feat-3").id()
                + "\",\"mirroring\":{\"mode\":\"journal\",\"state\":\"disabled\"}}\n"), json::toString);
        Outcome mb = rbd.rbd("info").arg("image-or-snap-spec", "image-pool/size-mb").run();
        assertTrue(mb.stdout().startsWith("rbd image 'size-mb':\n\tsize 100 MiB in 25 objects\n"
                + "\torder 22 (4 MiB objects)\n"), mb::toString);
    }

    @Test
    void createErrorsAreRbds() throws Exception {
        assertOk(rbd.rbd("create").arg("size", "1G").arg("image-spec", "image-pool/exists").run(), "");
        assertError(rbd.rbd("create").arg("size", "1G").arg("image-spec", "image-pool/exists").run(), 17,
                "librbd: rbd image exists already exists\n\nrbd: create error: (17) File exists");
        for (String bad : List.of("abc", "-1G", "1X")) {
            assertError(rbd.rbd("create").arg("size", bad).arg("image-spec", "image-pool/bad").run(), 1,
                    "rbd: the argument for option '--size' is invalid");
        }
        assertError(rbd.rbd("create").arg("image-spec", "image-pool/no-size").run(), 22,
                "rbd: must specify --size <M/G/T>");
        assertError(rbd.rbd("create").arg("size", "1G").add("image-feature", "bogus")
                .arg("image-spec", "image-pool/bad").run(), 1, "rbd: the argument for option '--image-feature' is invalid");
        assertError(rbd.rbd("create").arg("size", "1G").add("image-feature", "journaling")
                .arg("image-spec", "image-pool/journal-no-lock").run(), 22, "librbd::image::CreateRequest: "
                + "validate_features: cannot use journaling without exclusive lock\n\nrbd: create error: (22) Invalid argument");
        assertError(rbd.rbd("create").arg("size", "1G").add("image-feature", "journaling,object-map")
                .arg("image-spec", "image-pool/object-map-no-lock").run(), 22, "librbd::image::CreateRequest: "
                + "validate_features: cannot use object map without exclusive lock\n\nrbd: create error: (22) Invalid argument");
        // features are librbd's to check: a missing pool is reported first, as rbd opens the pool first
        assertError(rbd.rbd("create").arg("size", "1G").add("image-feature", "journaling")
                .arg("image-spec", "no-such-pool/image-x").run(), 2,
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory");
        assertError(rbd.rbd("create").arg("size", "1G").arg("image-spec", "no-such-pool/image-x").run(), 2,
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory");
        assertError(rbd.rbd("create").arg("size", "1G").arg("image-spec", "image-pool/no-such-ns/image-x").run(), 2,
                "rbd: namespace 'no-such-ns' does not exist.");
        assertError(rbd.rbd("create").arg("size", "1G").arg("image-spec", "image-pool/bad@name").run(), 22,
                "rbd: snapshot name specified for a command that doesn't use it");
        assertError(rbd.rbd("create").arg("size", "1G").run(), 22, "rbd: image name was not specified");
        assertError(rbd.rbd("create").arg("size", "1G").arg("image-spec", "image-x").run(), 2,
                "rbd: error opening default pool 'rbd'\n"
                        + "Ensure that the default pool has been created or specify an alternate pool name.");
        List<String> names = Await.result(rbd.cluster.listImages(PoolNamespace.of("image-pool"))).stream()
                .map(e -> e.name()).toList();
        assertTrue(names.stream().noneMatch(n -> n.startsWith("bad") || n.equals("journal-no-lock")), names::toString);
    }

    @Test
    void listPlainJsonAndLong() throws Exception {
        rbd.pool("list-pool");
        assertOk(rbd.rbd("create").arg("size", "1G").arg("image-spec", "list-pool/b-image").run(), "");
        assertOk(rbd.rbd("create").arg("size", "100M").arg("image-spec", "list-pool/a-image").run(), "");
        assertOk(rbd.rbd("create").arg("size", "0").arg("image-spec", "list-pool/zero-size").run(), "");
        String idA = rbd.info("list-pool", "a-image").id();
        String idB = rbd.info("list-pool", "b-image").id();
        String idZ = rbd.info("list-pool", "zero-size").id();

        assertOk(rbd.rbd("ls").arg("pool-spec", "list-pool").run(), "a-image\nb-image\nzero-size\n");
        assertOk(rbd.rbd("list").arg("pool", "list-pool").json().run(), "[\"a-image\",\"b-image\",\"zero-size\"]\n");
        assertOk(rbd.rbd("ls").arg("pool-spec", "list-pool").json().pretty().run(),
                "[\n    \"a-image\",\n    \"b-image\",\n    \"zero-size\"\n]\n");
        assertOk(rbd.rbd("ls").arg("pool-spec", "list-pool").xml().run(),
                "<images><name>a-image</name><name>b-image</name><name>zero-size</name></images>\n");
        assertOk(rbd.rbd("ls").flag("long").arg("pool-spec", "list-pool").run(),
                "NAME       SIZE     PARENT  FMT  PROT  LOCK\n"
                        + "a-image    100 MiB            2            \n"
                        + "b-image      1 GiB            2            \n"
                        + "zero-size      0 B            2            \n");
        assertOk(rbd.rbd("ls").flag("long").arg("pool-spec", "list-pool").json().run(),
                "[{\"image\":\"a-image\",\"id\":\"" + idA + "\",\"size\":104857600,\"format\":2},"
                        + "{\"image\":\"b-image\",\"id\":\"" + idB + "\",\"size\":1073741824,\"format\":2},"
                        + "{\"image\":\"zero-size\",\"id\":\"" + idZ + "\",\"size\":0,\"format\":2}]\n");

        assertOk(rbd.rbd("ls").arg("pool-spec", "empty-pool").run(), "");
        assertOk(rbd.rbd("ls").arg("pool-spec", "empty-pool").json().run(), "[]\n");
        assertOk(rbd.rbd("ls").flag("long").arg("pool-spec", "empty-pool").run(), "");
        assertOk(rbd.rbd("ls").flag("long").arg("pool-spec", "empty-pool").json().run(), "[]\n");
        assertError(rbd.rbd("ls").arg("pool-spec", "no-such-pool").run(), 2,
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory\n"
                        + "rbd: listing images failed: (2) No such file or directory");
        assertError(rbd.rbd("ls").arg("pool-spec", "list-pool/no-such-ns").run(), 2,
                "rbd: namespace 'no-such-ns' does not exist.\n"
                        + "rbd: listing images failed: (2) No such file or directory");
        assertError(rbd.rbd("ls").arg("pool-spec", "list-pool").pretty().run(), 22,
                "rbd: --pretty-format only works when --format is json or xml");
    }

    @Test
    void longListingShowsSnapshotsAndProtection() throws Exception {
        rbd.pool("snap-list-pool");
        assertOk(rbd.rbd("create").arg("size", "1G").arg("image-spec", "snap-list-pool/img").run(), "");
        assertEquals(0, rbd.rbd("snap create").arg("snap-spec", "snap-list-pool/img@s1").run().code());
        assertEquals(0, rbd.rbd("snap protect").arg("snap-spec", "snap-list-pool/img@s1").run().code());
        assertOk(rbd.rbd("ls").flag("long").arg("pool-spec", "snap-list-pool").run(),
                "NAME    SIZE   PARENT  FMT  PROT  LOCK\n"
                        + "img     1 GiB            2            \n"
                        + "img@s1  1 GiB            2  yes       \n");
    }

    @Test
    void infoErrors() throws Exception {
        assertError(rbd.rbd("info").arg("image-or-snap-spec", "image-pool/no-such-image").run(), 2,
                "rbd: error opening image no-such-image: (2) No such file or directory");
        assertError(rbd.rbd("info").arg("image-or-snap-spec", "no-such-pool/image-1").run(), 2,
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory");
        assertError(rbd.rbd("info").arg("image-or-snap-spec", "image-pool/no-such-ns/image-1").run(), 2,
                "rbd: namespace 'no-such-ns' does not exist.");
        assertError(rbd.rbd("info").run(), 22, "rbd: image name was not specified");
    }

    @Test
    void objectMapLimitsTheSizeAsLibrbd() throws Exception {
        String refused = "librbd::image::CreateRequest: validate_layout: image size not compatible with object map"
                + "\n\nrbd: create error: (22) Invalid argument";
        assertError(rbd.rbd("create").arg("size", "1E").arg("image-spec", "image-pool/exabyte").run(), 22, refused);
        assertError(rbd.rbd("create").arg("size", "1P").arg("image-spec", "image-pool/petabyte").run(), 22, refused);
        assertOk(rbd.rbd("create").arg("size", "1P").add("image-feature", "layering")
                .arg("image-spec", "image-pool/petabyte-without-map").run(), "");
        assertOk(rbd.rbd("create").arg("size", "1T").arg("image-spec", "image-pool/terabyte").run(), "");
        Outcome grown = rbd.rbd("resize").arg("size", "1P").flag("no-progress")
                .arg("image-spec", "image-pool/terabyte").run();
        assertEquals(-22, grown.code(), grown::toString);
        assertTrue(grown.stderr().startsWith("librbd::Operations: New size not compatible with object map\n"),
                grown::toString);
        assertEquals(1L << 40, rbd.info("image-pool", "terabyte").size());
        assertFalse(rbd.rbd("ls").arg("pool-spec", "image-pool").run().stdout().contains("petabyte\n"));
    }

    @Test
    void resizeGrowShrinkAndErrors() throws Exception {
        assertOk(rbd.rbd("create").arg("size", "100M").arg("image-spec", "image-pool/resized").run(), "");
        assertOutcome(rbd.rbd("resize").arg("size", "512M").arg("image-spec", "image-pool/resized").run(), 0, "",
                "\rResizing image: 100% complete...done.\n");
        assertOutcome(rbd.rbd("resize").arg("size", "2G").arg("image-spec", "image-pool/resized").run(), 0, "",
                "\rResizing image: 100% complete...done.\n");
        assertError(rbd.rbd("resize").arg("size", "1G").arg("image-spec", "image-pool/resized").run(), 22,
                "rbd: shrinking an image is only allowed with the --allow-shrink flag");
        assertEquals(2L << 30, rbd.info("image-pool", "resized").size());
        Outcome shrink = rbd.rbd("resize").arg("size", "512M").flag("allow-shrink")
                .arg("image-spec", "image-pool/resized").run();
        StringBuilder expected = new StringBuilder();
        for (int pct = 25; pct <= 99; pct++) {
            expected.append("\rResizing image: ").append(pct).append("% complete...");
        }
        expected.append("\rResizing image: 100% complete...done.\n");
        assertOutcome(shrink, 0, "", expected.toString());
        assertEquals(512L << 20, rbd.info("image-pool", "resized").size());
        assertError(rbd.rbd("resize").arg("size", "512M").arg("image-spec", "image-pool/resized").run(), 22,
                "rbd: new size is equal to original size ");
        assertError(rbd.rbd("resize").arg("size", "abc").arg("image-spec", "image-pool/resized").run(), 1,
                "rbd: the argument for option '--size' is invalid");
        assertError(rbd.rbd("resize").arg("image-spec", "image-pool/resized").run(), 22,
                "rbd: must specify --size <M/G/T>");
        assertError(rbd.rbd("resize").arg("size", "1G").arg("image-spec", "image-pool/no-such-image").run(), 2,
                "rbd: error opening image no-such-image: (2) No such file or directory");
        assertOutcome(rbd.rbd("resize").arg("size", "1G").flag("no-progress")
                .arg("image-spec", "image-pool/resized").run(), 0, "", "");
        assertEquals(1L << 30, rbd.info("image-pool", "resized").size());
    }

    @Test
    void renameWithinPoolOnly() throws Exception {
        assertOk(rbd.rbd("create").arg("size", "1M").arg("image-spec", "image-pool/old-name").run(), "");
        assertOk(rbd.rbd("create").arg("size", "1M").arg("image-spec", "image-pool/taken").run(), "");
        assertOk(rbd.rbd("rename").arg("src-image-spec", "image-pool/old-name")
                .arg("dest-image-spec", "image-pool/new-name").run(), "");
        assertError(rbd.rbd("rename").arg("src-image-spec", "image-pool/new-name")
                .arg("dest-image-spec", "image-pool/taken").run(), 17,
                "librbd::Operations: rbd image taken already exists\n\nrbd: rename error: (17) File exists");
        assertError(rbd.rbd("mv").arg("src-image-spec", "image-pool/no-such-image")
                .arg("dest-image-spec", "image-pool/whatever").run(), 2,
                "librbd: error opening source image: (2) No such file or directory\n\n"
                        + "rbd: rename error: (2) No such file or directory");
        assertError(rbd.rbd("rename").arg("src-image-spec", "image-pool/new-name")
                .arg("dest-image-spec", "empty-pool/new-name").run(), 22,
                "rbd: mv/rename across pools not supported\nsource pool: image-pool dest pool: empty-pool");
        assertError(rbd.rbd("rename").arg("src-image-spec", "image-pool/new-name").run(), 22,
                "rbd: destination image name was not specified");
        // the destination pool defaults to the source's
        assertOk(rbd.rbd("rename").arg("src-image-spec", "image-pool/new-name").arg("dest-image-spec", "newer-name")
                .run(), "");
        List<String> names = Await.result(rbd.cluster.listImages(PoolNamespace.of("image-pool"))).stream()
                .map(e -> e.name()).toList();
        assertTrue(names.contains("newer-name") && !names.contains("new-name") && !names.contains("old-name"),
                names::toString);
    }

    @Test
    void featureEnableAndDisable() throws Exception {
        assertOk(rbd.rbd("create").arg("size", "64M").arg("image-spec", "image-pool/feat").run(), "");
        assertOk(rbd.rbd("feature enable").arg("image-spec", "image-pool/feat").add("features", "journaling").run(), "");
        assertTrue(rbd.info("image-pool", "feat").features().contains(ImageFeature.JOURNALING));
        assertError(rbd.rbd("feature enable").arg("image-spec", "image-pool/feat").add("features", "journaling").run(),
                22, "librbd::Operations: one or more requested features are already enabled\n\n"
                        + "rbd: failed to update image features: (22) Invalid argument");
        assertError(rbd.rbd("feature disable").arg("image-spec", "image-pool/feat").add("features", "exclusive-lock")
                .run(), 22, "librbd::DisableFeaturesRequest: cannot disable exclusive-lock. object-map or journaling"
                        + " must be disabled before disabling exclusive-lock.\n\n"
                        + "rbd: failed to update image features: (22) Invalid argument");
        assertError(rbd.rbd("feature enable").arg("image-spec", "image-pool/feat").add("features", "bogus").run(),
                1, "rbd: the argument for option is invalid");
        assertError(rbd.rbd("feature enable").arg("image-spec", "image-pool/feat").add("features", "layering").run(),
                22, "librbd::Operations: cannot update immutable features\n\n"
                        + "rbd: failed to update image features: (22) Invalid argument");
        assertError(rbd.rbd("feature enable").arg("image-spec", "image-pool/feat").run(), 22,
                "rbd: at least one feature name must be specified");
        assertError(rbd.rbd("feature enable").arg("image-spec", "image-pool/no-such-image")
                .add("features", "journaling").run(), 2, "rbd: error opening image no-such-image: (2) No such file or directory");
        assertOk(rbd.rbd("feature disable").arg("image-spec", "image-pool/feat").add("features", "journaling").run(), "");
        assertError(rbd.rbd("feature disable").arg("image-spec", "image-pool/feat").add("features", "journaling").run(),
                22, "librbd::Operations: one or more requested features are already disabled\n\n"
                        + "rbd: failed to update image features: (22) Invalid argument");
        // object-map and fast-diff go together: naming one disables both
        assertOk(rbd.rbd("feature disable").arg("image-spec", "image-pool/feat")
                .add("features", "object-map").add("features", "exclusive-lock").run(), "");
        assertEquals(EnumSet.of(ImageFeature.LAYERING, ImageFeature.DEEP_FLATTEN),
                rbd.info("image-pool", "feat").features());
        assertError(rbd.rbd("feature enable").arg("image-spec", "image-pool/feat").add("features", "fast-diff").run(),
                22, "librbd::EnableFeaturesRequest: cannot enable object-map. exclusive-lock must be enabled before"
                        + " enabling object-map.\n\nrbd: failed to update image features: (22) Invalid argument");
    }

    /** The sequence of `feature enable/disable`, `info` and `object-map rebuild` run with rbd 16.2.15. */
    @Test
    void objectMapEnabledLaterIsInvalidUntilRebuilt() throws Exception {
        assertOk(rbd.rbd("create").arg("size", "64M").add("image-feature", "layering,exclusive-lock")
                .arg("image-spec", "image-pool/om").run(), "");
        assertEquals(0, rbd.rbd("snap create").arg("snap-spec", "image-pool/om@s1").flag("no-progress").run().code());
        assertOk(rbd.rbd("feature enable").arg("image-spec", "image-pool/om").add("features", "object-map").run(), "");
        Outcome info = rbd.rbd("info").arg("image-or-snap-spec", "image-pool/om").run();
        assertTrue(info.stdout().contains("\tfeatures: layering, exclusive-lock, object-map, fast-diff\n"
                + "\top_features: \n\tflags: object map invalid, fast diff invalid\n"), info::toString);
        Outcome json = rbd.rbd("info").arg("image-or-snap-spec", "image-pool/om").json().run();
        assertTrue(json.stdout().contains("\"flags\":[\"object map invalid\",\"fast diff invalid\"]"), json::toString);

        String progress = "";
        for (int percent : List.of(6, 12, 18, 25, 31, 37, 43, 50, 56, 62, 68, 75, 81, 87, 93)) {
            progress += "\rObject Map Rebuild: " + percent + "% complete...";
        }
        assertOutcome(rbd.rbd("object-map rebuild").arg("image-or-snap-spec", "image-pool/om").run(), 0, "",
                progress + "\rObject Map Rebuild: 100% complete...done.\n");
        assertTrue(rbd.rbd("info").arg("image-or-snap-spec", "image-pool/om").run().stdout().contains("\tflags: \n"));
        assertTrue(rbd.rbd("info").arg("image-or-snap-spec", "image-pool/om@s1").run().stdout()
                .contains("\tflags: object map invalid, fast diff invalid\n"));
        assertOk(rbd.rbd("object-map rebuild").arg("image-or-snap-spec", "image-pool/om@s1").flag("no-progress").run(), "");
        assertTrue(rbd.rbd("info").arg("image-or-snap-spec", "image-pool/om@s1").run().stdout().contains("\tflags: \n"));

        assertOk(rbd.rbd("feature disable").arg("image-spec", "image-pool/om").add("features", "fast-diff").run(), "");
        assertEquals(EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK), rbd.info("image-pool", "om").features());
    }

    @Test
    void objectMapRebuildErrors() throws Exception {
        assertOk(rbd.rbd("create").arg("size", "64M").add("image-feature", "layering")
                .arg("image-spec", "image-pool/no-om").run(), "");
        assertError(rbd.rbd("object-map rebuild").arg("image-or-snap-spec", "image-pool/no-om").run(), 22,
                "librbd::Operations: image must support object-map feature\n\n"
                        + "\rObject Map Rebuild: 0% complete...failed.\n"
                        + "rbd: rebuilding object map failed: (22) Invalid argument");
        assertError(rbd.rbd("object-map rebuild").arg("image-or-snap-spec", "image-pool/nosuch").flag("no-progress").run(),
                2, "rbd: error opening image nosuch: (2) No such file or directory");
        assertError(rbd.rbd("object-map rebuild").arg("image-or-snap-spec", "image-pool/no-om@nosnap").run(), 2,
                "error setting snapshot context: (2) No such file or directory");
    }

    @Test
    void removeRefusesSnapshotsAndReportsProgress() throws Exception {
        assertOk(rbd.rbd("create").arg("size", "1G").arg("image-spec", "image-pool/doomed").run(), "");
        assertEquals(0, rbd.rbd("snap create").arg("snap-spec", "image-pool/doomed@s1").run().code());
        assertError(rbd.rbd("rm").arg("image-spec", "image-pool/doomed").run(), 39,
                "\rRemoving image: 0% complete...failed.\n"
                        + "rbd: image has snapshots - these must be deleted with 'rbd snap purge' before the image "
                        + "can be removed.");
        assertEquals(0, rbd.rbd("snap rm").arg("snap-spec", "image-pool/doomed@s1").run().code());
        StringBuilder progress = new StringBuilder();
        for (int pct = 1; pct <= 99; pct++) {
            progress.append("\rRemoving image: ").append(pct).append("% complete...");
        }
        progress.append("\rRemoving image: 100% complete...done.\n");
        assertOutcome(rbd.rbd("rm").arg("image-spec", "image-pool/doomed").run(), 0, "", progress.toString());
        assertError(rbd.rbd("remove").arg("image-spec", "image-pool/doomed").run(), 2,
                "\rRemoving image: 0% complete...failed.\nrbd: delete error: (2) No such file or directory");
        assertError(rbd.rbd("rm").arg("image-spec", "no-such-pool/doomed").run(), 2,
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory");
        assertOk(rbd.rbd("create").arg("size", "1M").arg("image-spec", "image-pool/quiet").run(), "");
        assertOk(rbd.rbd("rm").flag("no-progress").arg("image-spec", "image-pool/quiet").run(), "");
    }

    @Test
    void openImagesShowTheirLockAndCannotBeRemoved() throws Exception {
        rbd.pool("lock-pool");
        assertOk(rbd.rbd("create").arg("size", "1M").arg("image-spec", "lock-pool/held").run(), "");
        Image held = Await.result(rbd.cluster.openImage(ImageSpec.of("lock-pool", "", "held")));
        try {
            Await.result(held.lockAcquire());
            assertOk(rbd.rbd("ls").flag("long").arg("pool-spec", "lock-pool").run(),
                    "NAME  SIZE   PARENT  FMT  PROT  LOCK\n"
                            + "held  1 MiB            2        excl\n");
            assertOk(rbd.rbd("ls").flag("long").arg("pool-spec", "lock-pool").json().run(),
                    "[{\"image\":\"held\",\"id\":\"" + rbd.info("lock-pool", "held").id()
                            + "\",\"size\":1048576,\"format\":2,\"lock_type\":\"exclusive\"}]\n");
            assertError(rbd.rbd("rm").arg("image-spec", "lock-pool/held").run(), 16,
                    "librbd::image::PreRemoveRequest: check_image_watchers: image has watchers - not removing\n\n"
                            + "\rRemoving image: 0% complete...failed.\n"
                            + "rbd: error: image still has watchers\n"
                            + "This means the image is still open or the client using it crashed. Try again after "
                            + "closing/unmapping it or waiting 30s for the crashed client to timeout.");
        } finally {
            Await.result(held.close());
        }
        assertOk(rbd.rbd("rm").flag("no-progress").arg("image-spec", "lock-pool/held").run(), "");
    }
}
