package io.mirrorhost.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.testing.FakeClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The module's routes served by a real HTTP server, mounted as the host mounts them. */
class ScheduleRoutesTest {
    private static final String BASE = "/api/v1/mirror-snapshot-schedule";
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final FakeCluster cluster = new FakeCluster(clock);
    private Vertx vertx;
    private HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ModuleHarness host;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        cluster.addPool("rbd");
        cluster.addImage("rbd", "", "primary", MirrorImageMode.SNAPSHOT, true);
        host = new ModuleHarness(vertx, cluster, ModuleHarness.sharedStore());
        Router root = Router.router(vertx);
        Router sub = Router.router(vertx);
        host.module.routes(sub, host.context);
        root.route(BASE + "/*").subRouter(sub);
        server = vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        host.module.stop();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private record Reply(int status, String body) {
    }

    /**
     * The JDK client, not Vert.x's: a Vert.x client driven from the test thread can attach the body
     * handler after the response has already ended and then waits forever.
     */
    private Reply get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + BASE + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body());
    }

    @Test
    void answersNotRunningBeforeStart() throws Exception {
        Reply r = get("/status");
        assertEquals(503, r.status());
        assertEquals("mirror-snapshot-schedule is not running", new JsonObject(r.body()).getString("error"));
    }

    @Test
    void servesStatusWithLastRunsAndTheSchedules() throws Exception {
        host.start();
        assertEquals(0, host.run("add", "pool", "rbd", "interval", "1h").code());
        clock.advance(Duration.ofHours(1));

        Reply status = get("/status");
        assertEquals(200, status.status());
        JsonObject body = new JsonObject(status.body());
        assertTrue(body.getBoolean("leader"));
        JsonArray images = body.getJsonArray("scheduled_images");
        assertEquals(1, images.size());
        JsonObject image = images.getJsonObject(0);
        assertEquals("rbd/primary", image.getString("image"));
        assertEquals("2026-01-01 12:00:00", image.getString("schedule_time"));
        assertEquals("2026-01-01T11:00:00Z", image.getString("last_run"));
        assertEquals(null, image.getString("last_error"));

        assertEquals(1, new JsonObject(get("/status?pool=rbd&image=primary").body())
                .getJsonArray("scheduled_images").size());
        Reply unknown = get("/status?pool=rbd&image=other");
        assertEquals(400, unknown.status());
        assertEquals("image other does not exist", new JsonObject(unknown.body()).getString("error"));
        Reply bad = get("/status?pool=nope");
        assertEquals(400, bad.status());
        assertEquals("pool nope does not exist", new JsonObject(bad.body()).getString("error"));

        Reply schedules = get("/schedules");
        assertEquals(200, schedules.status());
        assertEquals(new JsonObject().put("1", new JsonObject().put("name", "rbd/").put("schedule",
                new JsonArray().add(new JsonObject().put("interval", "1h").put("start_time", null)))),
                new JsonObject(schedules.body()));
    }
}
