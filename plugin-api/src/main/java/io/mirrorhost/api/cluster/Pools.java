package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.List;

/**
 * Pools and their namespaces ({@code rados_pool_*}, {@code rbd_pool_init}, {@code rbd_namespace_*}):
 * listed whenever a module walks the whole site (status collection, schedule and replayer scans),
 * created and removed by {@code rbd pool|namespace} commands.
 */
public interface Pools {

    Future<List<PoolInfo>> listPools();

    Future<Void> createPool(String pool);

    Future<Void> removePool(String pool);

    Future<Void> initPool(String pool);

    Future<List<String>> listNamespaces(String pool);

    Future<Void> createNamespace(PoolNamespace namespace);

    Future<Void> removeNamespace(PoolNamespace namespace);
}
