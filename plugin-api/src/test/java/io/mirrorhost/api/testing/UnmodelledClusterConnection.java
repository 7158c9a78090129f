package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.ClusterConnection;
import io.vertx.core.Future;

/**
 * {@link ClusterConnection} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledClusterConnection extends ClusterConnection {

    @Override
    default String fsid() {
        throw RoleFakes.notModelledException("Cluster.fsid");
    }

    @Override
    default String clientName() {
        throw RoleFakes.notModelledException("Cluster.clientName");
    }

    @Override
    default Future<Void> close() {
        return RoleFakes.notModelled("Cluster.close");
    }
}
