package io.mirrorhost.rbd.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.rbd.testing.Await;
import io.mirrorhost.rbd.testing.CommandRunner.Outcome;
import io.mirrorhost.rbd.testing.RbdModuleFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pool init/create/ls/rm and namespace create/ls/rm on a real cluster. */
class PoolNamespaceCommandsTest {
    @TempDir
    static Path dataDir;
    static RbdModuleFixture rbd;

    @BeforeAll
    static void start() throws Exception {
        rbd = new RbdModuleFixture(dataDir);
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

    private static List<String> pools() throws Exception {
        return Await.result(rbd.cluster.listPools()).stream().map(PoolInfo::name).toList();
    }

    @Test
    void poolLifecycle() throws Exception {
        assertOutcome(rbd.rbd("pool create").arg("pool-name", "p-one").run(), 0, "", "pool 'p-one' created\n");
        assertOutcome(rbd.rbd("pool create").arg("pool-name", "p-one").run(), 0, "", "pool 'p-one' already exists\n");
        assertOutcome(rbd.rbd("pool init").arg("pool-name", "p-one").run(), 0, "", "");
        assertTrue(Await.result(rbd.cluster.listPools()).stream()
                .anyMatch(p -> p.name().equals("p-one") && p.rbdInitialized()));
        assertOutcome(rbd.rbd("pool init").arg("pool-name", "no-such-pool").run(), -2, "",
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory");
        assertOutcome(rbd.rbd("pool init").run(), -2, "", "rbd: error opening default pool 'rbd'\n"
                + "Ensure that the default pool has been created or specify an alternate pool name.");
        assertOutcome(rbd.rbd("pool create").arg("pool-name", "p-two").run(), 0, "", "pool 'p-two' created\n");
        Outcome listed = rbd.rbd("pool ls").run();
        assertEquals(0, listed.code());
        assertTrue(listed.stdout().contains("p-one\n") && listed.stdout().contains("p-two\n"), listed::toString);
        String byId = Await.result(rbd.cluster.listPools()).stream()
                .sorted(java.util.Comparator.comparingLong(PoolInfo::id)).map(p -> p.name() + "\n")
                .reduce("", String::concat);
        assertEquals(byId, listed.stdout(), "pools in creation order, as ceph osd pool ls");
        Outcome json = rbd.rbd("pool ls").json().run();
        assertTrue(json.stdout().startsWith("[\"") && json.stdout().contains("\"p-one\",\"p-two\"")
                && json.stdout().endsWith("\"]\n"), json::toString);

        assertOutcome(rbd.rbd("pool rm").arg("pool-name", "p-two").run(), -1, "",
                "WARNING: this will *PERMANENTLY DESTROY* all data stored in pool p-two.  If you are *ABSOLUTELY "
                        + "CERTAIN* that is what you want, pass the pool name *twice*, followed by "
                        + "--yes-i-really-really-mean-it.");
        assertTrue(pools().contains("p-two"));
        assertOutcome(rbd.rbd("pool rm").arg("pool-name", "p-two").arg("pool-name-confirm", "p-two")
                .flag("yes-i-really-really-mean-it").run(), 0, "", "pool 'p-two' removed\n");
        assertTrue(!pools().contains("p-two"));
        assertOutcome(rbd.rbd("pool rm").arg("pool-name", "p-two").arg("pool-name-confirm", "p-two")
                .flag("yes-i-really-really-mean-it").run(), 0, "", "pool 'p-two' does not exist\n");
        assertOutcome(rbd.rbd("pool create").run(), -22, "", "rbd: pool name was not specified");
    }

    @Test
    void namespaceLifecycle() throws Exception {
        rbd.pool("ns-pool");
        rbd.pool("empty-pool");
        assertOutcome(rbd.rbd("namespace create").arg("pool-spec", "ns-pool/ns-1").run(), 0, "", "");
        assertOutcome(rbd.rbd("namespace create").arg("pool", "ns-pool").arg("namespace", "ns-2").run(), 0, "", "");
        assertOutcome(rbd.rbd("namespace create").arg("pool-spec", "ns-pool/ns-1").run(), -17, "",
                "rbd: failed to created namespace: (17) File exists");
        assertOutcome(rbd.rbd("namespace create").arg("pool-spec", "no-such-pool/ns-1").run(), -2, "",
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory");
        assertOutcome(rbd.rbd("namespace create").arg("pool-spec", "ns-pool").run(), -22, "",
                "rbd: namespace name was not specified");
        assertOutcome(rbd.rbd("namespace ls").arg("pool-name", "ns-pool").run(), 0, "NAME\nns-1\nns-2\n", "");
        assertOutcome(rbd.rbd("namespace list").arg("pool-name", "ns-pool").json().run(), 0,
                "[{\"name\":\"ns-1\"},{\"name\":\"ns-2\"}]\n", "");
        assertOutcome(rbd.rbd("namespace ls").arg("pool-name", "ns-pool").json().pretty().run(), 0,
                "[\n    {\n        \"name\": \"ns-1\"\n    },\n    {\n        \"name\": \"ns-2\"\n    }\n]\n", "");
        assertOutcome(rbd.rbd("namespace ls").arg("pool-name", "empty-pool").run(), 0, "", "");
        assertOutcome(rbd.rbd("namespace ls").arg("pool-name", "empty-pool").json().run(), 0, "[]\n", "");
        assertOutcome(rbd.rbd("namespace ls").arg("pool-name", "no-such-pool").run(), -2, "",
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory");

        assertOutcome(rbd.rbd("create").arg("size", "1G").arg("image-spec", "ns-pool/ns-1/image-in-ns").run(), 0, "", "");
        assertOutcome(rbd.rbd("ls").arg("pool-spec", "ns-pool/ns-1").run(), 0, "image-in-ns\n", "");
        String id = idOf("ns-pool", "ns-1", "image-in-ns");
        assertOutcome(rbd.rbd("ls").arg("pool", "ns-pool").arg("namespace", "ns-1").flag("long").json().run(), 0,
                "[{\"image\":\"image-in-ns\",\"id\":\"" + id + "\",\"size\":1073741824,\"format\":2}]\n", "");
        assertOutcome(rbd.rbd("ls").arg("pool-spec", "ns-pool").run(), 0, "", "");
        Outcome info = rbd.rbd("info").arg("image-or-snap-spec", "ns-pool/ns-1/image-in-ns").run();
        assertTrue(info.stdout().startsWith("rbd image 'image-in-ns':\n\tsize 1 GiB in 256 objects\n"), info::toString);

        assertOutcome(rbd.rbd("namespace rm").arg("pool-spec", "ns-pool/ns-1").run(), -16, "",
                "rbd: namespace contains images which must be deleted first.");
        assertEquals(0, rbd.rbd("rm").flag("no-progress").arg("image-spec", "ns-pool/ns-1/image-in-ns").run().code());
        assertOutcome(rbd.rbd("namespace rm").arg("pool-spec", "ns-pool/ns-1").run(), 0, "", "");
        assertOutcome(rbd.rbd("namespace rm").arg("pool-spec", "ns-pool/ns-1").run(), -2, "",
                "rbd: namespace does not exist.");
        assertOutcome(rbd.rbd("namespace remove").arg("pool-spec", "ns-pool/ns-2").run(), 0, "", "");
        assertOutcome(rbd.rbd("namespace ls").arg("pool-name", "ns-pool").run(), 0, "", "");
    }

    private static String idOf(String pool, String namespace, String image) throws Exception {
        var opened = Await.result(rbd.cluster.openImage(io.mirrorhost.api.cluster.ImageSpec.of(pool, namespace, image)));
        try {
            return Await.result(opened.info()).id();
        } finally {
            Await.result(opened.close());
        }
    }
}
