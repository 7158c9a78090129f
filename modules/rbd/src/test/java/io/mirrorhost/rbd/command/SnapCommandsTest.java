package io.mirrorhost.rbd.command;

import static io.mirrorhost.rbd.testing.RbdModuleFixture.ctime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.rbd.testing.Await;
import io.mirrorhost.rbd.testing.CommandRunner.Outcome;
import io.mirrorhost.rbd.testing.RbdModuleFixture;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** snap create, ls, rm, purge, rollback, protect and unprotect on a real cluster, with rbd 16.2's outputs. */
class SnapCommandsTest {
    private static final String CREATED = "\rCreating snap: 10% complete...\rCreating snap: 100% complete...done.\n";

    @TempDir
    static Path dataDir;
    static RbdModuleFixture rbd;

    @BeforeAll
    static void start() throws Exception {
        rbd = new RbdModuleFixture(dataDir);
        rbd.pool("image-pool");
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

    private static List<SnapInfo> snaps(String image) throws Exception {
        Image opened = Await.result(rbd.cluster.openImage(ImageSpec.of("image-pool", "", image)));
        try {
            return Await.result(opened.listSnaps());
        } finally {
            Await.result(opened.close());
        }
    }

    private static void create(String image, String size) throws Exception {
        assertOutcome(rbd.rbd("create").arg("size", size).arg("image-spec", "image-pool/" + image).run(), 0, "", "");
    }

    @Test
    void createListAndErrors() throws Exception {
        create("image-1", "1G");
        assertOutcome(rbd.rbd("snap create").arg("snap-spec", "image-pool/image-1@snap-1").run(), 0, "", CREATED);
        assertOutcome(rbd.rbd("snap add").arg("snap-spec", "image-pool/image-1@snap-2").run(), 0, "", CREATED);
        assertOutcome(rbd.rbd("snap create").arg("snap-spec", "image-pool/image-1@snap-1").run(), -17, "",
                "\rCreating snap: 0% complete...failed.\nrbd: failed to create snapshot: (17) File exists");
        assertOutcome(rbd.rbd("snap create").arg("snap-spec", "image-pool/image-1").run(), -22, "",
                "rbd: snapshot name was not specified");
        assertOutcome(rbd.rbd("snap create").arg("snap-spec", "image-pool/no-such-image@snap-1").run(), -2, "",
                "rbd: error opening image no-such-image: (2) No such file or directory");
        assertOutcome(rbd.rbd("snap create").flag("no-progress").arg("snap-spec", "image-pool/image-1@quiet").run(),
                0, "", "");
        assertOutcome(rbd.rbd("snap rm").flag("no-progress").arg("snap-spec", "image-pool/image-1@quiet").run(),
                0, "", "");

        List<SnapInfo> snaps = snaps("image-1");
        assertEquals(List.of("snap-1", "snap-2"), snaps.stream().map(SnapInfo::name).toList());
        SnapInfo s1 = snaps.get(0);
        SnapInfo s2 = snaps.get(1);
        String id1 = Long.toString(s1.id());
        String id2 = Long.toString(s2.id());
        int idWidth = Math.max(6, Math.max(id1.length(), id2.length()));
        String t1 = ctime(s1.timestamp());
        String t2 = ctime(s2.timestamp());
        String plain = pad("SNAPID", idWidth, false) + "  NAME    SIZE   PROTECTED  TIMESTAMP               \n"
                + pad(id1, idWidth, true) + "  snap-1  1 GiB             " + t1 + "\n"
                + pad(id2, idWidth, true) + "  snap-2  1 GiB             " + t2 + "\n";
        assertOutcome(rbd.rbd("snap ls").arg("image-spec", "image-pool/image-1").run(), 0, plain, "");
        assertOutcome(rbd.rbd("snap list").arg("image-spec", "image-pool/image-1").json().run(), 0,
                "[{\"id\":" + id1 + ",\"name\":\"snap-1\",\"size\":1073741824,\"protected\":\"false\",\"timestamp\":\""
                        + t1 + "\"},{\"id\":" + id2 + ",\"name\":\"snap-2\",\"size\":1073741824,\"protected\":\"false\","
                        + "\"timestamp\":\"" + t2 + "\"}]\n", "");
        assertOutcome(rbd.rbd("snap ls").arg("image-spec", "image-pool/image-1").json().pretty().run(), 0,
                "[\n    {\n        \"id\": " + id1 + ",\n        \"name\": \"snap-1\",\n        \"size\": 1073741824,\n"
                        + "        \"protected\": \"false\",\n        \"timestamp\": \"" + t1 + "\"\n    },\n"
                        + "    {\n        \"id\": " + id2 + ",\n        \"name\": \"snap-2\",\n        \"size\": 1073741824,\n"
                        + "        \"protected\": \"false\",\n        \"timestamp\": \"" + t2 + "\"\n    }\n]\n", "");
        assertOutcome(rbd.rbd("snap ls").flag("all").arg("image-spec", "image-pool/image-1").run(), 0,
                pad("SNAPID", idWidth, false) + "  NAME    SIZE   PROTECTED  TIMESTAMP                 NAMESPACE\n"
                        + pad(id1, idWidth, true) + "  snap-1  1 GiB             " + t1 + "  user     \n"
                        + pad(id2, idWidth, true) + "  snap-2  1 GiB             " + t2 + "  user     \n", "");
        assertOutcome(rbd.rbd("snap ls").arg("image-spec", "image-pool/no-such-image").run(), -2, "",
                "rbd: error opening image no-such-image: (2) No such file or directory");

        create("image-2", "1G");
        assertOutcome(rbd.rbd("snap ls").arg("image-spec", "image-pool/image-2").run(), 0, "", "");
        assertOutcome(rbd.rbd("snap ls").arg("image-spec", "image-pool/image-2").json().run(), 0, "[]\n", "");

        Outcome info = rbd.rbd("info").arg("image-or-snap-spec", "image-pool/image-1@snap-1").run();
        assertTrue(info.stdout().contains("\tsnapshot_count: 2\n"), info::toString);
        assertTrue(info.stdout().endsWith("\tprotected: False\n"), info::toString);
        Outcome infoJson = rbd.rbd("info").arg("image-or-snap-spec", "image-pool/image-1@snap-1").json().run();
        assertTrue(infoJson.stdout().endsWith(",\"protected\":\"false\"}\n"), infoJson::toString);
        assertOutcome(rbd.rbd("info").arg("image-or-snap-spec", "image-pool/image-1@nope").run(), -2, "",
                "error setting snapshot context: (2) No such file or directory");
    }

    private static String pad(String text, int width, boolean right) {
        String spaces = " ".repeat(width - text.length());
        return right ? spaces + text : text + spaces;
    }

    @Test
    void protectUnprotectAndRemove() throws Exception {
        create("prot", "1G");
        assertEquals(0, rbd.rbd("snap create").arg("snap-spec", "image-pool/prot@snap-1").run().code());
        assertOutcome(rbd.rbd("snap protect").arg("snap-spec", "image-pool/prot@snap-1").run(), 0, "", "");
        assertOutcome(rbd.rbd("snap protect").arg("snap-spec", "image-pool/prot@snap-1").run(), -16, "",
                "rbd: snap is already protected");
        assertTrue(snaps("prot").get(0).isProtected());
        Outcome listed = rbd.rbd("snap ls").arg("image-spec", "image-pool/prot").run();
        assertTrue(listed.stdout().contains("  snap-1  1 GiB  yes        "), listed::toString);
        assertOutcome(rbd.rbd("snap rm").arg("snap-spec", "image-pool/prot@snap-1").run(), -16, "",
                "\rRemoving snap: 0% complete...failed.\nrbd: snapshot 'snap-1' is protected from removal.");
        assertEquals(1, snaps("prot").size());
        assertOutcome(rbd.rbd("snap unprotect").arg("snap-spec", "image-pool/prot@snap-1").run(), 0, "", "");
        assertOutcome(rbd.rbd("snap unprotect").arg("snap-spec", "image-pool/prot@snap-1").run(), -22, "",
                "rbd: snap is already unprotected");
        assertOutcome(rbd.rbd("snap protect").arg("snap-spec", "image-pool/prot@no-such-snap").run(), -2, "",
                "rbd: protecting snap failed: (2) No such file or directory");
        assertOutcome(rbd.rbd("snap rm").arg("snap-spec", "image-pool/prot@no-such-snap").run(), -2, "",
                "\rRemoving snap: 0% complete...failed.\nrbd: failed to remove snapshot: (2) No such file or directory");
        assertOutcome(rbd.rbd("snap remove").arg("snap-spec", "image-pool/prot@snap-1").run(), 0, "",
                "\rRemoving snap: 100% complete...done.\n");
        assertEquals(0, snaps("prot").size());
    }

    @Test
    void purgeRemovesUnprotectedSnapshots() throws Exception {
        create("purged", "1G");
        for (String name : List.of("a", "b", "c")) {
            assertEquals(0, rbd.rbd("snap create").arg("snap-spec", "image-pool/purged@" + name).run().code());
        }
        assertEquals(0, rbd.rbd("snap protect").arg("snap-spec", "image-pool/purged@b").run().code());
        assertOutcome(rbd.rbd("snap purge").arg("image-spec", "image-pool/purged").run(), -16,
                "rbd: error removing snapshot(s) 'b', which is protected - these must be unprotected with "
                        + "`rbd snap unprotect`.\n",
                "\rRemoving all snapshots: 33% complete...\rRemoving all snapshots: 66% complete..."
                        + "\rRemoving all snapshots: 66% complete...failed.\n");
        assertEquals(List.of("b"), snaps("purged").stream().map(SnapInfo::name).toList());
        assertEquals(0, rbd.rbd("snap unprotect").arg("snap-spec", "image-pool/purged@b").run().code());
        assertOutcome(rbd.rbd("snap purge").arg("image-spec", "image-pool/purged").run(), 0, "",
                "\rRemoving all snapshots: 100% complete...\rRemoving all snapshots: 100% complete...done.\n");
        assertOutcome(rbd.rbd("snap purge").arg("image-spec", "image-pool/purged").run(), 0, "", "");
        assertEquals(List.of(), snaps("purged"));
    }

    @Test
    void rollbackRestoresTheSnapshotsData() throws Exception {
        create("rolled", "16M");
        Image image = Await.result(rbd.cluster.openImage(ImageSpec.of("image-pool", "", "rolled")));
        Await.result(image.write(0, Buffer.buffer("before")));
        Await.result(image.flush());
        Await.result(image.close());
        assertEquals(0, rbd.rbd("snap create").arg("snap-spec", "image-pool/rolled@base").run().code());
        image = Await.result(rbd.cluster.openImage(ImageSpec.of("image-pool", "", "rolled")));
        Await.result(image.write(0, Buffer.buffer("after!")));
        Await.result(image.flush());
        Await.result(image.close());

        assertOutcome(rbd.rbd("snap rollback").arg("snap-spec", "image-pool/rolled@base").run(), 0, "",
                "\rRolling back to snapshot: 25% complete...\rRolling back to snapshot: 50% complete..."
                        + "\rRolling back to snapshot: 75% complete...\rRolling back to snapshot: 100% complete...done.\n");
        image = Await.result(rbd.cluster.openImage(ImageSpec.of("image-pool", "", "rolled")));
        try {
            assertEquals("before", Await.result(image.read(0, 6)).toString());
        } finally {
            Await.result(image.close());
        }
        assertOutcome(rbd.rbd("snap revert").arg("snap-spec", "image-pool/rolled@no-such-snap").run(), -2, "",
                "\rRolling back to snapshot: 0% complete...failed.\nrbd: rollback failed: (2) No such file or directory");
    }
}
