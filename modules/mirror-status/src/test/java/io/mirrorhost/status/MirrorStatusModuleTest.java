package io.mirrorhost.status;

import static io.mirrorhost.status.MirrorStatusCollectorTest.T0;
import static io.mirrorhost.status.MirrorStatusCollectorTest.await;
import static io.mirrorhost.status.MirrorStatusCollectorTest.counts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.RoleFakes;
import io.mirrorhost.api.testing.TestModuleContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MirrorStatusModuleTest {
    private Vertx vertx;
    private final FakeClock clock = new FakeClock(T0);
    private final MirrorStatusCollectorTest.TwoPools pools = new MirrorStatusCollectorTest.TwoPools();
    private final MirrorStatusModule module = new MirrorStatusModule();
    private HttpServer server;
    private WebClient client;

    @BeforeEach
    void startModuleBehindRealHttp() throws Exception {
        vertx = Vertx.vertx();
        Cluster cluster = RoleFakes.cluster(pools);
        TestModuleContext ctx = new TestModuleContext(vertx, "site-a", cluster, clock, module)
                .withOption(MirrorStatusModule.REFRESH_INTERVAL, "10");
        Router root = Router.router(vertx);
        Router sub = Router.router(vertx);
        module.routes(sub, ctx);
        root.route("/api/v1/mirror-status/*").subRouter(sub);
        server = await(vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1"));
        client = WebClient.create(vertx);
        await(module.start(ctx));
    }

    @AfterEach
    void stop() throws Exception {
        await(module.stop());
        await(vertx.close());
    }

    private JsonObject summary() throws Exception {
        return await(client.get(server.actualPort(), "127.0.0.1", "/api/v1/mirror-status/summary").send())
                .bodyAsJsonObject();
    }

    @Test
    void servesTheCollectedSummaryAndRefreshesOnTheClock() throws Exception {
        JsonObject first = summary();
        assertEquals("WARNING", first.getString("health"));
        assertEquals(T0.toString(), first.getString("collected_at"));
        assertNull(first.getString("last_error"));

        pools.summaries.put(new PoolNamespace("rbd", "ns1"), counts(MirrorImageStatusState.REPLAYING, 1));
        clock.advance(Duration.ofSeconds(9));
        assertEquals("WARNING", summary().getString("health"), "no refresh before the interval");
        clock.advance(Duration.ofSeconds(1));
        JsonObject second = summary();
        assertEquals("OK", second.getString("health"));
        assertEquals(T0.plusSeconds(10).toString(), second.getString("collected_at"));
    }

    @Test
    void aFailedRefreshKeepsTheLastCountsAndSaysWhy() throws Exception {
        pools.summaries.put(PoolNamespace.of("rbd"), null);
        clock.advance(Duration.ofSeconds(10));
        JsonObject json = summary();
        assertTrue(json.getString("last_error") != null, json.encode());
        assertEquals(2, json.getJsonArray("namespaces").size(), "previous counts kept");
    }

    @Test
    void servesPrometheusMetrics() throws Exception {
        var response = await(client.get(server.actualPort(), "127.0.0.1", "/api/v1/mirror-status/metrics").send());
        assertEquals(200, response.statusCode());
        assertTrue(response.getHeader("Content-Type").startsWith("text/plain"));
        assertTrue(response.bodyAsString().contains("mirrorhost_mirror_images{namespace=\"\",pool=\"rbd\",state=\"stopped\"} 1.0"));
    }
}
