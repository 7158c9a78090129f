package io.mirrorhost.it;

import static io.mirrorhost.it.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pool removed while calls on it are still running (a module writing to a pool the operator removes):
 * those calls succeed or fail with an error, the process does not crash (librados crashed on the I/O
 * context destroyed under them), and a pool created again under the same name is a new pool.
 */
class PoolRemovalOnCephTest {
    static Vertx vertx;
    static Cluster cluster;

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        cluster = CephClusters.connect(vertx, CephSite.a());
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

    private static List<Future<Void>> writes(PoolNamespace where, int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> cluster.omapSet(where, "object-" + i % 7, Map.of("key-" + i, "value"))).toList();
    }

    @Test
    void callsInFlightWhenThePoolIsRemovedEndWithoutCrashingAndTheNameCanBeReused() {
        String pool = CephClusters.unique("removed");
        PoolNamespace where = PoolNamespace.of(pool);
        for (int round = 0; round < 5; round++) {
            result(cluster.createPool(pool));
            result(cluster.omapSet(where, "before", Map.of("round", String.valueOf(round))));
            List<Future<Void>> writes = new ArrayList<>(writes(where, 0, 100));
            Future<Void> removed = cluster.removePool(pool);
            writes.addAll(writes(where, 100, 200));
            result(removed);
            for (Future<Void> write : writes) {
                try {
                    result(write);
                } catch (ClusterException expected) {
                    // the pool went away under it: an error is a fine answer, a crash is not
                }
            }
        }
        result(cluster.createPool(pool));
        assertEquals(Map.of(), result(cluster.omapGet(where, "before")), "a new pool, not the removed one");
        result(cluster.omapSet(where, "after", Map.of("k", "v")));
        assertEquals(Map.of("k", "v"), result(cluster.omapGet(where, "after")));
        assertTrue(result(cluster.listPools()).stream().anyMatch(p -> p.name().equals(pool)));
        result(cluster.removePool(pool));
    }
}
