package io.mirrorhost.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.host.CommandCatalog;
import io.mirrorhost.host.Host;
import io.mirrorhost.host.SiteConf;
import io.mirrorhost.host.testing.TestSites;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** rbdm against a real host over real HTTP: exit statuses, output formats, help. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RbdmEndToEndTest {
    private static final CommandCatalog CATALOG = CommandCatalog.load();

    @TempDir
    Path dir;
    private Host host;
    private Path conf;

    /** What one rbdm run printed and returned. */
    record Run(int status, byte[] stdoutBytes, String stderr) {
        String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        Path siteDir = Files.createDirectories(dir.resolve("site"));
        Path written = TestSites.writeConf(siteDir, "site-a", 0, "");
        host = await(Host.start(vertx, SiteConf.load(written)));
        // the conf the CLI reads: same site, the port the host really got
        conf = dir.resolve("site-a.conf");
        Files.writeString(conf, Files.readString(written).replace("listen_port = 0", "listen_port = " + host.port()));
    }

    @AfterEach
    void stop() throws Exception {
        await(host.close());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Run rbdm(String... args) {
        return rbdmWith(Map.of(), new byte[0], args);
    }

    private Run rbdmWith(Map<String, String> env, byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Rbdm(CATALOG, env, new ByteArrayInputStream(stdin), new PrintStream(out, true),
                new PrintStream(err, true)).run(args);
        return new Run(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    private String[] withConf(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--conf";
        all[1] = conf.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    @Test
    void moduleLsPrintsThePlainTable() {
        Run run = rbdm(withConf("mgr", "module", "ls"));
        assertEquals(0, run.status(), run.stderr());
        assertTrue(run.stdout().startsWith("MODULE "), run.stdout());
        assertTrue(run.stdout().contains("\ncore   on (always on) "), run.stdout());
        assertTrue(run.stdout().contains("\noptin  - "), run.stdout());
        assertEquals("", run.stderr());
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommandWords() {
        Run before = rbdm(withConf("--format", "json", "mgr", "module", "ls"));
        Run after = rbdm("mgr", "module", "ls", "--format=json", "--conf", conf.toString());
        assertEquals(0, before.status(), before.stderr());
        assertEquals(before.stdout(), after.stdout());
        JsonObject listing = new JsonObject(before.stdout());
        assertEquals(new JsonArray().add("core"), listing.getJsonArray("always_on_modules"));
        assertTrue(before.stdout().endsWith("}\n"));
        Run pretty = rbdm(withConf("mgr", "module", "ls", "--format", "json", "--pretty-format"));
        assertEquals(listing, new JsonObject(pretty.stdout()));
        assertTrue(pretty.stdout().contains("\n    \"always_on_modules\": [\n        \"core\""), pretty.stdout());
    }

    @Test
    void argumentsAreParsedFromTheSpecsAndSentAsText() {
        Run run = rbdm(withConf("--format", "json", "echo", "hello", "-c", "3", "--tag", "a", "--tag", "b",
                "--loud", "--size", "1G", "--mode", "fast", "--ratio", "0.5"));
        assertEquals(0, run.status(), run.stderr());
        assertEquals(new JsonObject().put("count", 3).put("loud", true).put("mode", "fast").put("ratio", 0.5)
                .put("size", 1L << 30).put("tag", new JsonArray().add("a").add("b")).put("text", "hello"),
                new JsonObject(run.stdout()));
    }

    @Test
    void disabledModuleCommandExitsWithEopnotsupp() {
        assertEquals(0, rbdm(withConf("mgr", "module", "disable", "echo")).status());
        Run run = rbdm(withConf("echo", "hi"));
        assertEquals(95, run.status());
        assertEquals("Module 'echo' is not enabled (required by command 'echo'): use `rbdm mgr module enable echo`"
                + " to enable it\n", run.stderr());
        assertEquals("", run.stdout());
        assertEquals(0, rbdm(withConf("mgr", "module", "enable", "echo")).status());
        assertEquals("{\"loud\":false,\"text\":\"hi\"}\n", rbdm(withConf("echo", "hi")).stdout());
    }

    @Test
    void errorsExitWithTheirErrno() {
        Run alwaysOn = rbdm(withConf("mgr", "module", "disable", "core"));
        assertEquals(22, alwaysOn.status());
        assertEquals("Error EINVAL: module 'core' cannot be disabled (always-on)\n", alwaysOn.stderr());
        Run missing = rbdm(withConf("echo", "fail", "ENOENT"));
        assertEquals(2, missing.status());
        assertEquals("echo: failed on request: (2) No such file or directory\n", missing.stderr());
        Run exists = rbdm(withConf("echo", "fail", "EEXIST"));
        assertEquals(17, exists.status());
        Run crash = rbdm(withConf("echo", "crash"));
        assertEquals(5, crash.status());
        assertEquals("internal error in module echo, see the host log\n", crash.stderr());
    }

    @Test
    void badArgumentsAreToldWithoutAStackTrace() {
        Run range = rbdm(withConf("echo", "hi", "--count", "11"));
        assertEquals(22, range.status());
        assertEquals("rbdm: argument 'count' must be at most 10, got 11\n", range.stderr());
        Run choice = rbdm(withConf("echo", "hi", "--mode", "medium"));
        assertEquals("rbdm: invalid value 'medium' for argument 'mode': choose from fast, slow\n", choice.stderr());
        Run missing = rbdm(withConf("echo"));
        assertEquals(22, missing.status());
        assertEquals("rbdm: missing required argument 'text' for command 'echo'\n", missing.stderr());
        Run unknownOption = rbdm(withConf("echo", "hi", "--colour", "red"));
        assertEquals(22, unknownOption.status());
        assertTrue(unknownOption.stderr().startsWith("rbdm: unknown options: '--colour', 'red'"),
                unknownOption.stderr());
        Run unknownCommand = rbdm(withConf("mgr", "modul", "ls"));
        assertEquals(22, unknownCommand.status());
        assertTrue(unknownCommand.stderr().startsWith("rbdm: unknown command 'mgr modul ls' (did you mean"
                + " 'mgr module ls'"), unknownCommand.stderr());
        Run format = rbdm(withConf("--format", "yaml", "mgr", "module", "ls"));
        assertEquals(22, format.status());
        assertEquals("rbd: --format chosen format is invalid: 'yaml'\n", format.stderr());
        for (Run run : new Run[] {range, choice, missing, unknownOption, unknownCommand, format}) {
            assertTrue(!run.stderr().contains("Exception") && !run.stderr().contains("\tat "), run.stderr());
        }
    }

    @Test
    void helpWorksOnEveryCommandAndGroupWithoutAHost() {
        Run root = rbdm("--help");
        assertEquals(0, root.status());
        assertTrue(root.stdout().contains("Usage: rbdm"), root.stdout());
        assertTrue(root.stdout().contains("  mgr "), root.stdout());
        assertTrue(root.stdout().contains("  echo "), root.stdout());
        Run group = rbdm("mgr", "module", "--help");
        assertEquals(0, group.status());
        assertTrue(group.stdout().contains("  disable "), group.stdout());
        Run leaf = rbdm("echo", "--help");
        assertEquals(0, leaf.status());
        assertTrue(leaf.stdout().contains("<text>"), leaf.stdout());
        assertTrue(leaf.stdout().contains("-c, --count=<count>"), leaf.stdout());
        assertTrue(leaf.stdout().contains("(fast, slow)"), leaf.stdout());
        for (CommandCatalog.Entry entry : CATALOG.commands()) {
            String[] words = (entry.spec().prefix() + " --help").split(" ");
            Run help = rbdm(words);
            assertEquals(0, help.status(), entry.spec().prefix());
            assertTrue(help.stdout().startsWith("Usage: rbdm " + entry.spec().prefix()), help.stdout());
        }
        Run bare = rbdm("mgr");
        assertEquals(22, bare.status());
        assertTrue(bare.stderr().contains("Usage: rbdm mgr"), bare.stderr());
        Run unknownWithHelp = rbdm("frobnicate", "--help");
        assertEquals(22, unknownWithHelp.status());
        assertTrue(unknownWithHelp.stderr().startsWith("rbdm: unknown command 'frobnicate'"), unknownWithHelp.stderr());
        Run unknownLeafWithHelp = rbdm("mgr", "module", "frob", "--help");
        assertEquals(22, unknownLeafWithHelp.status());
        assertTrue(unknownLeafWithHelp.stderr().startsWith("rbdm: unknown command 'mgr module frob'"),
                unknownLeafWithHelp.stderr());
        assertEquals("", unknownLeafWithHelp.stdout());
    }

    @Test
    void binaryOutputIsWrittenRaw() {
        Run run = rbdm(withConf("echo", "binary"));
        assertEquals(0, run.status());
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, run.stdoutBytes());
    }

    @Test
    void dashReadsStandardInputAndPathsBecomeAbsolute() {
        Run stdin = rbdmWith(Map.of(), "twelve bytes".getBytes(StandardCharsets.UTF_8),
                withConf("echo", "import", "-"));
        assertEquals("path=- bytes=12\n", stdin.stdout());
        Run file = rbdm(withConf("echo", "import", "some/file.img"));
        assertEquals("path=" + Path.of("some/file.img").toAbsolutePath() + " bytes=-1\n", file.stdout());
        Run missing = rbdm(withConf("echo", "import", "some/missing"));
        assertEquals(2, missing.status());
        assertEquals("rbd: error opening some/missing\n", missing.stderr(), "errors name the file as it was typed");
    }

    @Test
    void standardInputBeyondJacksonsDefaultStringLimitGetsThrough() {
        byte[] big = new byte[24 << 20];
        new java.util.Random(7).nextBytes(big);
        Run stdin = rbdmWith(Map.of(), big, withConf("echo", "import", "-"));
        assertEquals(0, stdin.status(), stdin.stderr());
        assertEquals("path=- bytes=" + big.length + "\n", stdin.stdout());
    }

    @Test
    void clusterNameSelectsTheConfInTheConfDir() throws Exception {
        Path confDir = Files.createDirectories(dir.resolve("confdir"));
        Files.copy(conf, confDir.resolve("blue.conf"));
        Run run = rbdmWith(Map.of("MIRRORHOST_CONF_DIR", confDir.toString()), new byte[0],
                "--cluster", "blue", "core", "status");
        assertEquals(0, run.status(), run.stderr());
        assertEquals("core is running\n", run.stdout());
        Run missing = rbdmWith(Map.of("MIRRORHOST_CONF_DIR", confDir.toString()), new byte[0],
                "--cluster", "green", "core", "status");
        assertEquals(2, missing.status());
        assertEquals("rbdm: cannot read the configuration of cluster 'green': " + confDir.resolve("green.conf")
                + " not found\n", missing.stderr());
    }

    @Test
    void unreachableHostExits111() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path down = dir.resolve("down.conf");
        Files.writeString(down, Files.readString(conf).replace("listen_port = " + host.port(),
                "listen_port = " + closedPort));
        Run run = rbdm("--conf", down.toString(), "--cluster", "down", "mgr", "module", "ls");
        assertEquals(111, run.status());
        assertEquals("rbdm: cannot reach the host of cluster 'down' at 127.0.0.1:" + closedPort
                + ": connection refused (is bin/mirrorhost running?)\n", run.stderr());
    }

    @Test
    void wrongApiKeyExits13() throws Exception {
        Path wrong = dir.resolve("wrong.conf");
        Files.writeString(wrong, Files.readString(conf).replace(TestSites.API_KEY, "not-the-key"));
        Run run = rbdm("--conf", wrong.toString(), "mgr", "module", "ls");
        assertEquals(13, run.status());
        assertEquals("rbdm: permission denied: missing or wrong API key\n", run.stderr());
    }
}
