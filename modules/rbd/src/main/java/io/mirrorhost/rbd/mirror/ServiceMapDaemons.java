package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.ServiceDaemon;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The mirror daemons of a pool as rbd finds them in the manager's service map ({@code MirrorDaemonServiceInfo}
 * in rbd 16.2): the {@code rbd-mirror} daemons with their metadata, each one's health from the status it
 * pushed for the pool, the overall daemon health, and which daemon instance replays each image.
 */
public final class ServiceMapDaemons implements MirrorDaemons {
    public static final String SERVICE = "rbd-mirror";

    private final Supplier<Cluster> cluster;

    public ServiceMapDaemons(Supplier<Cluster> cluster) {
        this.cluster = cluster;
    }

    @Override
    public Future<Report> report(PoolNamespace where) {
        Cluster c = cluster.get();
        return c.serviceDaemonList(SERVICE).compose(daemons -> {
            if (daemons.isEmpty()) {
                return Future.succeededFuture(Report.NONE);
            }
            return c.listPools().compose(pools -> {
                long poolId = pools.stream().filter(p -> p.name().equals(where.pool())).mapToLong(PoolInfo::id)
                        .findFirst().orElse(-1);
                // rbd carries on without the image-to-instance map if it cannot be read
                return c.mirrorImageInstanceIdList(where).otherwise(Map.of())
                        .map(instanceIds -> report(daemons, poolId, instanceIds));
            });
        });
    }

    /**
     * {@code MirrorDaemonServiceInfo::init}: a daemon that pushed no status, or none for this pool, warns;
     * otherwise its worst callout decides. Overall: no daemon reporting the pool is an error, none
     * reporting itself leader a warning, else the worst daemon. No daemons at all is UNKNOWN.
     */
    static Report report(List<ServiceDaemon> daemons, long poolId, Map<String, String> imageInstanceIds) {
        if (daemons.isEmpty()) {
            return Report.NONE;
        }
        Map<String, ServiceDaemon> byServiceId = new TreeMap<>();
        daemons.forEach(d -> byServiceId.put(d.name(), d));
        List<MirrorService> services = new ArrayList<>();
        boolean foundPool = false;
        boolean foundLeader = false;
        MirrorHealth overall = MirrorHealth.OK;
        for (ServiceDaemon daemon : byServiceId.values()) {
            MirrorService service = service(daemon, Long.toString(poolId));
            JsonObject pool = poolStatus(daemon, Long.toString(poolId));
            foundPool |= pool != null;
            foundLeader |= service.leader();
            services.add(service);
        }
        if (!foundPool) {
            overall = MirrorHealth.ERROR;
        } else if (!foundLeader) {
            overall = MirrorHealth.WARNING;
        }
        for (MirrorService service : services) {
            overall = overall.worst(service.health());
        }
        return new Report(services, overall, imageInstanceIds);
    }

    private static MirrorService service(ServiceDaemon daemon, String poolId) {
        Map<String, String> metadata = daemon.metadata();
        String clientId = metadata.getOrDefault("id", "");
        String hostname = metadata.getOrDefault("hostname", "");
        String version = metadata.getOrDefault("ceph_version_short", "");
        String json = daemon.status().get("json");
        if (json == null) {
            return new MirrorService(daemon.name(), "", clientId, hostname, version, false, MirrorHealth.WARNING,
                    List.of("not reporting status"));
        }
        JsonObject pool = poolStatus(daemon, poolId);
        if (pool == null) {
            return new MirrorService(daemon.name(), "", clientId, hostname, version, false, MirrorHealth.WARNING,
                    List.of("not reporting status for pool"));
        }
        MirrorHealth health = MirrorHealth.OK;
        List<String> callouts = new ArrayList<>();
        JsonObject calloutsJson = pool.getValue("callouts") instanceof JsonObject c ? c : new JsonObject();
        // json_spirit keeps an object's members in key order ("0", "1", "10", "2", ...)
        for (String key : new TreeMap<>(calloutsJson.getMap()).keySet()) {
            if (!(calloutsJson.getValue(key) instanceof JsonObject callout) || callout.getValue("level") == null) {
                continue;
            }
            String level = String.valueOf(callout.getValue("level"));
            if (level.equals("error")) {
                health = health.worst(MirrorHealth.ERROR);
            } else if (level.equals("warning")) {
                health = health.worst(MirrorHealth.WARNING);
            }
            if (callout.getValue("text") != null) {
                callouts.add(String.valueOf(callout.getValue("text")));
            }
        }
        String instanceId = pool.getValue("instance_id") == null ? "" : String.valueOf(pool.getValue("instance_id"));
        boolean leader = Boolean.TRUE.equals(pool.getValue("leader"));
        return new MirrorService(daemon.name(), instanceId, clientId, hostname, version, leader, health, callouts);
    }

    /** The daemon's status for the pool, or null if it reports none (or its status is not JSON). */
    private static JsonObject poolStatus(ServiceDaemon daemon, String poolId) {
        String json = daemon.status().get("json");
        if (json == null) {
            return null;
        }
        try {
            return new JsonObject(json).getValue(poolId) instanceof JsonObject pool ? pool : null;
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }
}
