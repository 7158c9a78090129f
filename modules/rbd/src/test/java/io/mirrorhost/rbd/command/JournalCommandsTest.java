package io.mirrorhost.rbd.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.rbd.testing.Await;
import io.mirrorhost.rbd.testing.CommandRunner.Outcome;
import io.mirrorhost.rbd.testing.RbdModuleFixture;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rbd journal ...} on the embedded backend. */
class JournalCommandsTest {
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

    private static String journaled(String name) throws Exception {
        assertOutcome(rbd.rbd("create").arg("size", "8M").add("image-feature", "exclusive-lock,journaling")
                .arg("image-spec", "image-pool/" + name).run(), 0, "", "");
        Image image = Await.result(rbd.cluster.openImage(ImageSpec.of("image-pool", "", name)));
        Await.result(image.write(0, Buffer.buffer(new byte[4096])));
        Await.result(image.flush());
        Await.result(image.close());
        return rbd.info("image-pool", name).id();
    }

    @Test
    void infoAndStatusBySpecAndByImage() throws Exception {
        String id = journaled("j1");
        String info = "rbd journal '" + id + "':\n\theader_oid: journal." + id + "\n\tobject_oid_prefix: journal_data."
                + poolId() + "." + id + ".\n\torder: 24 (16 MiB objects)\n\tsplay_width: 4\n";
        assertOutcome(rbd.rbd("journal info").arg("journal-spec", "image-pool/" + id).run(), 0, info, "");
        assertOutcome(rbd.rbd("journal info").arg("pool", "image-pool").arg("image", "j1").run(), 0, info, "");
        // write at entry 0 and flush at entry 1, closing flushes nothing new
        String status = "minimum_set: 0\nactive_set: 0\nregistered clients: \n"
                + "\t[id=, commit_position=[positions=[[object_number=1, tag_tid=0, entry_tid=1], "
                + "[object_number=0, tag_tid=0, entry_tid=0]]], state=connected]\n";
        assertOutcome(rbd.rbd("journal status").arg("pool", "image-pool").arg("journal", id).run(), 0, status, "");
        assertOutcome(rbd.rbd("journal status").arg("journal-spec", "image-pool/" + id).json().run(), 0,
                "{\"minimum_set\":0,\"active_set\":0,\"registered_clients\":[{\"id\":\"\",\"data\":\"\","
                        + "\"commit_position\":{\"object_positions\":[{\"object_number\":1,\"tag_tid\":0,\"entry_tid\":1},"
                        + "{\"object_number\":0,\"tag_tid\":0,\"entry_tid\":0}]},\"state\":\"connected\"}]}\n", "");
    }

    @Test
    void refusals() throws Exception {
        assertOutcome(rbd.rbd("create").arg("size", "8M").arg("image-spec", "image-pool/plain").run(), 0, "", "");
        assertOutcome(rbd.rbd("journal info").arg("pool", "image-pool").arg("image", "plain").run(), -22, "",
                "rbd: journaling is not enabled for image plain");
        assertOutcome(rbd.rbd("journal status").arg("pool", "image-pool").run(), -22, "",
                "rbd: journal was not specified");
        assertOutcome(rbd.rbd("journal info").arg("journal-spec", "image-pool/0123456789ab").run(), -2, "",
                "failed to get journal metadata: (2) No such file or directory\n"
                        + "rbd: journal info: (2) No such file or directory");
        String id = journaled("j2");
        assertOutcome(rbd.rbd("journal client disconnect").arg("journal-spec", "image-pool/" + id).run(), -2, "",
                "no registered clients to disconnect\nrbd: journal client disconnect: (2) No such file or directory");
        assertOutcome(rbd.rbd("journal client disconnect").arg("journal-spec", "image-pool/" + id)
                .arg("client-id", "nobody").run(), -2, "", "warning: client nobody is not registered\n"
                + "rbd: journal client disconnect: (2) No such file or directory");
    }

    private static long poolId() throws Exception {
        return Await.result(rbd.cluster.listPools()).stream().filter(p -> p.name().equals("image-pool")).findFirst()
                .orElseThrow().id();
    }
}
