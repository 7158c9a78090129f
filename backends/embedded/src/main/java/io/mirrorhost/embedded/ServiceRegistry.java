package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ServiceDaemon;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * The embedded cluster's service map, kept in memory as Ceph's manager keeps it: clients register as a
 * daemon of a service ({@code rados_service_register}) and push their status; a daemon leaves the map when
 * its client goes away (unregisters, its connection closes) or pushes nothing for {@link #GRACE}
 * ({@code mgr_service_beacon_grace}).
 *
 * <p>It also remembers which client wrote each image status, as cls_rbd does through the writer's watch
 * on {@code rbd_mirroring}: statuses are up while their writer is alive, so when a client goes away the
 * statuses it wrote are handed back to be marked down, and {@link #localWriters} maps images to the
 * instance ids rbd resolves to a daemon. Every client view of the store is a session with its own
 * instance id ({@code rados_get_instance_id}). No I/O here: the caller persists what goes down.
 */
final class ServiceRegistry {
    /** Ceph's {@code mgr_service_beacon_grace}. */
    static final Duration GRACE = Duration.ofSeconds(60);
    /** What a client library adds to a daemon's metadata ({@code ceph_version_short}), for the embedded store. */
    static final String VERSION = "mirrorhost " + versionOf(ServiceRegistry.class);

    /** One image status a session wrote: pool, namespace, global id and site (empty mirror uuid = local). */
    record StatusKey(String pool, String namespace, String globalId, String mirrorUuid) {
    }

    private record Registration(String service, String daemon, Map<String, String> metadata,
                                Map<String, String> status, Instant lastBeacon) {
    }

    private final Clock clock;
    private final Duration grace;
    private long lastInstanceId = 4100;
    private final Map<Object, Long> instances = new WeakHashMap<>();
    private final Map<Long, Registration> registrations = new LinkedHashMap<>();
    private final Map<StatusKey, Long> writers = new HashMap<>();
    private boolean sweeping;

    ServiceRegistry(Clock clock, Duration grace) {
        this.clock = clock;
        this.grace = grace;
    }

    /** The instance id of a client session (a cluster view), assigned on first use. */
    synchronized long instanceId(Object session) {
        return instances.computeIfAbsent(session, s -> ++lastInstanceId);
    }

    synchronized void register(long instance, String service, String daemon, Map<String, String> metadata) {
        if (service == null || service.isEmpty() || daemon == null || daemon.isEmpty()) {
            throw ClusterException.invalid("a service daemon needs a service and a daemon name");
        }
        if (registrations.containsKey(instance)) {
            throw new ClusterException(Errno.EEXIST, "this client is already registered as a service daemon");
        }
        // the manager keeps one daemon per name: a daemon that restarted replaces its old entry
        registrations.values().removeIf(r -> r.service().equals(service) && r.daemon().equals(daemon));
        Map<String, String> withSystem = new TreeMap<>(metadata == null ? Map.of() : metadata);
        withSystem.putIfAbsent("ceph_version_short", VERSION);
        registrations.put(instance, new Registration(service, daemon, Map.copyOf(withSystem), Map.of(), clock.instant()));
    }

    synchronized void updateStatus(long instance, Map<String, String> status) {
        Registration r = registrations.get(instance);
        if (r == null) {
            throw ClusterException.notFound("this client is not registered as a service daemon");
        }
        registrations.put(instance, new Registration(r.service(), r.daemon(), r.metadata(),
                Map.copyOf(status == null ? Map.of() : status), clock.instant()));
    }

    /** The live daemons of a service, by name. */
    synchronized List<ServiceDaemon> list(String service) {
        Instant now = clock.instant();
        Map<String, ServiceDaemon> byName = new TreeMap<>();
        for (Registration r : registrations.values()) {
            if (r.service().equals(service) && !expired(r, now)) {
                byName.put(r.daemon(), new ServiceDaemon(r.daemon(), r.metadata(), r.status()));
            }
        }
        return List.copyOf(byName.values());
    }

    synchronized void statusWritten(long instance, StatusKey key) {
        writers.put(key, instance);
    }

    synchronized void statusRemoved(StatusKey key) {
        writers.remove(key);
    }

    /** Global id to writer instance of the local statuses of a pool or namespace. */
    synchronized Map<String, Long> localWriters(String pool, String namespace) {
        Map<String, Long> byGlobalId = new HashMap<>();
        writers.forEach((key, instance) -> {
            if (key.pool().equals(pool) && key.namespace().equals(namespace) && key.mirrorUuid().isEmpty()) {
                byGlobalId.put(key.globalId(), instance);
            }
        });
        return byGlobalId;
    }

    /** The session went away or stopped being a daemon; returns the statuses it wrote, now down. */
    synchronized List<StatusKey> end(long instance) {
        registrations.remove(instance);
        List<StatusKey> down = new ArrayList<>();
        writers.entrySet().removeIf(e -> {
            if (e.getValue() == instance) {
                down.add(e.getKey());
                return true;
            }
            return false;
        });
        return down;
    }

    /** Ends every daemon silent for longer than the grace period; returns the statuses now down. */
    synchronized List<StatusKey> expire() {
        Instant now = clock.instant();
        List<Long> silent = registrations.entrySet().stream().filter(e -> expired(e.getValue(), now))
                .map(Map.Entry::getKey).toList();
        List<StatusKey> down = new ArrayList<>();
        silent.forEach(instance -> down.addAll(end(instance)));
        return down;
    }

    /** True if the caller should start the periodic {@link #expire} check (none runs yet). */
    synchronized boolean startSweeping() {
        boolean start = !sweeping;
        sweeping = true;
        return start;
    }

    /** True if the periodic check should stop: no daemon is left to check. */
    synchronized boolean stopSweepingIfIdle() {
        sweeping = !registrations.isEmpty();
        return !sweeping;
    }

    private boolean expired(Registration r, Instant now) {
        return r.lastBeacon().plus(grace).isBefore(now);
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null ? "0.1.0" : version;
    }
}
