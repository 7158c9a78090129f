package io.mirrorhost.rbd.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.embedded.net.ClusterServer;
import io.mirrorhost.rbd.RbdModule;
import io.mirrorhost.rbd.testing.Await;
import io.mirrorhost.rbd.testing.CommandRunner;
import io.mirrorhost.rbd.testing.CommandRunner.Outcome;
import io.mirrorhost.rbd.testing.TestModuleContext;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth get-or-create|get|ls|rm|print-key} on an embedded cluster served on loopback, as an
 * operator uses them: outputs as {@code ceph} 16.2 prints them (it/reference and captures of
 * {@code ceph auth}), and a client created here connects with its key and gets its capability.
 */
class AuthCommandsTest {
    private static final String ADMIN_KEY = "test-admin-key-0123456789";
    private static final Pattern KEYRING = Pattern.compile("\\[client\\.ro]\n\tkey = ([A-Za-z0-9+/=]{24,})\n");

    @TempDir
    Path dataDir;
    private Vertx vertx;
    private Cluster cluster;
    private RbdModule module;
    private CommandRunner runner;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        cluster = Await.result(embedded().connect(vertx, Map.of("data_dir", dataDir.toString(), "listen_port", "0",
                "key", ADMIN_KEY)));
        module = new RbdModule();
        Await.result(module.start(new TestModuleContext(vertx, cluster, Map.of())));
        runner = new CommandRunner(module, vertx.getOrCreateContext());
    }

    @AfterEach
    void stop() throws Exception {
        Await.result(module.stop());
        Await.result(cluster.close());
        Await.result(vertx.close());
    }

    private static ClusterProvider embedded() {
        return ServiceLoader.load(ClusterProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("embedded")).findFirst().orElseThrow();
    }

    private CommandRunner.Call auth(String words, String... args) {
        CommandRunner.Call call = runner.call("auth " + words);
        if (args.length > 0) {
            call.arg(AuthCommands.ENTITY, args[0]);
        }
        for (int i = 1; i < args.length; i++) {
            call.add(AuthCommands.CAPS, args[i]);
        }
        return call;
    }

    private static void assertOutcome(Outcome actual, int code, String stdout, String stderr) {
        assertEquals(code, actual.code(), actual::toString);
        assertEquals(stdout, actual.stdout(), actual::toString);
        assertEquals(stderr, actual.stderr(), actual::toString);
    }

    /** Creates client.ro as the README tells operators to, and returns its key. */
    private String createReadOnly() {
        Outcome created = auth("get-or-create", "client.ro", "mon", "profile rbd", "osd", "profile rbd-read-only").run();
        assertEquals(0, created.code(), created::toString);
        Matcher keyring = KEYRING.matcher(created.stdout());
        assertTrue(keyring.matches(), created::toString);
        return keyring.group(1);
    }

    @Test
    void getOrCreatePrintsTheKeyringAndChecksCapsAsCephDoes() {
        String key = createReadOnly();
        String keyring = "[client.ro]\n\tkey = " + key + "\n";
        assertOutcome(auth("get-or-create", "client.ro", "mon", "profile rbd", "osd", "profile rbd-read-only").run(),
                0, keyring, "");
        assertOutcome(auth("get-or-create", "client.ro").run(), 0, keyring, "");
        assertOutcome(auth("get-or-create", "client.ro", "mon", "profile rbd", "osd", "profile rbd").run(), -22, "",
                "Error EINVAL: key for client.ro exists but cap osd does not match");
        assertOutcome(auth("get-or-create", "client.ro", "mon", "allow *").run(), -22, "",
                "Error EINVAL: key for client.ro exists but cap mon does not match");
        String json = "{\"entity\":\"client.ro\",\"key\":\"" + key
                + "\",\"caps\":{\"mon\":\"profile rbd\",\"osd\":\"profile rbd-read-only\"}}";
        assertOutcome(auth("get-or-create", "client.ro").json().run(), 0, "[" + json + "]\n", "");
        assertOutcome(auth("get-or-create", "client.ro").json().pretty().run(), 0, "[\n"
                + "    {\n"
                + "        \"entity\": \"client.ro\",\n"
                + "        \"key\": \"" + key + "\",\n"
                + "        \"caps\": {\n"
                + "            \"mon\": \"profile rbd\",\n"
                + "            \"osd\": \"profile rbd-read-only\"\n"
                + "        }\n"
                + "    }\n"
                + "]\n", "");
        assertOutcome(auth("get-or-create", "client.ro").xml().run(), 0, "<auth><auth_entities><entity>client.ro</entity>"
                + "<key>" + key + "</key><caps><mon>profile rbd</mon><osd>profile rbd-read-only</osd></caps>"
                + "</auth_entities></auth>\n", "");
    }

    @Test
    void badRequestsGetCephsErrorsAndCreateNothing() {
        assertOutcome(auth("get-or-create", "client.x", "mon").run(), -22, "",
                "Error EINVAL: bad capabilities request; odd number of arguments");
        assertOutcome(auth("get-or-create", "client.x", "foo", "allow r").run(), -22, "",
                "Error EINVAL: unknown cap type 'foo'");
        assertOutcome(auth("get-or-create", "foo", "mon", "allow *", "osd", "allow *").run(), -22, "",
                "Error EINVAL: bad entity name");
        Outcome readWrite = auth("get-or-create", "client.rw", "mon", "profile rbd", "osd", "profile rbd").run();
        assertEquals(-22, readWrite.code(), readWrite::toString);
        assertTrue(readWrite.stderr().startsWith("Error EINVAL: cannot map caps mon 'profile rbd' osd 'profile rbd' of "
                + "client.rw onto the embedded cluster's capabilities; it supports mon 'allow *' osd 'allow *' (admin), "
                + "mon 'profile rbd-mirror-peer' osd 'profile rbd' (rbd-mirror-peer), mon 'profile rbd' osd "
                + "'profile rbd-read-only' (read-only)"), readWrite::toString);
        assertOutcome(auth("get", "client.rw").run(), -2, "", "Error ENOENT: failed to find client.rw in keyring");
        assertOutcome(auth("get", "foo").run(), -22, "", "Error EINVAL: invalid entity_auth foo");
        assertOutcome(auth("print-key", "client.rw").run(), -2, "", "Error ENOENT: don't have client.rw");
    }

    @Test
    void getLsAndPrintKeyShowKeysAndCaps() {
        String key = createReadOnly();
        assertOutcome(auth("get", "client.ro").run(), 0, "[client.ro]\n\tkey = " + key + "\n"
                + "\tcaps mon = \"profile rbd\"\n\tcaps osd = \"profile rbd-read-only\"\n", "exported keyring for client.ro\n");
        assertOutcome(auth("print-key", "client.ro").run(), 0, key, "");
        assertOutcome(auth("ls").run(), 0, "client.admin\n\tkey: " + ADMIN_KEY + "\n"
                + "\tcaps: [mds] allow *\n\tcaps: [mgr] allow *\n\tcaps: [mon] allow *\n\tcaps: [osd] allow *\n"
                + "client.ro\n\tkey: " + key + "\n\tcaps: [mon] profile rbd\n\tcaps: [osd] profile rbd-read-only\n",
                "installed auth entries:\n\n");
        assertOutcome(auth("list").json().run(), 0, "{\"auth_dump\":["
                + "{\"entity\":\"client.admin\",\"key\":\"" + ADMIN_KEY + "\",\"caps\":{\"mds\":\"allow *\","
                + "\"mgr\":\"allow *\",\"mon\":\"allow *\",\"osd\":\"allow *\"}},"
                + "{\"entity\":\"client.ro\",\"key\":\"" + key + "\",\"caps\":{\"mon\":\"profile rbd\","
                + "\"osd\":\"profile rbd-read-only\"}}]}\n", "");
    }

    @Test
    void rmRemovesOnceAndNeverTheHostsOwnClient() throws Exception {
        String key = createReadOnly();
        assertOutcome(auth("rm", "client.ro").run(), 0, "", "updated\n");
        assertOutcome(auth("del", "client.ro").run(), 0, "", "entity client.ro does not exist\n");
        ClusterException lockedOut = assertThrows(ClusterException.class, () -> Await.result(connect("client.ro", key)));
        assertEquals(Errno.EACCES, lockedOut.errno(), lockedOut.getMessage());
        assertOutcome(auth("rm", "client.admin").run(), -16, "",
                "Error EBUSY: refusing to remove client.admin: this host authenticates with it");
        assertOutcome(auth("rm", "foo").run(), -22, "", "Error EINVAL: bad entity name");
        assertTrue(auth("ls").run().stdout().startsWith("client.admin\n"));
    }

    @Test
    void aReadOnlyClientCreatedByTheCommandReadsButCannotWrite() throws Exception {
        Await.result(cluster.createPool("rbd"));
        Await.result(cluster.initPool("rbd"));
        ImageSpec disk = ImageSpec.of("rbd", "", "disk");
        Await.result(cluster.createImage(disk, ImageOptions.of(1 << 20)));
        Image writer = Await.result(cluster.openImage(disk));
        Await.result(writer.write(0, Buffer.buffer("written by admin")));
        Await.result(writer.close());

        Cluster viewer = Await.result(connect("client.ro", createReadOnly()));
        try {
            assertEquals("client.ro", viewer.clientName());
            RbdModule viewerModule = new RbdModule();
            Await.result(viewerModule.start(new TestModuleContext(vertx, viewer, Map.of())));
            CommandRunner asViewer = new CommandRunner(viewerModule, vertx.getOrCreateContext());
            assertOutcome(asViewer.call("ls").run(), 0, "disk\n", "");
            Outcome create = asViewer.call("create").arg("image-spec", "mine").arg("size", "1M").run();
            assertEquals(-13, create.code(), create::toString);
            assertTrue(create.stderr().contains("(13) Permission denied"), create::toString);
            Outcome newClient = asViewer.call("auth get-or-create").arg(AuthCommands.ENTITY, "client.mine").run();
            assertEquals(-13, newClient.code(), "the auth database is admin-only: " + newClient);
            Await.result(viewerModule.stop());

            Image image = Await.result(viewer.openImage(disk));
            assertEquals("written by admin", Await.result(image.read(0, 16)).toString());
            ClusterException write = assertThrows(ClusterException.class,
                    () -> Await.result(image.write(0, Buffer.buffer("nope"))));
            assertEquals(Errno.EACCES, write.errno(), write.getMessage());
            Await.result(image.close());
        } finally {
            Await.result(viewer.close());
        }
    }

    /** Connects as an operator's client would: {@code mon_host}, {@code client} and {@code key} in [embedded]. */
    private io.vertx.core.Future<Cluster> connect(String client, String key) throws Exception {
        String monHost = Await.result(cluster.configKeyGet(ClusterServer.ADVERTISED_MON_HOST_KEY)).orElseThrow();
        return embedded().connect(vertx, Map.of("mon_host", monHost, "client", client, "key", key));
    }
}
