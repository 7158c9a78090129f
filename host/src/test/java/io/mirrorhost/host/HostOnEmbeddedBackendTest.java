package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.host.testing.TestSites;
import io.mirrorhost.host.testing.TestSites.Api;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The host on the real embedded backend: module state, options and module stores kept in its config-keys. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostOnEmbeddedBackendTest {
    @TempDir
    Path dir;

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private Path embeddedConf() throws Exception {
        Path conf = TestSites.writeConf(dir, "site-e", 0, "");
        Files.writeString(conf, Files.readString(conf).replace("backend = memory", "backend = embedded")
                .replace("[memory]\nstate_file = state.properties", "[embedded]\ndata_dir = cluster"));
        return conf;
    }

    @Test
    void eachStartTakesTheLeaderFenceBeyondTheStoredEpoch(Vertx vertx) throws Exception {
        Path conf = embeddedConf();
        for (String term : new String[] {"leader@1", "leader@2"}) {
            Host host = await(Host.start(vertx, SiteConf.load(conf)));
            try {
                assertEquals("site-e " + term + " module echo runs EVERYWHERE: only a SPREAD module has a work assignment\n",
                        new Api(host.port()).command("echo site", Map.of()).stdout());
            } finally {
                await(host.close());
            }
        }
    }

    @Test
    void aSoloHostIsTheActiveManagerOfItsSite(Vertx vertx) throws Exception {
        Host host = await(Host.start(vertx, SiteConf.load(embeddedConf())));
        try {
            Api api = new Api(host.port());
            assertEquals("""
                    {
                        "epoch": 1,
                        "available": true,
                        "active_name": "site-e",
                        "num_standby": 0
                    }
                    """, api.command("mgr stat", Map.of()).stdout());
            assertEquals("{\"epoch\":1,\"available\":true,\"active_name\":\"site-e\",\"num_standby\":0}\n",
                    api.command("mgr stat", Map.of(), "json").stdout());
            JsonObject dump = new JsonObject(api.command("mgr dump", Map.of(), "json").stdout());
            assertEquals(new JsonObject().put("epoch", 1).put("active_gid", 1).put("active_name", "site-e")
                    .put("available", true).put("standbys", new io.vertx.core.json.JsonArray())
                    .put("modules", new io.vertx.core.json.JsonArray().add("broken").add("echo"))
                    .put("instances", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "site-e")
                            .put("role", "leader").put("leader_epoch", 1))), dump);
        } finally {
            await(host.close());
        }
    }

    @Test
    void stateSurvivesARestartOnTheEmbeddedCluster(Vertx vertx) throws Exception {
        Path conf = embeddedConf();

        Host first = await(Host.start(vertx, SiteConf.load(conf)));
        Api api = new Api(first.port());
        assertEquals(0, api.command("mgr module disable", Map.of("module", "echo")).code());
        assertEquals(0, api.command("mgr module enable", Map.of("module", "optin")).code());
        assertEquals(0, api.command("config set", Map.of("key", "mgr/echo/limit", "value", "42")).code());
        assertEquals(0, api.command("mgr module enable", Map.of("module", "echo")).code());
        assertEquals(0, api.command("echo remember", Map.of("key", "k", "value", "v")).code());
        assertEquals(0, api.command("mgr module disable", Map.of("module", "echo")).code());
        await(first.close());
        assertTrue(Files.isDirectory(dir.resolve("cluster")), "data_dir resolves against the conf's directory");

        Host second = await(Host.start(vertx, SiteConf.load(conf)));
        try {
            Api again = new Api(second.port());
            JsonObject listing = new JsonObject(again.command("mgr module ls", Map.of(), "json").stdout());
            assertFalse(listing.getJsonArray("enabled_modules").contains("echo"), listing.encode());
            assertTrue(listing.getJsonArray("enabled_modules").contains("optin"), listing.encode());
            assertEquals("42\n", again.command("config get", Map.of("key", "mgr/echo/limit")).stdout());
            assertEquals(0, again.command("mgr module enable", Map.of("module", "echo")).code());
            assertEquals("{\"k\":\"v\"}\n", again.command("echo recall", Map.of()).stdout());
        } finally {
            await(second.close());
        }
    }
}
