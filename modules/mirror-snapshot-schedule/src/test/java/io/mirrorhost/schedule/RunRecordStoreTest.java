package io.mirrorhost.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.testing.UnmodelledRadosObjects;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class RunRecordStoreTest {
    /** omapSet calls, each completed by the test. */
    public static final class SlowOmap implements UnmodelledRadosObjects {
        final List<Map<String, String>> writes = new ArrayList<>();
        final List<Promise<Void>> pending = new ArrayList<>();

        @Override
        public synchronized Future<Void> omapSet(PoolNamespace where, String object, Map<String, String> values) {
            writes.add(Map.copyOf(values));
            Promise<Void> p = Promise.promise();
            pending.add(p);
            return p.future();
        }
    }

    private final SlowOmap omap = new SlowOmap();
    private final RunRecordStore store = new RunRecordStore(omap, NOPLogger.NOP_LOGGER);

    private static RunRecord ranAt(int minute) {
        LocalDateTime due = LocalDateTime.of(2026, 1, 1, 10, minute);
        return RunRecord.baseline(due).succeeded(due, Instant.parse("2026-01-01T10:00:00Z").plusSeconds(60L * minute), 7L);
    }

    @Test
    void putsDuringAWriteAreMergedIntoOneNextWriteWhereLaterValuesWin() {
        Future<Void> first = store.put(omap, "rbd", Map.of("/a", ranAt(1)));
        Future<Void> second = store.put(omap, "rbd", Map.of("/b", ranAt(2)));
        Future<Void> third = store.put(omap, "rbd", Map.of("/b", ranAt(3), "/c", ranAt(3)));
        Future<Void> otherPool = store.put(omap, "other", Map.of("/z", ranAt(4)));
        assertEquals(2, omap.writes.size(), "one write per pool in flight, the rest waits");
        assertEquals(Map.of("/a", ranAt(1).toJson()), omap.writes.get(0));

        omap.pending.get(0).complete();
        assertTrue(first.succeeded());
        assertFalse(second.isComplete(), "a put completes when its own records are written");
        assertEquals(Map.of("/b", ranAt(3).toJson(), "/c", ranAt(3).toJson()), omap.writes.get(2));
        omap.pending.get(2).complete();
        assertTrue(second.succeeded());
        assertTrue(third.succeeded());
        assertFalse(otherPool.isComplete());

        Future<Void> after = store.put(omap, "rbd", Map.of("/d", ranAt(5)));
        assertEquals(4, omap.writes.size(), "nothing in flight: written at once");
        omap.pending.get(3).fail(new ClusterException(Errno.ETIMEDOUT, "injected"));
        assertTrue(after.failed(), "a failed write fails its puts");
        store.put(omap, "rbd", Map.of("/e", ranAt(6)));
        assertEquals(5, omap.writes.size(), "a failure does not leave the pool stuck");
    }
}
