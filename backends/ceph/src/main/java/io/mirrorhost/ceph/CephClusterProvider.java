package io.mirrorhost.ceph;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.mirrorhost.api.cluster.PeerConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * The {@code ceph} backend: a real Ceph cluster through librados/librbd. The site conf's {@code [ceph]}
 * section names the cluster's {@code conf}, a {@code keyring} and the {@code client} (default
 * {@code client.admin}); peers are reached with {@code mon_host} and {@code key}, as rbd-mirror does.
 */
public final class CephClusterProvider implements ClusterProvider {

    @Override
    public String name() {
        return "ceph";
    }

    @Override
    public Future<Cluster> connect(Vertx vertx, Map<String, String> settings) {
        try {
            return open(vertx, CephSettings.parse(settings));
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        }
    }

    @Override
    public Future<Cluster> connectPeer(Vertx vertx, PeerConnection peer) {
        try {
            return open(vertx, CephSettings.forPeer(peer));
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        }
    }

    private static Future<Cluster> open(Vertx vertx, CephSettings settings) {
        return vertx.<Cluster>executeBlocking(() -> CephCluster.connect(CephConnection.open(vertx, settings)), false)
                .recover(failure -> Future.failedFuture(failure instanceof ClusterException ? failure
                        : new ClusterException(Errno.EIO, "cannot connect to the Ceph cluster (" + settings + "): "
                                + failure, failure)));
    }
}
