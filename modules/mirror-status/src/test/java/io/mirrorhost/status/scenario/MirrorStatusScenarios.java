package io.mirrorhost.status.scenario;

import static io.mirrorhost.api.testing.Deadlines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.testing.Deadlines;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.ScenarioSite;
import io.mirrorhost.api.testing.ScenarioSite.Capability;
import io.mirrorhost.status.MirrorStatusModule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mirror-status module over real HTTP (its routes as the host mounts them) on a real cluster of
 * whichever backend {@link #openSite()} gives: the summary and the Prometheus metrics of the pools and
 * namespaces with mirroring on, refreshed on the module's fake clock. No mirror daemon runs, so every
 * mirrored image is {@code unknown}; where the backend lets a client record statuses, a replaying and a
 * failing image are recorded too.
 *
 * <p>On a shared cluster (Ceph's site-a) other pools show up as well, so the scenarios look at theirs.
 */
@Timeout(180)
public abstract class MirrorStatusScenarios {
    private static final Instant T0 = Instant.parse("2030-01-07T10:00:00Z");
    private static final Duration REFRESH = Duration.ofSeconds(30);
    private static final Duration COLLECT_DEADLINE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final FakeClock clock = new FakeClock(T0);
    private ScenarioSite site;
    private Cluster cluster;

    /** The site to run on; closed after each scenario. */
    protected abstract ScenarioSite openSite();

    @BeforeEach
    void start() {
        site = openSite();
        cluster = site.cluster();
        site.start(new MirrorStatusModule(), clock);
    }

    @AfterEach
    void stop() {
        if (site != null) {
            site.close();
        }
    }

    private String get(String path) {
        HttpRequest request = HttpRequest.newBuilder(site.http().resolve("/api/v1/mirror-status/" + path))
                .timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response::body);
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("GET " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private JsonObject summary() {
        return new JsonObject(get("summary"));
    }

    /** Moves the clock one refresh interval on and waits for the collection of that moment. */
    private JsonObject refreshed() {
        clock.advance(REFRESH);
        String expected = clock.now().toString();
        Deadlines.until(COLLECT_DEADLINE, () -> "a summary collected at " + expected + ": " + get("summary"),
                () -> expected.equals(summary().getString("collected_at")));
        return summary();
    }

    /** The summary's entries of {@code pool}, in its order. */
    private static List<JsonObject> entriesOf(JsonObject summary, String pool) {
        JsonArray all = summary.getJsonArray("namespaces");
        return all.stream().map(JsonObject.class::cast).filter(ns -> pool.equals(ns.getString("pool"))).toList();
    }

    private static JsonObject entry(String pool, String namespace, String mode, String health, int images,
                                    JsonObject states) {
        return new JsonObject().put("pool", pool).put("namespace", namespace).put("mode", mode).put("health", health)
                .put("image_count", images).put("states", states);
    }

    private String mirroredPool(String prefix, MirrorMode mode) {
        String pool = site.newPool(prefix);
        await(cluster.mirrorModeSet(PoolNamespace.of(pool), mode));
        await(cluster.mirrorPeerSiteAdd(pool, "site-b", "client.remote", MirrorPeerDirection.RX_TX));
        return pool;
    }

    /** Creates an image, mirrored in {@code mode} unless null; returns its global id (null when not mirrored). */
    private String image(PoolNamespace where, String name, MirrorImageMode mode) {
        ImageSpec spec = new ImageSpec(where, name);
        await(cluster.createImage(spec, ImageOptions.of(8L << 20)));
        if (mode == null) {
            return null;
        }
        Image image = await(cluster.openImage(spec));
        try {
            await(image.mirrorEnable(mode));
            return await(image.mirrorInfo()).globalId();
        } finally {
            await(image.close());
        }
    }

    @Test
    void summaryAndMetricsCountTheMirroredImagesOfEveryMirroredPoolAndNamespace() {
        String pool = mirroredPool("status-image", MirrorMode.IMAGE);
        PoolNamespace tenant = new PoolNamespace(pool, "tenant");
        await(cluster.createNamespace(tenant));
        await(cluster.mirrorModeSet(tenant, MirrorMode.IMAGE));
        image(PoolNamespace.of(pool), "snap-1", MirrorImageMode.SNAPSHOT);
        image(PoolNamespace.of(pool), "snap-2", MirrorImageMode.SNAPSHOT);
        image(PoolNamespace.of(pool), "plain", null);
        image(tenant, "journaled", MirrorImageMode.JOURNAL);
        String off = site.newPool("status-off");
        image(PoolNamespace.of(off), "unmirrored", null);

        JsonObject summary = refreshed();
        assertNull(summary.getString("last_error"), summary::encode);
        JsonObject unknown1 = new JsonObject().put("unknown", 1);
        JsonObject unknown2 = new JsonObject().put("unknown", 2);
        assertEquals(List.of(entry(pool, "", "image", "WARNING", 2, unknown2),
                entry(pool, "tenant", "image", "WARNING", 1, unknown1)), entriesOf(summary, pool));
        assertEquals(List.of(), entriesOf(summary, off), "a pool without mirroring is not reported");
        assertNotEquals("OK", summary.getString("health"), "images no daemon reports on make at least WARNING");

        String metrics = get("metrics");
        assertTrue(metrics.contains("mirrorhost_mirror_images{namespace=\"\",pool=\"" + pool
                + "\",state=\"unknown\"} 2.0\n"), metrics);
        assertTrue(metrics.contains("mirrorhost_mirror_images{namespace=\"tenant\",pool=\"" + pool
                + "\",state=\"unknown\"} 1.0\n"), metrics);
        assertTrue(metrics.contains("mirrorhost_mirror_images{namespace=\"\",pool=\"" + pool
                + "\",state=\"replaying\"} 0.0\n"), metrics);
        assertTrue(!metrics.contains("pool=\"" + off + "\""), metrics);
        assertTrue(metrics.contains("mirrorhost_mirror_status_collect_errors 0.0\n"), metrics);
    }

    @Test
    void switchingAPoolToPoolModeAndOffFollowsOnTheNextRefresh() {
        String pool = mirroredPool("status-modes", MirrorMode.IMAGE);
        image(PoolNamespace.of(pool), "snap", MirrorImageMode.SNAPSHOT);
        assertEquals(List.of(entry(pool, "", "image", "WARNING", 1, new JsonObject().put("unknown", 1))),
                entriesOf(refreshed(), pool));

        await(cluster.mirrorModeSet(PoolNamespace.of(pool), MirrorMode.POOL));
        assertEquals(List.of(entry(pool, "", "pool", "WARNING", 1, new JsonObject().put("unknown", 1))),
                entriesOf(refreshed(), pool));
    }

    @Test
    void recordedStatusesDecideTheHealth() {
        String pool = mirroredPool("status-health", MirrorMode.IMAGE);
        PoolNamespace where = PoolNamespace.of(pool);
        String replaying = image(where, "replaying", MirrorImageMode.SNAPSHOT);
        String failing = image(where, "failing", MirrorImageMode.SNAPSHOT);
        if (!site.has(Capability.RECORDS_IMAGE_STATUS)) {
            // only rbd-mirror records statuses on this backend: both stay unknown
            assertEquals(List.of(entry(pool, "", "image", "WARNING", 2, new JsonObject().put("unknown", 2))),
                    entriesOf(refreshed(), pool));
            return;
        }
        Instant now = Instant.now();
        await(cluster.mirrorImageStatusSet(where, replaying,
                new MirrorImageSiteStatus("", MirrorImageStatusState.REPLAYING, "replaying", now, true)));
        assertEquals(List.of(entry(pool, "", "image", "WARNING", 2, new JsonObject().put("unknown", 1)
                .put("replaying", 1))), entriesOf(refreshed(), pool));
        await(cluster.mirrorImageStatusSet(where, failing,
                new MirrorImageSiteStatus("", MirrorImageStatusState.ERROR, "split-brain", now, true)));
        JsonObject summary = refreshed();
        assertEquals(List.of(entry(pool, "", "image", "ERROR", 2, new JsonObject().put("error", 1)
                .put("replaying", 1))), entriesOf(summary, pool));
        assertEquals("ERROR", summary.getString("health"));
        assertTrue(get("metrics").contains("mirrorhost_mirror_health 2.0\n"));
    }
}
