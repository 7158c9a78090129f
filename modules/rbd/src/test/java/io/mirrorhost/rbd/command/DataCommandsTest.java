package io.mirrorhost.rbd.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Cancellation;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.testing.Deadlines;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.rbd.testing.Await;
import io.mirrorhost.rbd.testing.CommandRunner.Outcome;
import io.mirrorhost.rbd.testing.RbdModuleFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import, export, diff and bench on a real cluster, following the captured rbd 16.2 session. */
class DataCommandsTest {
    private static final String IMPORTED = "\rImporting image: 25% complete...\rImporting image: 50% complete..."
            + "\rImporting image: 75% complete...\rImporting image: 100% complete...done.\n";
    private static final String EXPORTED = "\rExporting image: 25% complete...\rExporting image: 50% complete..."
            + "\rExporting image: 75% complete...\rExporting image: 100% complete...done.\n";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path files;
    static RbdModuleFixture rbd;
    static Path dataBin;
    static byte[] data;

    @BeforeAll
    static void start() throws Exception {
        rbd = new RbdModuleFixture(dataDir);
        rbd.pool("image-pool");
        // a sparse 16 MiB file: 4 KiB at offset 0, 8 KiB at 8 MiB, as the reference capture
        data = new byte[16 << 20];
        Random random = new Random(42);
        for (int i = 0; i < 4096; i++) {
            data[i] = (byte) (random.nextInt(255) + 1);
        }
        for (int i = 0; i < 8192; i++) {
            data[(8 << 20) + i] = (byte) (random.nextInt(255) + 1);
        }
        dataBin = files.resolve("data.bin");
        Files.write(dataBin, data);
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

    @Test
    void aHugeImageIsDiffedAtTheCostOfItsDataAndItsExportStopsWhenTheClientGoes() throws Exception {
        // 1 EiB without object-map is 2^38 objects: only the one written may cost anything
        assertEquals(0, rbd.rbd("create").arg("size", "1E").add("image-feature", "layering")
                .arg("image-spec", "image-pool/huge").run().code());
        Outcome diff = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> rbd.rbd("diff")
                .arg("image-or-snap-spec", "image-pool/huge").run());
        assertEquals(0, diff.code(), diff::toString);
        Outcome du = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> rbd.rbd("du")
                .arg("image-or-snap-spec", "image-pool/huge").run());
        assertEquals(0, du.code(), du::toString);

        Path exported = files.resolve("huge.img");
        Cancellation clientGone = new Cancellation();
        Thread client = new Thread(() -> {
            Deadlines.until(Duration.ofSeconds(30), () -> "the export has begun", () -> Files.exists(exported));
            clientGone.cancel();
        });
        client.start();
        Outcome export = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> rbd.rbd("export")
                .arg("image-or-snap-spec", "image-pool/huge").arg("path-name", exported.toString())
                .flag("no-progress").cancellation(clientGone).run());
        client.join();
        assertEquals(-Errno.ECANCELED.code(), export.code(), export::toString);
        assertFalse(Files.exists(exported), "a cancelled export removes its file, as a failed one");
    }

    @Test
    void importDiffAndExport() throws Exception {
        // without fast-diff: the embedded backend answers diffs of fast-diff images in whole objects
        assertOutcome(rbd.rbd("import").add("image-feature", "layering,exclusive-lock")
                .arg("path-name", dataBin.toString()).arg("dest-image-spec", "image-pool/image-data").run(),
                0, "", IMPORTED);
        assertEquals(16 << 20, rbd.info("image-pool", "image-data").size());

        String table = "Offset   Length  Type\n0        4096    data\n8388608  8192    data\n";
        assertOutcome(rbd.rbd("diff").arg("image-or-snap-spec", "image-pool/image-data").run(), 0, table, "");
        assertOutcome(rbd.rbd("diff").arg("image-or-snap-spec", "image-pool/image-data").json().run(), 0,
                "[{\"offset\":0,\"length\":4096,\"exists\":\"true\"},{\"offset\":8388608,\"length\":8192,"
                        + "\"exists\":\"true\"}]\n", "");
        assertOutcome(rbd.rbd("diff").arg("image-or-snap-spec", "image-pool/image-data").json().pretty().run(), 0,
                "[\n    {\n        \"offset\": 0,\n        \"length\": 4096,\n        \"exists\": \"true\"\n    },\n"
                        + "    {\n        \"offset\": 8388608,\n        \"length\": 8192,\n        \"exists\": \"true\"\n"
                        + "    }\n]\n", "");
        assertOutcome(rbd.rbd("diff").flag("whole-object").arg("image-or-snap-spec", "image-pool/image-data").run(),
                0, "Offset   Length   Type\n0        4194304  data\n8388608  4194304  data\n", "");

        assertEquals(0, rbd.rbd("snap create").arg("snap-spec", "image-pool/image-data@base").run().code());
        Outcome bench = rbd.rbd("bench").arg("io-type", "write").arg("io-size", "4K").arg("io-total", "4K")
                .arg("io-pattern", "seq").arg("image-spec", "image-pool/image-data").run();
        assertEquals(0, bench.code(), bench::toString);
        assertTrue(bench.stdout().startsWith("bench  type write io_size 4096 io_threads 16 bytes 4096 pattern "
                + "sequential\n  SEC       OPS   OPS/SEC   BYTES/SEC\nelapsed: 0   ops: 1   ops/sec: "), bench::toString);
        assertOutcome(rbd.rbd("diff").arg("from-snap", "base").arg("image-or-snap-spec", "image-pool/image-data").run(),
                0, "Offset  Length  Type\n0       4096    data\n", "");
        assertOutcome(rbd.rbd("diff").arg("from-snap", "base").arg("image-or-snap-spec", "image-pool/image-data")
                .json().run(), 0, "[{\"offset\":0,\"length\":4096,\"exists\":\"true\"}]\n", "");
        assertOutcome(rbd.rbd("diff").arg("from-snap", "base").flag("whole-object")
                .arg("image-or-snap-spec", "image-pool/image-data").run(), 0,
                "Offset  Length   Type\n0       4194304  data\n", "");
        assertOutcome(rbd.rbd("diff").arg("image-or-snap-spec", "image-pool/image-data@base").run(), 0, table, "");
        assertOutcome(rbd.rbd("diff").arg("from-snap", "no-such-snap")
                .arg("image-or-snap-spec", "image-pool/image-data").run(), -2, "",
                "rbd: diff error: (2) No such file or directory");
        assertOutcome(rbd.rbd("diff").arg("image-or-snap-spec", "image-pool/no-such-image").run(), -2, "",
                "rbd: error opening image no-such-image: (2) No such file or directory");

        assertEquals(0, rbd.rbd("create").arg("size", "1G").arg("image-spec", "image-pool/empty").run().code());
        assertOutcome(rbd.rbd("diff").arg("image-or-snap-spec", "image-pool/empty").run(), 0, "", "");
        assertOutcome(rbd.rbd("diff").arg("image-or-snap-spec", "image-pool/empty").json().run(), 0, "[]\n", "");

        Path exported = files.resolve("exported.img");
        assertOutcome(rbd.rbd("export").arg("image-or-snap-spec", "image-pool/image-data")
                .arg("path-name", exported.toString()).run(), 0, "", EXPORTED);
        byte[] exportedBytes = Files.readAllBytes(exported);
        assertEquals(16 << 20, exportedBytes.length);
        assertFalse(java.util.Arrays.equals(data, exportedBytes), "the bench write changed the head");
        assertOutcome(rbd.rbd("export").arg("image-or-snap-spec", "image-pool/image-data")
                .arg("path-name", exported.toString()).run(), -17, "", "rbd: export error: (17) File exists");
        Path base = files.resolve("exported-base.img");
        assertOutcome(rbd.rbd("export").arg("image-or-snap-spec", "image-pool/image-data@base")
                .arg("path-name", base.toString()).run(), 0, "", EXPORTED);
        assertArrayEquals(data, Files.readAllBytes(base));
        assertOutcome(rbd.rbd("export").arg("image-or-snap-spec", "image-pool/no-such-image")
                .arg("path-name", files.resolve("x.img").toString()).run(), -2, "",
                "rbd: error opening image no-such-image: (2) No such file or directory");
        assertFalse(Files.exists(files.resolve("x.img")));
        assertOutcome(rbd.rbd("export").arg("image-or-snap-spec", "image-pool/image-data").run(), -22, "",
                "rbd: path was not specified");
    }

    @Test
    void importVariantsAndErrors() throws Exception {
        assertOutcome(rbd.rbd("import").arg("path-name", dataBin.toString())
                .arg("dest-image-spec", "image-pool/copy").run(), 0, "", IMPORTED);
        assertOutcome(rbd.rbd("import").arg("path-name", dataBin.toString())
                .arg("dest-image-spec", "image-pool/copy").run(), -17, "",
                "librbd: rbd image copy already exists\n\nrbd: image creation failed\n\rImporting image: 0% complete...failed.\n"
                        + "rbd: import failed: (17) File exists");
        // librbd's reason comes first, then rbd's lines (as rbd 16.2.15 printed them)
        assertOutcome(rbd.rbd("import").add("image-feature", "journaling").arg("path-name", dataBin.toString())
                .arg("dest-image-spec", "image-pool/journal-no-lock").run(), -22, "",
                "librbd::image::CreateRequest: validate_features: cannot use journaling without exclusive lock\n\n"
                        + "rbd: image creation failed\n\rImporting image: 0% complete...failed.\n"
                        + "rbd: import failed: (22) Invalid argument");
        String missing = files.resolve("no-such-file.img").toString();
        assertOutcome(rbd.rbd("import").arg("path-name", missing).arg("dest-image-spec", "image-pool/image-x").run(),
                -2, "", "rbd: error opening " + missing + "\nrbd: import failed: (2) No such file or directory");
        assertOutcome(rbd.rbd("import").arg("path-name", "-").arg("dest-image-spec", "image-pool/from-stdin")
                .add("image-feature", "layering").input(data).run(), 0, "", "\rImporting image: 100% complete...done.\n");
        assertOutcome(rbd.rbd("import").arg("path-name", "-").arg("dest-image-spec", "image-pool/from-stdin-2")
                .add("image-feature", "layering").input(data).run(), 0, "", "\rImporting image: 100% complete...done.\n");
        assertEquals(EnumSet.of(ImageFeature.LAYERING), rbd.info("image-pool", "from-stdin-2").features());
        assertEquals(16 << 20, rbd.info("image-pool", "from-stdin").size());
        assertOutcome(rbd.rbd("diff").arg("image-or-snap-spec", "image-pool/from-stdin").run(), 0,
                "Offset   Length  Type\n0        4096    data\n8388608  8192    data\n", "");
        assertOutcome(rbd.rbd("import").arg("path-name", dataBin.toString()).run(), -2, "",
                "rbd: error opening default pool 'rbd'\n"
                        + "Ensure that the default pool has been created or specify an alternate pool name.");
        assertOutcome(rbd.rbd("import").arg("dest-pool", "image-pool").arg("path-name", dataBin.toString())
                .arg("dest-image-spec", "image-dest-pool").run(), 0, "", IMPORTED);
        // without a destination the image is named after the file
        assertOutcome(rbd.rbd("import").arg("dest-pool", "image-pool").flag("no-progress")
                .arg("path-name", dataBin.toString()).run(), 0, "", "");
        assertTrue(Await.result(rbd.cluster.listImages(PoolNamespace.of("image-pool"))).stream()
                .anyMatch(e -> e.name().equals("data.bin")));
        assertOutcome(rbd.rbd("import").arg("path-name", "-").input(data).run(), -22, "",
                "rbd: destination image name was not specified");

        Path copy = files.resolve("copy.img");
        assertEquals(0, rbd.rbd("export").arg("image-or-snap-spec", "image-pool/from-stdin")
                .arg("path-name", copy.toString()).flag("no-progress").run().code());
        assertArrayEquals(data, Files.readAllBytes(copy));

        Outcome toStdout = rbd.rbd("export").arg("image-or-snap-spec", "image-pool/from-stdin")
                .arg("path-name", "-").flag("no-progress").run();
        assertEquals(0, toStdout.code(), toStdout::toString);
        assertEquals("", toStdout.stdout());
        assertArrayEquals(data, toStdout.binaryStdout(), "export - writes the image's bytes to standard output");
    }

    @Test
    void benchReportsAndWrites() throws Exception {
        assertEquals(0, rbd.rbd("create").arg("size", "1G").arg("image-spec", "image-pool/bench").run().code());
        Pattern summary = Pattern.compile("elapsed: \\d+   ops: (\\d+)   ops/sec: \\S+   bytes/sec: \\S+ \\S+/s\n");
        Outcome write = rbd.rbd("bench").arg("io-type", "write").arg("io-size", "4K").arg("io-total", "1M")
                .arg("image-spec", "image-pool/bench").run();
        assertEquals(0, write.code(), write::toString);
        assertTrue(write.stdout().startsWith("bench  type write io_size 4096 io_threads 16 bytes 1048576 pattern "
                + "sequential\n  SEC       OPS   OPS/SEC   BYTES/SEC\n"), write::toString);
        var m = summary.matcher(write.stdout().substring(write.stdout().lastIndexOf("elapsed: ")));
        assertTrue(m.matches(), write::toString);
        assertEquals("256", m.group(1));
        Outcome diff = rbd.rbd("diff").arg("image-or-snap-spec", "image-pool/bench").run();
        assertTrue(diff.stdout().startsWith("Offset"), "the bench wrote data: " + diff);

        Outcome read = rbd.rbd("bench").arg("io-type", "read").arg("io-size", "4K").arg("io-total", "1M")
                .arg("image-spec", "image-pool/bench").run();
        assertTrue(read.stdout().startsWith("bench  type read io_size 4096 io_threads 16 bytes 1048576 pattern "
                + "sequential\n"), read::toString);
        Outcome rand = rbd.rbd("bench").arg("io-type", "write").arg("io-size", "64K").arg("io-threads", "4")
                .arg("io-total", "8M").arg("io-pattern", "rand").arg("image-spec", "image-pool/bench").run();
        assertTrue(rand.stdout().startsWith("bench  type write io_size 65536 io_threads 4 bytes 8388608 pattern "
                + "random\n"), rand::toString);
        assertTrue(rand.stdout().contains("   ops: 128   "), rand::toString);
        Outcome mixed = rbd.rbd("bench").arg("io-type", "readwrite").arg("io-size", "4K").arg("io-total", "256K")
                .arg("rw-mix-read", "70").arg("image-spec", "image-pool/bench").run();
        assertTrue(mixed.stdout().startsWith("bench  type readwrite read:write=70:30 io_size 4096 io_threads 16 "
                + "bytes 262144 pattern sequential\n"), mixed::toString);
        assertTrue(Pattern.compile("(?s).*\nread_ops: \\d+   read_ops/sec: \\S+   read_bytes/sec: \\S+ \\S+/s\n"
                + "write_ops: \\d+   write_ops/sec: \\S+   write_bytes/sec: \\S+ \\S+/s\n").matcher(mixed.stdout())
                .matches(), mixed::toString);

        assertOutcome(rbd.rbd("bench").arg("io-type", "bogus").arg("image-spec", "image-pool/bench").run(), -1, "",
                "rbd: the argument for option '--io-type' is invalid");
        assertOutcome(rbd.rbd("bench").arg("image-spec", "image-pool/bench").run(), -22, "",
                "rbd: --io-type must be specified.");
        assertOutcome(rbd.rbd("bench").arg("io-type", "write").arg("io-size", "0")
                .arg("image-spec", "image-pool/bench").run(), -22, "", "rbd: --io-size should be greater than zero.");
        assertOutcome(rbd.rbd("bench").arg("io-type", "write").arg("image-spec", "image-pool/no-such-image").run(),
                -2, "", "rbd: error opening image no-such-image: (2) No such file or directory");
        assertEquals(0, rbd.rbd("create").arg("size", "4K").arg("image-spec", "image-pool/tiny").run().code());
        assertOutcome(rbd.rbd("bench").arg("io-type", "write").arg("io-size", "8K")
                .arg("image-spec", "image-pool/tiny").run(), -22, "", "rbd: io-size 8 KiB larger than image size 4 KiB");
    }

    @Test
    void diskUsageCountsChangedObjectsPerSnapshot() throws Exception {
        rbd.pool("du-pool");
        assertOutcome(rbd.rbd("import").flag("no-progress").arg("path-name", dataBin.toString())
                .arg("dest-image-spec", "du-pool/image-data").run(), 0, "", "");
        assertEquals(0, rbd.rbd("snap create").flag("no-progress").arg("snap-spec", "du-pool/image-data@base").run()
                .code());
        var image = Await.result(rbd.cluster.openImage(io.mirrorhost.api.cluster.ImageSpec.of("du-pool", "", "image-data")));
        try {
            Await.result(image.write(0, io.vertx.core.buffer.Buffer.buffer(new byte[] {7, 7, 7, 7})));
            Await.result(image.flush());
        } finally {
            Await.result(image.close());
        }
        String id = rbd.info("du-pool", "image-data").id();
        long snapId = Await.result(rbd.cluster.openImage(io.mirrorhost.api.cluster.ImageSpec.of("du-pool", "",
                "image-data")).compose(i -> i.listSnaps().eventually(i::close))).get(0).id();
        assertOutcome(rbd.rbd("du").arg("image-or-snap-spec", "du-pool/image-data").run(), 0,
                "NAME             PROVISIONED  USED  \n"
                        + "image-data@base       16 MiB   8 MiB\n"
                        + "image-data            16 MiB   4 MiB\n"
                        + "<TOTAL>               16 MiB  12 MiB\n", "");
        assertOutcome(rbd.rbd("disk-usage").arg("image-or-snap-spec", "du-pool/image-data").json().run(), 0,
                "{\"images\":[{\"name\":\"image-data\",\"id\":\"" + id + "\",\"snapshot\":\"base\",\"snapshot_id\":"
                        + snapId + ",\"provisioned_size\":16777216,\"used_size\":8388608},{\"name\":\"image-data\","
                        + "\"id\":\"" + id + "\",\"provisioned_size\":16777216,\"used_size\":4194304}]}\n", "");
        assertOutcome(rbd.rbd("du").arg("pool", "du-pool").json().run(), 0,
                "{\"images\":[{\"name\":\"image-data\",\"id\":\"" + id + "\",\"snapshot\":\"base\",\"snapshot_id\":"
                        + snapId + ",\"provisioned_size\":16777216,\"used_size\":8388608},{\"name\":\"image-data\","
                        + "\"id\":\"" + id + "\",\"provisioned_size\":16777216,\"used_size\":4194304}],"
                        + "\"total_provisioned_size\":16777216,\"total_used_size\":12582912}\n", "");
        assertOutcome(rbd.rbd("du").flag("merge-snapshots").arg("image-or-snap-spec", "du-pool/image-data").run(), 0,
                "NAME        PROVISIONED  USED  \n"
                        + "image-data       16 MiB  12 MiB\n"
                        + "<TOTAL>          16 MiB  12 MiB\n", "");
        assertOutcome(rbd.rbd("du").arg("image-or-snap-spec", "du-pool/image-data@base").run(), 0,
                "NAME             PROVISIONED  USED \n"
                        + "image-data@base       16 MiB  8 MiB\n", "");
        assertOutcome(rbd.rbd("du").arg("image-or-snap-spec", "du-pool/no-such-image").run(), -2, "",
                "specified image no-such-image is not found.\nrbd: du failed: (2) No such file or directory");
        assertOutcome(rbd.rbd("du").arg("image-or-snap-spec", "du-pool/image-data@nope").run(), -2, "",
                "specified snapshot is not found.\nrbd: du failed: (2) No such file or directory");
    }
}
