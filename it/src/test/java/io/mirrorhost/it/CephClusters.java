package io.mirrorhost.it;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.vertx.core.Vertx;
import java.util.ServiceLoader;
import java.util.UUID;

/** Connects to the test clusters through the registered {@code ceph} ClusterProvider, as the host does. */
final class CephClusters {
    private CephClusters() {
    }

    static ClusterProvider provider() {
        return ServiceLoader.load(ClusterProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("ceph")).findFirst()
                .orElseThrow(() -> new AssertionError("no ClusterProvider named ceph is registered"));
    }

    static Cluster connect(Vertx vertx, CephSite site) {
        return Await.result(provider().connect(vertx, site.settings()));
    }

    /** A name no earlier run used, so reruns against the same clusters do not collide. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
