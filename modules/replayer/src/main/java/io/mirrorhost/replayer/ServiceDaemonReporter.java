package io.mirrorhost.replayer;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PoolInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The replayer as rbd-mirror's {@code ServiceDaemon}: it registers in its local cluster's service map as a
 * daemon of service {@code rbd-mirror} named by its instance id (metadata {@code id}, {@code instance_id},
 * {@code hostname}), and pushes its status as one {@code json} value: per pool id, the pool's name,
 * callouts, instance id, leadership and per-namespace image counts (notes section 5.5). Changes are pushed
 * at most once a {@link #TICK} (rbd-mirror coalesces them 1 s after a change) and the status is pushed again
 * every {@link #BEACON} so the daemon stays within the manager's grace period. If the cluster no longer
 * knows the registration (a reconnect, an expiry) it registers again; if it refuses the registration
 * (EOPNOTSUPP: on Ceph the real rbd-mirror is the daemon) it stops trying.
 */
final class ServiceDaemonReporter {
    static final String SERVICE = "rbd-mirror";
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration BEACON = Duration.ofSeconds(10);
    private static final Set<String> WARNING_STATES = Set.of("syncing", "starting_replay", "unknown");

    private final ModuleContext context;
    private final Supplier<JsonObject> moduleStatus;
    private final Map<String, Long> poolIds = new HashMap<>();
    private io.mirrorhost.api.Clock.Timer timer;
    private String hostname;
    private String instanceId;
    private String lastPushed;
    private Instant lastPush = Instant.MIN;
    private Future<Void> running = Future.succeededFuture();
    private boolean stopped;

    private ServiceDaemonReporter(ModuleContext context, Supplier<JsonObject> moduleStatus) {
        this.context = context;
        this.moduleStatus = moduleStatus;
    }

    /**
     * Starts reporting; {@code moduleStatus} is the replayer's status ({@code pools}: pool name to its pool
     * replayer's status with {@code callouts} and {@code namespaces}).
     */
    static ServiceDaemonReporter start(ModuleContext context, Supplier<JsonObject> moduleStatus) {
        ServiceDaemonReporter reporter = new ServiceDaemonReporter(context, moduleStatus);
        reporter.timer = context.clock().every(TICK, reporter::tick);
        reporter.tick();
        return reporter;
    }

    /** Stops reporting and leaves the service map, as a stopping rbd-mirror's session ends. */
    Future<Void> stop() {
        stopped = true;
        timer.cancel();
        return running.transform(ignored -> context.cluster().serviceDaemonUnregister())
                .recover(failure -> {
                    context.logger().debug("leaving the service map failed: {}", failure.getMessage());
                    return Future.succeededFuture();
                });
    }

    /** One step: register if needed, then push the status if it changed or the beacon is due. */
    void tick() {
        if (stopped || !running.isComplete()) {
            return;
        }
        running = registered().compose(this::pushIfDue).recover(failure -> {
            Errno errno = ClusterException.errnoOf(failure);
            if (errno == Errno.EOPNOTSUPP) {
                // a backend whose own rbd-mirror does the daemon's job (Ceph) keeps this one out of its map
                context.logger().info("not registering in the service map: {}", failure.getMessage());
                stopped = true;
                timer.cancel();
            } else if (errno == Errno.ENOENT) {
                instanceId = null;
            }
            context.logger().debug("service daemon status not pushed: {}", failure.getMessage());
            return Future.succeededFuture();
        });
    }

    private Future<String> registered() {
        if (instanceId != null) {
            return Future.succeededFuture(instanceId);
        }
        Cluster cluster = context.cluster();
        return hostname().compose(host -> cluster.instanceId().compose(id -> {
            String name = Long.toString(id);
            String client = cluster.clientName();
            Map<String, String> metadata = Map.of("id", client.startsWith("client.") ? client.substring(7) : client,
                    "instance_id", name, "hostname", host);
            return cluster.serviceDaemonRegister(SERVICE, name, metadata)
                    .recover(failure -> ClusterException.errnoOf(failure) == Errno.EEXIST ? Future.succeededFuture()
                            : Future.failedFuture(failure))
                    .map(v -> {
                        instanceId = name;
                        lastPushed = null;
                        return name;
                    });
        }));
    }

    private Future<Void> pushIfDue(String instance) {
        JsonObject pools = moduleStatus.get().getJsonObject("pools", new JsonObject());
        return poolIds(pools).compose(ids -> {
            String json = statusJson(pools, ids, instance, context.leadership().isLeader()).encode();
            Instant now = context.clock().now();
            if (json.equals(lastPushed) && now.isBefore(lastPush.plus(BEACON))) {
                return Future.succeededFuture();
            }
            return context.cluster().serviceDaemonUpdateStatus(Map.of("json", json)).onSuccess(v -> {
                lastPushed = json;
                lastPush = now;
            });
        });
    }

    /** Pool ids by name, read again only when a pool is new to this reporter. */
    private Future<Map<String, Long>> poolIds(JsonObject pools) {
        if (poolIds.keySet().containsAll(pools.fieldNames())) {
            return Future.succeededFuture(poolIds);
        }
        return context.cluster().listPools().map(list -> {
            poolIds.clear();
            for (PoolInfo pool : list) {
                poolIds.put(pool.name(), pool.id());
            }
            return poolIds;
        });
    }

    /**
     * The service daemon status: pool id to name, callouts, instance id, leader and namespace counts. As
     * rbd-mirror, only the leader says {@code leader} and counts the images of both sites; every instance
     * counts the images assigned to it.
     */
    static JsonObject statusJson(JsonObject pools, Map<String, Long> poolIds, String instanceId, boolean leader) {
        JsonObject status = new JsonObject();
        for (String pool : new TreeMap<>(pools.getMap()).keySet()) {
            Long id = poolIds.get(pool);
            if (id == null) {
                continue; // removed meanwhile
            }
            JsonObject replayer = pools.getJsonObject(pool);
            JsonObject namespaces = new JsonObject();
            JsonObject replayed = replayer.getJsonObject("namespaces", new JsonObject());
            for (String ns : new TreeMap<>(replayed.getMap()).keySet()) {
                namespaces.put(ns, counts(replayed.getJsonObject(ns).getJsonObject("images", new JsonObject()), leader));
            }
            JsonObject poolStatus = new JsonObject()
                    .put("name", pool)
                    .put("callouts", replayer.getJsonObject("callouts", new JsonObject()))
                    .put("instance_id", instanceId);
            if (leader) {
                poolStatus.put("leader", true);
            }
            status.put(Long.toString(id), poolStatus.put("namespaces", namespaces));
        }
        return status;
    }

    private static JsonObject counts(JsonObject images, boolean leader) {
        int warnings = 0;
        int errors = 0;
        for (String id : images.fieldNames()) {
            JsonObject image = images.getJsonObject(id);
            String state = image == null ? "" : image.getString("state", "");
            if (state.equals("error")) {
                errors++;
            } else if (WARNING_STATES.contains(state)) {
                warnings++;
            }
        }
        JsonObject counts = new JsonObject()
                .put("image_assigned_count", images.size())
                .put("image_error_count", errors);
        if (leader) {
            // the images this instance replays: on a host alone, every image mirrored on either site
            counts.put("image_local_count", images.size()).put("image_remote_count", images.size());
        }
        return counts.put("image_warning_count", warnings);
    }

    private Future<String> hostname() {
        if (hostname != null) {
            return Future.succeededFuture(hostname);
        }
        // the local host name may need a resolver lookup: off the event loop
        return context.vertx().executeBlocking(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }, false).onSuccess(name -> hostname = name);
    }
}
