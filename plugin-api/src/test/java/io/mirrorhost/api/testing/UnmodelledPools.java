package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.Pools;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@link Pools} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledPools extends Pools {

    @Override
    default Future<List<PoolInfo>> listPools() {
        return RoleFakes.notModelled("Cluster.listPools");
    }

    @Override
    default Future<Void> createPool(String pool) {
        return RoleFakes.notModelled("Cluster.createPool");
    }

    @Override
    default Future<Void> removePool(String pool) {
        return RoleFakes.notModelled("Cluster.removePool");
    }

    @Override
    default Future<Void> initPool(String pool) {
        return RoleFakes.notModelled("Cluster.initPool");
    }

    @Override
    default Future<List<String>> listNamespaces(String pool) {
        return RoleFakes.notModelled("Cluster.listNamespaces");
    }

    @Override
    default Future<Void> createNamespace(PoolNamespace namespace) {
        return RoleFakes.notModelled("Cluster.createNamespace");
    }

    @Override
    default Future<Void> removeNamespace(PoolNamespace namespace) {
        return RoleFakes.notModelled("Cluster.removeNamespace");
    }
}
