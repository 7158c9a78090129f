package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.ServiceDaemon;
import io.mirrorhost.api.cluster.ServiceMap;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * {@link ServiceMap} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledServiceMap extends ServiceMap {

    @Override
    default Future<Long> instanceId() {
        return RoleFakes.notModelled("Cluster.instanceId");
    }

    @Override
    default Future<Void> serviceDaemonRegister(String service, String daemon, Map<String, String> metadata) {
        return RoleFakes.notModelled("Cluster.serviceDaemonRegister");
    }

    @Override
    default Future<Void> serviceDaemonUpdateStatus(Map<String, String> status) {
        return RoleFakes.notModelled("Cluster.serviceDaemonUpdateStatus");
    }

    @Override
    default Future<Void> serviceDaemonUnregister() {
        return RoleFakes.notModelled("Cluster.serviceDaemonUnregister");
    }

    @Override
    default Future<List<ServiceDaemon>> serviceDaemonList(String service) {
        return RoleFakes.notModelled("Cluster.serviceDaemonList");
    }
}
