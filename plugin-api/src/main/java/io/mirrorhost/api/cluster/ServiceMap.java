package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The manager's service map ({@code rados_service_register}, {@code rados_service_update_status}):
 * a daemon (the replayer, as rbd-mirror) registers once when it starts, pushes its status on change
 * and as a beacon, and unregisters when it stops; status commands list the daemons.
 */
public interface ServiceMap {

    /**
     * This client's instance id ({@code rados_get_instance_id}): the id the image statuses it writes
     * are attributed to, which {@link MirrorImages#mirrorImageInstanceIdList} reports back.
     */
    Future<Long> instanceId();

    /**
     * Registers this client as daemon {@code daemon} of {@code service} ({@code rados_service_register}); a
     * client registers at most once (EEXIST). The daemon stays in the service map while this client is
     * connected and pushes its status within the manager's grace period ({@code mgr_service_beacon_grace}).
     */
    Future<Void> serviceDaemonRegister(String service, String daemon, Map<String, String> metadata);

    /** Replaces the registered daemon's status ({@code rados_service_update_status}); ENOENT if not registered. */
    Future<Void> serviceDaemonUpdateStatus(Map<String, String> status);

    /**
     * Ends this client's daemon role as its going away would: the registration is dropped and the image
     * statuses it wrote read as down. Succeeds if it was not registered.
     */
    Future<Void> serviceDaemonUnregister();

    /** The daemons of {@code service} in the service map, by name ({@code service dump} plus {@code service status}). */
    Future<List<ServiceDaemon>> serviceDaemonList(String service);
}
