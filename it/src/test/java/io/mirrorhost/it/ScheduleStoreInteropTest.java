package io.mirrorhost.it;

import static io.mirrorhost.it.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.schedule.Schedule;
import io.mirrorhost.schedule.ScheduleItem;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schedules live where Ceph's manager (rbd_support) keeps them: the omap of rbd_mirror_snapshot_schedule
 * in each pool, key = level id, value = the schedule's JSON. Our omap (through the ceph backend) and the
 * schedule module's format must read what `rbd mirror snapshot schedule add` wrote, and what we write
 * must show in `rbd mirror snapshot schedule ls`. rbd_support reloads the omap on its refresh, every
 * 60 s (REFRESH_DELAY_SECONDS in Pacific), so the second half waits for that with a deadline.
 */
class ScheduleStoreInteropTest {
    static final String SCHEDULE_OID = "rbd_mirror_snapshot_schedule";
    static final Duration MGR_RELOAD_DEADLINE = Duration.ofSeconds(150);

    static CephSite site;
    static Vertx vertx;
    static Cluster cluster;

    @BeforeAll
    static void connect() {
        site = CephSite.a();
        vertx = Vertx.vertx();
        cluster = CephClusters.connect(vertx, site);
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            result(cluster.close());
        }
        if (vertx != null) {
            result(vertx.close());
        }
    }

    private static String newPool(String prefix) {
        String pool = CephClusters.unique(prefix);
        result(cluster.createPool(pool));
        result(cluster.initPool(pool));
        return pool;
    }

    private static String poolId(String pool) {
        return String.valueOf(result(cluster.listPools()).stream().filter(p -> p.name().equals(pool))
                .map(PoolInfo::id).findFirst().orElseThrow());
    }

    /** `rbd mirror snapshot schedule ls` as JSON; null while rbd_support is still starting (EAGAIN). */
    private static JsonArray scheduleLs(String pool) {
        CephSite.Result r = site.tool("rbd", "mirror", "snapshot", "schedule", "ls", "--pool", pool, "--format", "json");
        return r.exit() == 0 ? new JsonArray(r.out().isBlank() ? "[]" : r.out()) : null;
    }

    @Test
    void schedulesRoundTripBetweenRbdSupportAndOurOmap() {
        // ours first, so that the manager's periodic reload runs while we check the other direction
        String ourPool = newPool("sched-ours");
        Schedule ours = new Schedule(ourPool);
        ours.add(ScheduleItem.parse("3h", "14:30"));
        result(cluster.omapSet(PoolNamespace.of(ourPool), SCHEDULE_OID, Map.of(poolId(ourPool), ours.toStoredJson())));

        String theirPool = newPool("sched-rbd");
        AtomicReference<CephSite.Result> add = new AtomicReference<>();
        Await.until(Duration.ofSeconds(60), () -> "rbd_support to accept a schedule: " + add.get().err(), () -> {
            add.set(site.tool("rbd", "mirror", "snapshot", "schedule", "add", "--pool", theirPool, "2h"));
            return add.get().exit() == 0;
        });
        Map<String, String> stored = result(cluster.omapGet(PoolNamespace.of(theirPool), SCHEDULE_OID));
        assertEquals(List.of(poolId(theirPool)), List.copyOf(stored.keySet()));
        Schedule theirs = Schedule.fromStoredJson(theirPool, stored.get(poolId(theirPool)));
        assertEquals(List.of(ScheduleItem.parse("2h", null)), theirs.items());

        Await.until(MGR_RELOAD_DEADLINE, () -> "rbd mirror snapshot schedule ls --pool " + ourPool
                + " to show the schedule written through omapSet", () -> {
                    JsonArray listed = scheduleLs(ourPool);
                    return listed != null && listed.size() == 1;
                });
        JsonObject listed = scheduleLs(ourPool).getJsonObject(0);
        assertEquals("3h", listed.getString("interval"));
        assertEquals("14:30:00", listed.getString("start_time"));
    }
}
