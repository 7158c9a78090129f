package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ServiceDaemon;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory service map: registration, status pushes, the grace period and status writers. */
class ServiceRegistryTest {
    private static final Duration GRACE = Duration.ofSeconds(60);

    /** A clock tests move by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-25T11:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final ServiceRegistry registry = new ServiceRegistry(clock, GRACE);
    private final Object session = new Object();
    private final ServiceRegistry.StatusKey local = new ServiceRegistry.StatusKey("pool", "", "g1", "");
    private final ServiceRegistry.StatusKey peer = new ServiceRegistry.StatusKey("pool", "", "g1", "uuid-b");

    @Test
    void aRegisteredDaemonIsListedWithItsMetadataAndLastStatus() {
        long id = registry.instanceId(session);
        assertEquals(id, registry.instanceId(session), "a session keeps its instance id");
        assertNotEquals(id, registry.instanceId(new Object()));
        registry.register(id, "rbd-mirror", Long.toString(id), Map.of("id", "admin", "hostname", "vm"));
        registry.updateStatus(id, Map.of("json", "{}"));
        assertEquals(List.of(new ServiceDaemon(Long.toString(id), Map.of("id", "admin", "hostname", "vm",
                "ceph_version_short", ServiceRegistry.VERSION), Map.of("json", "{}"))), registry.list("rbd-mirror"));
        assertEquals(List.of(), registry.list("rgw"));
    }

    @Test
    void aClientRegistersOnceAndPushesOnlyOnceRegistered() {
        long id = registry.instanceId(session);
        ClusterException unregistered = assertThrows(ClusterException.class, () -> registry.updateStatus(id, Map.of()));
        assertEquals(Errno.ENOENT, unregistered.errno());
        registry.register(id, "rbd-mirror", "a", Map.of());
        ClusterException twice = assertThrows(ClusterException.class, () -> registry.register(id, "rbd-mirror", "b",
                Map.of()));
        assertEquals(Errno.EEXIST, twice.errno());
        assertEquals(Errno.EINVAL, assertThrows(ClusterException.class,
                () -> registry.register(registry.instanceId(new Object()), "rbd-mirror", "", Map.of())).errno());
    }

    @Test
    void aRestartedDaemonReplacesItsOldEntry() {
        long first = registry.instanceId(session);
        long second = registry.instanceId(new Object());
        registry.register(first, "rbd-mirror", "admin", Map.of("hostname", "old"));
        registry.register(second, "rbd-mirror", "admin", Map.of("hostname", "new"));
        List<ServiceDaemon> daemons = registry.list("rbd-mirror");
        assertEquals(1, daemons.size());
        assertEquals("new", daemons.get(0).metadata().get("hostname"));
    }

    @Test
    void aSilentDaemonLeavesAfterTheGracePeriodAndItsStatusesGoDown() {
        long id = registry.instanceId(session);
        registry.register(id, "rbd-mirror", "d", Map.of());
        registry.statusWritten(id, local);
        registry.statusWritten(id, peer);
        clock.now = clock.now.plus(GRACE);
        registry.updateStatus(id, Map.of("json", "{}"));
        clock.now = clock.now.plus(GRACE);
        assertEquals(1, registry.list("rbd-mirror").size(), "a push within the grace period keeps it");
        assertEquals(List.of(), registry.expire());
        clock.now = clock.now.plusSeconds(1);
        assertEquals(List.of(), registry.list("rbd-mirror"), "listed no more once silent beyond the grace period");
        assertEquals(List.of(local, peer), registry.expire().stream().sorted(
                java.util.Comparator.comparing(ServiceRegistry.StatusKey::mirrorUuid)).toList());
        assertEquals(Map.of(), registry.localWriters("pool", ""));
        assertTrue(registry.stopSweepingIfIdle());
    }

    @Test
    void localWritersMapImagesToTheInstanceThatLastWroteThem() {
        long a = registry.instanceId(session);
        long b = registry.instanceId(new Object());
        registry.statusWritten(a, local);
        registry.statusWritten(a, peer);
        registry.statusWritten(a, new ServiceRegistry.StatusKey("pool", "ns", "g2", ""));
        assertEquals(Map.of("g1", a), registry.localWriters("pool", ""));
        registry.statusWritten(b, local);
        assertEquals(Map.of("g1", b), registry.localWriters("pool", ""));
        assertEquals(List.of(peer.toString()), registry.end(a).stream()
                .filter(k -> k.namespace().isEmpty()).map(Object::toString).toList(),
                "ending a hands back only what it still wrote last");
        registry.statusRemoved(local);
        assertEquals(Map.of(), registry.localWriters("pool", ""));
        assertEquals(List.of(), registry.end(b));
    }
}
