package io.mirrorhost.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.UnmodelledMirrorImages;
import io.mirrorhost.api.testing.UnmodelledMirrorSettings;
import io.mirrorhost.api.testing.UnmodelledPools;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MirrorStatusCollectorTest {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    /** Two pools: "rbd" mirrors in image mode with namespace "ns1" in pool mode; "other" is not mirrored. */
    static class TwoPools implements UnmodelledPools, UnmodelledMirrorSettings, UnmodelledMirrorImages {
        final Map<PoolNamespace, MirrorMode> modes = new HashMap<>();
        final Map<PoolNamespace, Map<MirrorImageStatusState, Integer>> summaries = new HashMap<>();
        int summaryCalls;

        TwoPools() {
            modes.put(PoolNamespace.of("rbd"), MirrorMode.IMAGE);
            modes.put(new PoolNamespace("rbd", "ns1"), MirrorMode.POOL);
            modes.put(PoolNamespace.of("other"), MirrorMode.DISABLED);
            summaries.put(PoolNamespace.of("rbd"), counts(MirrorImageStatusState.REPLAYING, 2,
                    MirrorImageStatusState.STOPPED, 1));
            summaries.put(new PoolNamespace("rbd", "ns1"), counts(MirrorImageStatusState.SYNCING, 1));
        }

        @Override
        public Future<List<PoolInfo>> listPools() {
            return Future.succeededFuture(List.of(new PoolInfo(1, "rbd", true), new PoolInfo(2, "other", true)));
        }

        @Override
        public Future<List<String>> listNamespaces(String pool) {
            return Future.succeededFuture(pool.equals("rbd") ? List.of("ns1") : List.of());
        }

        @Override
        public Future<MirrorMode> mirrorModeGet(PoolNamespace where) {
            return Future.succeededFuture(modes.getOrDefault(where, MirrorMode.DISABLED));
        }

        @Override
        public Future<Map<MirrorImageStatusState, Integer>> mirrorImageStatusSummary(PoolNamespace where) {
            summaryCalls++;
            return Future.succeededFuture(summaries.getOrDefault(where, Map.of()));
        }
    }

    static Map<MirrorImageStatusState, Integer> counts(Object... pairs) {
        Map<MirrorImageStatusState, Integer> m = new EnumMap<>(MirrorImageStatusState.class);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((MirrorImageStatusState) pairs[i], (Integer) pairs[i + 1]);
        }
        return m;
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void collectsOnlyMirroredNamespacesWithTheirHealth() throws Exception {
        TwoPools cluster = new TwoPools();
        SiteMirrorStatus status = await(new MirrorStatusCollector(cluster, new FakeClock(T0)).collect());

        assertEquals(T0, status.collectedAt());
        assertEquals(2, status.namespaces().size());
        NamespaceMirrorStatus rbd = status.namespaces().get(0);
        assertEquals(PoolNamespace.of("rbd"), rbd.where());
        assertEquals(MirrorMode.IMAGE, rbd.mode());
        assertEquals(3, rbd.imageCount());
        assertEquals(Health.OK, rbd.imageHealth());
        NamespaceMirrorStatus ns1 = status.namespaces().get(1);
        assertEquals(new PoolNamespace("rbd", "ns1"), ns1.where());
        assertEquals(Health.WARNING, ns1.imageHealth());
        assertEquals(Health.WARNING, status.health());

        JsonObject json = MirrorStatusModule.toJson(status);
        assertEquals("WARNING", json.getString("health"));
        assertEquals(new JsonObject().put("replaying", 2).put("stopped", 1),
                json.getJsonArray("namespaces").getJsonObject(0).getJsonObject("states"));
        assertEquals("pool", json.getJsonArray("namespaces").getJsonObject(1).getString("mode"));
    }

    @Test
    void imageHealthFollowsCephRules() {
        PoolNamespace p = PoolNamespace.of("p");
        assertEquals(Health.OK, new NamespaceMirrorStatus(p, MirrorMode.POOL, Map.of()).imageHealth());
        assertEquals(Health.OK, new NamespaceMirrorStatus(p, MirrorMode.POOL,
                counts(MirrorImageStatusState.ERROR, 0, MirrorImageStatusState.REPLAYING, 4)).imageHealth());
        assertEquals(Health.WARNING, new NamespaceMirrorStatus(p, MirrorMode.POOL,
                counts(MirrorImageStatusState.UNKNOWN, 1)).imageHealth());
        assertEquals(Health.WARNING, new NamespaceMirrorStatus(p, MirrorMode.POOL,
                counts(MirrorImageStatusState.STARTING_REPLAY, 1)).imageHealth());
        assertEquals(Health.ERROR, new NamespaceMirrorStatus(p, MirrorMode.POOL,
                counts(MirrorImageStatusState.SYNCING, 3, MirrorImageStatusState.ERROR, 1)).imageHealth());
    }

    @Test
    void metricsExposeCountsPerState() throws Exception {
        TwoPools cluster = new TwoPools();
        MirrorStatusMetrics metrics = new MirrorStatusMetrics();
        metrics.update(await(new MirrorStatusCollector(cluster, new FakeClock(T0)).collect()));
        String text = metrics.scrape();
        assertTrue(text.contains("mirrorhost_mirror_images{namespace=\"\",pool=\"rbd\",state=\"replaying\"} 2.0"), text);
        assertTrue(text.contains("mirrorhost_mirror_images{namespace=\"ns1\",pool=\"rbd\",state=\"syncing\"} 1.0"), text);
        assertTrue(text.contains("mirrorhost_mirror_health 1.0"), text);
    }

    @Test
    void aFailingClusterCallFailsTheCollection() {
        TwoPools cluster = new TwoPools() {
            @Override
            public Future<List<PoolInfo>> listPools() {
                return Future.failedFuture(new ClusterException(Errno.ESHUTDOWN, "cluster connection lost"));
            }
        };
        Future<SiteMirrorStatus> result = new MirrorStatusCollector(cluster, new FakeClock(T0)).collect();
        assertTrue(result.failed());
        assertEquals("cluster connection lost", result.cause().getMessage());
    }
}
