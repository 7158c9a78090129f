package io.mirrorhost.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.testing.FakeClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class StoreLeaseTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final KeyValueStore shared = ModuleHarness.sharedStore();

    /** The shared store, with every read held until released: both standbys read before either writes. */
    private static final class HeldReads implements KeyValueStore {
        private final KeyValueStore store;
        private final boolean compareAndSet;
        final List<Runnable> held = new ArrayList<>();

        HeldReads(KeyValueStore store, boolean compareAndSet) {
            this.store = store;
            this.compareAndSet = compareAndSet;
        }

        @Override
        public Future<Optional<String>> get(String key) {
            Promise<Optional<String>> later = Promise.promise();
            held.add(() -> store.get(key).onComplete(later));
            return later.future();
        }

        @Override
        public Future<Void> put(String key, String value) {
            return store.put(key, value);
        }

        @Override
        public Future<Void> remove(String key) {
            return store.remove(key);
        }

        @Override
        public Future<Map<String, String>> list(String prefix) {
            return store.list(prefix);
        }

        @Override
        public Future<Boolean> compareAndSet(String key, String expected, String value) {
            return compareAndSet ? store.compareAndSet(key, expected, value)
                    : Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP, "no compare-and-set here"));
        }

        void releaseOne() {
            held.remove(0).run();
        }
    }

    private StoreLease lease(KeyValueStore store, String owner) {
        return new StoreLease(store, clock, Duration.ofSeconds(30), owner, LoggerFactory.getLogger("lease-test"));
    }

    @Test
    void twoStandbysRacingForAFreeLeaseMakeOneLeader() {
        HeldReads a = new HeldReads(shared, true);
        HeldReads b = new HeldReads(shared, true);
        StoreLease first = lease(a, "instance-a");
        StoreLease second = lease(b, "instance-b");
        Future<Void> renewA = first.renew();
        Future<Void> renewB = second.renew();
        a.releaseOne();
        b.releaseOne();
        assertTrue(renewA.succeeded() && renewB.succeeded());
        assertTrue(first.isLeader(), "the first write wins");
        assertFalse(second.isLeader(), "the second standby's compare-and-set fails: it read the lease before it changed");

        clock.advance(Duration.ofSeconds(31));
        Future<Void> again = second.renew();
        b.releaseOne();
        assertTrue(again.succeeded());
        assertTrue(second.isLeader(), "an expired lease goes to whoever renews first");
        Future<Void> late = first.renew();
        a.releaseOne();
        assertTrue(late.succeeded());
        assertFalse(first.isLeader(), "the old holder sees another owner");
    }

    @Test
    void withoutCompareAndSetTheWriteIsReadBackAsBefore() {
        HeldReads a = new HeldReads(shared, false);
        StoreLease only = lease(a, "instance-a");
        Future<Void> renew = only.renew();
        a.releaseOne();
        a.releaseOne();
        assertTrue(renew.succeeded());
        assertTrue(only.isLeader());
        assertEquals("instance-a", new io.vertx.core.json.JsonObject(shared.get(StoreLease.KEY).result().orElseThrow())
                .getString("owner"));
    }
}
