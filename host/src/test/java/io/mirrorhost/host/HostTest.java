package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.host.testing.BrokenModule;
import io.mirrorhost.host.testing.EchoModule;
import io.mirrorhost.host.testing.TestSites;
import io.mirrorhost.host.testing.TestSites.Api;
import io.mirrorhost.host.testing.TestSites.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A real host on the memory backend with the test modules, driven over real HTTP. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private Host host;
    private Api api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        this.vertx = vertx;
        BrokenModule.FAIL.set(true);
        BrokenModule.THROW.set(false);
        EchoModule.CHANGED_OPTIONS.clear();
        TestSites.writeConf(dir, "site-a", 0, "[mgr/echo]\ngreeting = hi");
        startHost();
    }

    private void startHost() throws Exception {
        host = await(Host.start(vertx, SiteConf.load(dir.resolve("site-a.conf"))));
        api = new Api(host.port());
    }

    private void restartHost() throws Exception {
        await(host.close());
        startHost();
    }

    @AfterEach
    void stop() throws Exception {
        await(host.close());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void healthNeedsNoKeyAndNamesTheSite() {
        Reply reply = api.get("/api/v1/health", null);
        assertEquals(200, reply.status());
        assertEquals(new JsonObject().put("status", "ok").put("site_name", "site-a"), reply.json());
    }

    @Test
    void missingOrWrongApiKeyIsRefusedWith401() {
        for (String key : new String[] {null, "wrong-key", ""}) {
            Reply reply = api.post("/api/v1/command", "{\"prefix\":\"mgr module ls\"}", key);
            assertEquals(401, reply.status(), "key " + key);
            assertEquals(-13, reply.code());
            assertEquals("rbdm: permission denied: missing or wrong API key", reply.stderr());
            assertEquals(401, api.get("/api/v1/commands", key).status());
            assertEquals(401, api.get("/api/v1/echo/ping", key).status());
        }
        assertEquals(200, api.post("/api/v1/command", "{\"prefix\":\"mgr module ls\"}", "ops-key-42").status());
    }

    @Test
    void refusalsAreLoggedWithoutTheKey() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            api.post("/api/v1/command", "{\"prefix\":\"mgr module ls\"}", "guessed-secret-123");
            api.get("/api/v1/commands", null);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString();
        assertTrue(log.contains("refused POST /api/v1/command from 127.0.0.1"), log);
        assertTrue(log.contains(": wrong API key"), log);
        assertTrue(log.contains("refused GET /api/v1/commands from 127.0.0.1"), log);
        assertTrue(log.contains(": missing API key"), log);
        assertFalse(log.contains("guessed-secret-123"), log);
    }

    @Test
    void aHostAloneLeadsItsSiteNamedAfterItsConf() {
        // the memory backend cannot fence: the term's epoch 0 is checked by no storage
        assertEquals("site-a leader@0 module echo runs EVERYWHERE: only a SPREAD module has a work assignment\n",
                api.command("echo site", Map.of()).stdout());
    }

    @Test
    void unknownApiPathsAre404() {
        Reply reply = api.get("/api/v1/nosuch/thing", TestSites.API_KEY);
        assertEquals(404, reply.status());
        assertEquals(-2, reply.code());
        assertEquals("rbdm: no API route GET /api/v1/nosuch/thing", reply.stderr());
    }

    @Test
    void moduleLsPlainFollowsCephTable() {
        Reply reply = api.command("mgr module ls", Map.of());
        assertEquals(200, reply.status());
        String failed = "on (failed: no spare disk for the broken module)";
        String row = "%-6s %-" + failed.length() + "s \n";
        assertEquals(String.format(row, "MODULE", "")
                + String.format(row, "core", "on (always on)")
                + String.format(row, "broken", failed)
                + String.format(row, "echo", "on")
                + String.format(row, "optin", "-"), reply.stdout());
    }

    @Test
    void moduleLsJsonListsAlwaysOnEnabledDisabledAndFailed() {
        JsonObject listing = new JsonObject(api.command("mgr module ls", Map.of(), "json").stdout());
        assertEquals(new JsonArray().add("core"), listing.getJsonArray("always_on_modules"));
        assertEquals(new JsonArray().add("broken").add("echo"), listing.getJsonArray("enabled_modules"));
        JsonArray disabled = listing.getJsonArray("disabled_modules");
        assertEquals(1, disabled.size());
        JsonObject optin = disabled.getJsonObject(0);
        assertEquals("optin", optin.getString("name"));
        assertTrue(optin.getBoolean("can_run"));
        assertEquals("", optin.getString("error_string"));
        assertEquals(new JsonObject(), optin.getJsonObject("module_options"));
        assertEquals(new JsonArray().add(new JsonObject().put("name", "broken")
                .put("error_string", "no spare disk for the broken module")), listing.getJsonArray("failed_modules"));
    }

    @Test
    void prettyJsonIsIndentedAsCephJsonPretty() {
        Reply reply = api.post("/api/v1/command", new JsonObject().put("prefix", "mgr module ls").put("format", "json")
                .put("pretty_format", true).encode(), TestSites.API_KEY);
        assertTrue(reply.stdout().startsWith("{\n    \"always_on_modules\": [\n        \"core\"\n    ],\n"
                + "    \"enabled_modules\": [\n        \"broken\",\n        \"echo\"\n    ],\n"), reply.stdout());
        assertTrue(reply.stdout().contains("\"module_options\": {}\n"), reply.stdout());
        assertEquals(new JsonObject(api.command("mgr module ls", Map.of(), "json").stdout()),
                new JsonObject(reply.stdout()));
    }

    @Test
    void xmlFormatNamesListItems() {
        String xml = api.command("mgr module ls", Map.of(), "xml").stdout();
        assertTrue(xml.startsWith("<modules><always_on_modules><module>core</module></always_on_modules>"
                + "<enabled_modules><module>broken</module><module>echo</module></enabled_modules>"), xml);
    }

    @Test
    void disabledModuleListsItsOptionsAsCephDoes() {
        assertEquals(200, api.command("mgr module disable", Map.of("module", "echo")).status());
        JsonObject echo = new JsonObject(api.command("mgr module ls", Map.of(), "json").stdout())
                .getJsonArray("disabled_modules").stream().map(JsonObject.class::cast)
                .filter(m -> m.getString("name").equals("echo")).findFirst().orElseThrow();
        JsonObject limit = echo.getJsonObject("module_options").getJsonObject("limit");
        assertEquals("int", limit.getString("type"));
        assertEquals("5", limit.getString("default_value"));
        assertEquals("1", limit.getString("min"));
        assertEquals("100", limit.getString("max"));
        assertEquals(new JsonArray().add("plain").add("fancy"),
                echo.getJsonObject("module_options").getJsonObject("flavour").getJsonArray("enum_allowed"));
    }

    @Test
    void disableAndEnableTakeEffectAtOnce() {
        assertEquals("true\n", api.command("echo where", Map.of()).stdout());
        Reply disable = api.command("mgr module disable", Map.of("module", "echo"));
        assertEquals(200, disable.status());
        assertEquals(0, disable.code());

        Reply refused = api.command("echo", Map.of("text", "hi"));
        assertEquals(503, refused.status());
        assertEquals(-95, refused.code());
        assertEquals("Module 'echo' is not enabled (required by command 'echo'): use `rbdm mgr module enable echo`"
                + " to enable it", refused.stderr());
        Reply route = api.get("/api/v1/echo/ping", TestSites.API_KEY);
        assertEquals(503, route.status());
        assertEquals(-95, route.code());
        assertEquals("module 'echo' is already disabled",
                api.command("mgr module disable", Map.of("module", "echo")).stderr());

        assertEquals(200, api.command("mgr module enable", Map.of("module", "echo")).status());
        assertEquals("{\"loud\":false,\"text\":\"hi\"}\n", api.command("echo", Map.of("text", "hi")).stdout());
        assertEquals("module 'echo' is already enabled",
                api.command("mgr module enable", Map.of("module", "echo")).stderr());
    }

    @Test
    void enabledStateIsKeptInTheClusterAndSurvivesRestart() throws Exception {
        api.command("mgr module disable", Map.of("module", "echo"));
        api.command("mgr module enable", Map.of("module", "optin"));
        restartHost();
        JsonObject listing = new JsonObject(api.command("mgr module ls", Map.of(), "json").stdout());
        assertTrue(listing.getJsonArray("enabled_modules").contains("optin"));
        assertFalse(listing.getJsonArray("enabled_modules").contains("echo"));
        assertEquals(503, api.command("echo", Map.of("text", "x")).status());
        assertEquals("hello from optin\n", api.command("optin hello", Map.of()).stdout());
    }

    @Test
    void alwaysOnModuleRefusesDisableWithCephWording() {
        Reply reply = api.command("mgr module disable", Map.of("module", "core"));
        assertEquals(400, reply.status());
        assertEquals(-22, reply.code());
        assertEquals("Error EINVAL: module 'core' cannot be disabled (always-on)", reply.stderr());
        assertEquals("core is running\n", api.command("core status", Map.of()).stdout());
        assertEquals("module 'core' is already enabled (always-on)",
                api.command("mgr module enable", Map.of("module", "core")).stderr());
    }

    @Test
    void unknownModuleIsNamed() {
        Reply reply = api.command("mgr module enable", Map.of("module", "nosuch"));
        assertEquals(404, reply.status());
        assertEquals(-2, reply.code());
        assertEquals("Error ENOENT: module 'nosuch' not found (known modules: broken, core, echo, optin)",
                reply.stderr());
    }

    @Test
    void failedModuleKeepsHostUpAnswers503AndEnableRetries() {
        assertEquals("core is running\n", api.command("core status", Map.of()).stdout());
        Reply refused = api.command("broken status", Map.of());
        assertEquals(503, refused.status());
        assertEquals(-95, refused.code());
        assertEquals("Module 'broken' failed to start (required by command 'broken status'): no spare disk for the"
                + " broken module; use `rbdm mgr module enable broken` to retry", refused.stderr());

        BrokenModule.THROW.set(true);
        Reply stillBroken = api.command("mgr module enable", Map.of("module", "broken"));
        assertEquals(0, stillBroken.code());
        assertEquals("module 'broken' is enabled but failed to start: broken threw while starting",
                stillBroken.stderr());
        assertTrue(api.command("mgr module ls", Map.of()).stdout()
                .contains("on (failed: broken threw while starting)"));

        BrokenModule.FAIL.set(false);
        assertEquals(0, api.command("mgr module enable", Map.of("module", "broken")).code());
        assertEquals("broken is running\n", api.command("broken status", Map.of()).stdout());
        assertTrue(new JsonObject(api.command("mgr module ls", Map.of(), "json").stdout())
                .getJsonArray("failed_modules").isEmpty());
    }

    @Test
    void argumentsArriveTypedFromStringsAndJsonValues() {
        Reply reply = api.command("echo", Map.of("text", "hi", "count", "3", "ratio", 0.5, "size", "2M",
                "mode", "fast", "tag", List.of("a", "b"), "loud", "true"), "json");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(new JsonObject().put("count", 3).put("loud", true).put("mode", "fast").put("ratio", 0.5)
                .put("size", 2097152).put("tag", new JsonArray().add("a").add("b")).put("text", "hi"),
                new JsonObject(reply.stdout()));
    }

    @Test
    void badArgumentsGet400NamingTheArgumentAndProblem() {
        Map<Map<String, Object>, String> cases = Map.of(
                Map.of("text", "x", "count", "many"), "rbdm: argument 'count' must be an integer, got 'many'",
                Map.of("text", "x", "count", "11"), "rbdm: argument 'count' must be at most 10, got 11",
                Map.of("text", "x", "ratio", "half"), "rbdm: argument 'ratio' must be a number, got 'half'",
                Map.of("text", "x", "size", "12Q"), "rbdm: argument 'size' must be a size such as 1024, 10M or 1G,"
                        + " got '12Q'",
                Map.of("text", "x", "mode", "medium"), "rbdm: invalid value 'medium' for argument 'mode':"
                        + " choose from fast, slow",
                Map.of("text", "x", "loud", "maybe"), "rbdm: argument 'loud' must be true or false, got 'maybe'",
                Map.of(), "rbdm: missing required argument 'text' for command 'echo'",
                Map.of("text", "x", "colour", "red"), "rbdm: unknown argument 'colour' for command 'echo'"
                        + " (known: text, count, ratio, size, mode, tag, loud)");
        cases.forEach((args, message) -> {
            Reply reply = api.command("echo", args);
            assertEquals(400, reply.status(), message);
            assertEquals(-22, reply.code());
            assertEquals(message, reply.stderr());
            assertFalse(reply.body().contains("Exception"), reply.body());
        });
    }

    @Test
    void unknownCommandSuggestsClosePrefixes() {
        Reply reply = api.command("mgr modul ls", Map.of());
        assertEquals(400, reply.status());
        assertEquals(-22, reply.code());
        assertEquals("rbdm: unknown command 'mgr modul ls' (did you mean 'mgr module ls' or 'mgr dump' or 'mgr module enable'?)",
                reply.stderr());
        Reply far = api.command("zzz", Map.of());
        assertEquals("rbdm: unknown command 'zzz' (bin/rbdm --help lists the commands)", far.stderr());
    }

    @Test
    void extraWordsAfterThePrefixFillPositionals() {
        assertEquals("hi bob\n", api.command("echo greet bob", Map.of()).stdout());
        Reply tooMany = api.command("echo greet bob alice", Map.of());
        assertEquals(400, tooMany.status());
        assertEquals("rbdm: too many arguments for 'echo greet': 'alice'", tooMany.stderr());
    }

    @Test
    void malformedRequestsGet400() {
        assertEquals(400, api.post("/api/v1/command", "{not json", TestSites.API_KEY).status());
        assertEquals(400, api.post("/api/v1/command", "[1,2]", TestSites.API_KEY).status());
        Reply noPrefix = api.post("/api/v1/command", "{\"args\":{}}", TestSites.API_KEY);
        assertEquals(400, noPrefix.status());
        assertEquals(-22, noPrefix.code());
        Reply badArgs = api.post("/api/v1/command", "{\"prefix\":\"echo\",\"args\":[1]}", TestSites.API_KEY);
        assertEquals("rbdm: malformed request: 'args' must be an object of argument values", badArgs.stderr());
        Reply badFormat = api.command("mgr module ls", Map.of(), "yaml");
        assertEquals(400, badFormat.status());
        assertEquals("rbdm: rbd: --format chosen format is invalid: 'yaml'", badFormat.stderr());
    }

    @Test
    void errnoMapsToHttpStatus() {
        assertEquals(404, api.command("echo fail", Map.of("errno", "ENOENT")).status());
        assertEquals(409, api.command("echo fail", Map.of("errno", "EEXIST")).status());
        assertEquals(409, api.command("echo fail", Map.of("errno", "EBUSY")).status());
        assertEquals(409, api.command("echo fail", Map.of("errno", "ENOTEMPTY")).status());
        assertEquals(400, api.command("echo fail", Map.of("errno", "EINVAL")).status());
        Reply other = api.command("echo fail", Map.of("errno", "EROFS"));
        assertEquals(400, other.status());
        assertEquals(-30, other.code());
        assertEquals("echo: failed on request: (30) Read-only file system", other.stderr());
        Reply cluster = api.command("echo cluster-fail", Map.of());
        assertEquals(409, cluster.status());
        assertEquals(-17, cluster.code());
    }

    @Test
    void internalFailureIs500WithoutStackTrace() {
        Reply reply = api.command("echo crash", Map.of());
        assertEquals(500, reply.status());
        assertEquals(-5, reply.code());
        assertEquals("internal error in module echo, see the host log", reply.stderr());
        assertEquals(200, api.command("echo where", Map.of()).status());
    }

    @Test
    void handlersRoutesAndClockRunOnTheModulesContext() {
        assertEquals("true\n", api.command("echo where", Map.of()).stdout());
        assertEquals("true\n", api.command("echo later", Map.of()).stdout());
        Reply ping = api.get("/api/v1/echo/ping", TestSites.API_KEY);
        assertEquals(200, ping.status());
        assertEquals(new JsonObject().put("pong", true).put("on_module_context", true), ping.json());
        assertEquals(404, api.get("/api/v1/echo/nothing-here", TestSites.API_KEY).status());
    }

    @Test
    void periodicClockTasksRunOnTheModulesContextUntilCancelled() {
        assertEquals("3 true true false\n", api.command("echo ticks", Map.of()).stdout());
    }

    @Test
    void connectPeerGoesThroughTheBackend() {
        Reply reply = api.command("echo peer", Map.of());
        assertEquals(400, reply.status());
        assertEquals(-95, reply.code());
        assertEquals("rbdm: echo peer failed: the memory backend has no peers: (95) Operation not supported", reply.stderr());
    }

    @Test
    void moduleStoreLivesUnderItsNameInConfigKeys() throws Exception {
        assertEquals(0, api.command("echo remember", Map.of("key", "colour", "value", "blue")).code());
        assertEquals("{\"colour\":\"blue\"}\n", api.command("echo recall", Map.of()).stdout());
        restartHost();
        assertEquals("{\"colour\":\"blue\"}\n", api.command("echo recall", Map.of()).stdout());
        assertTrue(java.nio.file.Files.readString(dir.resolve("state.properties")).contains("mgr/echo/colour=blue"));
    }

    @Test
    void binaryOutputTravelsAsBase64() {
        Reply reply = api.command("echo binary", Map.of());
        assertEquals(200, reply.status());
        assertEquals("AAEC/w==", reply.json().getString("stdout_base64"));
    }

    @Test
    void commandsListDescribesEveryCommandWithItsArgs() {
        JsonArray commands = api.get("/api/v1/commands", TestSites.API_KEY).jsonArray();
        JsonObject ls = commands.stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("prefix").equals("mgr module ls")).findFirst().orElseThrow();
        assertEquals("mgr", ls.getString("module"));
        JsonObject echo = commands.stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("prefix").equals("echo")).findFirst().orElseThrow();
        assertEquals("echo", echo.getString("module"));
        JsonObject count = echo.getJsonArray("args").getJsonObject(1);
        assertEquals("count", count.getString("name"));
        assertEquals("INT", count.getString("type"));
        assertEquals(new JsonArray().add("-c").add("--count"), count.getJsonArray("aliases"));
        assertEquals(10, count.getInteger("max"));
    }

    @Test
    void configSetValidatesPersistsAndNotifiesAtOnce() throws Exception {
        assertEquals("hi\n", api.command("config get", Map.of("key", "mgr/echo/greeting")).stdout());
        assertEquals("hi bob\n", api.command("echo greet", Map.of("name", "bob")).stdout());
        assertEquals(0, api.command("config set", Map.of("key", "mgr/echo/greeting", "value", "howdy")).code());
        assertEquals("howdy bob\n", api.command("echo greet", Map.of("name", "bob")).stdout());
        assertEquals(List.of("greeting=howdy@true"), EchoModule.CHANGED_OPTIONS);

        Reply outOfRange = api.command("config set", Map.of("key", "mgr/echo/limit", "value", "0"));
        assertEquals(400, outOfRange.status());
        assertEquals("Error EINVAL: error parsing value: option 'limit' must be at least 1, got 0",
                outOfRange.stderr());
        Reply badChoice = api.command("config set", Map.of("key", "mgr/echo/flavour", "value", "salty"));
        assertEquals("Error EINVAL: error parsing value: invalid value 'salty' for option 'flavour': choose from"
                + " plain, fancy", badChoice.stderr());
        Reply unknown = api.command("config get", Map.of("key", "mgr/echo/nosuch"));
        assertEquals(400, unknown.status());
        assertEquals("Error EINVAL: unrecognized config option 'mgr/echo/nosuch'", unknown.stderr());
        assertEquals("Error EINVAL: unrecognized config option 'mgr/nosuch/x': no module named 'nosuch'",
                api.command("config get", Map.of("key", "mgr/nosuch/x")).stderr());
        assertEquals("Error EINVAL: unrecognized config option 'greeting' (module options are named"
                + " mgr/MODULE/OPTION)", api.command("config get", Map.of("key", "greeting")).stderr());

        restartHost();
        assertEquals("howdy\n", api.command("config get", Map.of("key", "mgr/echo/greeting")).stdout());
        assertEquals(0, api.command("config rm", Map.of("key", "mgr/echo/greeting")).code());
        assertEquals("hi\n", api.command("config get", Map.of("key", "mgr/echo/greeting")).stdout(),
                "the conf value applies again");
        assertEquals("5\n", api.command("config get", Map.of("key", "mgr/echo/limit")).stdout());
        JsonArray all = new JsonArray(api.command("config ls", Map.of(), "json").stdout());
        assertTrue(all.contains(new JsonObject().put("name", "mgr/echo/greeting").put("value", "hi")), all.encode());
        assertTrue(all.contains(new JsonObject().put("name", "mgr/echo/limit").put("value", "5")), all.encode());
        assertTrue(api.command("config ls", Map.of()).stdout().contains("\nmgr/echo/limit    5 "));
        assertTrue(api.command("config ls", Map.of(), "xml").stdout()
                .contains("<option><name>mgr/echo/limit</name><value>5</value></option>"));
    }

    @Test
    void modulesReadSizesAndBooleansInCanonicalForm() {
        assertEquals("1048576 false\n", api.command("echo options", Map.of()).stdout());
        assertEquals(0, api.command("config set", Map.of("key", "mgr/echo/chunk", "value", "2G")).code());
        assertEquals(0, api.command("config set", Map.of("key", "mgr/echo/verbose", "value", "yes")).code());
        assertEquals("2147483648 true\n", api.command("echo options", Map.of()).stdout());
        assertEquals("2G\n", api.command("config get", Map.of("key", "mgr/echo/chunk")).stdout(),
                "config get shows the value as set");
    }

    @Test
    void anotherHostInstanceFollowsEnableAndDisable() throws Exception {
        Path conf = dir.resolve("site-a.conf");
        java.nio.file.Files.writeString(conf, java.nio.file.Files.readString(conf)
                .replace("[host]", "[host]\nmodule_refresh_interval = 0.1"));
        Host other = await(Host.start(vertx, SiteConf.load(conf)));
        try {
            Api otherApi = new Api(other.port());
            assertEquals(200, otherApi.command("echo where", Map.of()).status());
            assertEquals(0, api.command("mgr module disable", Map.of("module", "echo")).code());
            assertTrue(eventually(() -> otherApi.command("echo where", Map.of()).status() == 503));
            assertEquals(0, api.command("mgr module enable", Map.of("module", "optin")).code());
            assertTrue(eventually(() -> otherApi.command("optin hello", Map.of()).status() == 200));
        } finally {
            await(other.close());
        }
    }

    /** Waits, up to 10 s, for a condition that another host instance brings about on its own schedule. */
    private static boolean eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return condition.getAsBoolean();
    }

    @Test
    void portInUseIsReportedAndNothingIsLeftRunning() throws Exception {
        Path other = java.nio.file.Files.createDirectories(dir.resolve("busy"));
        TestSites.writeConf(other, "site-b", host.port(), "");
        Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> await(Host.start(vertx, SiteConf.load(other.resolve("site-b.conf")))));
        assertTrue(failure.getCause().getMessage().startsWith("cannot listen on 127.0.0.1:" + host.port() + ": "),
                failure.getCause().getMessage());
        assertEquals(200, api.command("echo where", Map.of()).status());
    }

    @Test
    void invalidConfOptionStopsTheHostWithAClearError() throws Exception {
        Path other = dir.resolve("other");
        java.nio.file.Files.createDirectories(other);
        TestSites.writeConf(other, "site-x", 0, "[mgr/echo]\nlimit = 1000");
        Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> await(Host.start(vertx, SiteConf.load(other.resolve("site-x.conf")))));
        assertNotNull(failure.getCause());
        assertTrue(failure.getCause().getMessage().endsWith("[mgr/echo] option 'limit' must be at most 100, got 1000"),
                failure.getCause().getMessage());
    }
}
