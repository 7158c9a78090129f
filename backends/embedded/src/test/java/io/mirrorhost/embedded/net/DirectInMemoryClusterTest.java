package io.mirrorhost.embedded.net;

import io.mirrorhost.api.cluster.Cluster;
import io.vertx.core.Vertx;

/** The contract against the test double itself, so that the remote run has a reference. */
class DirectInMemoryClusterTest extends ClusterContractTest {
    @Override
    Cluster open(Vertx vertx) {
        return InMemoryCluster.create();
    }
}
