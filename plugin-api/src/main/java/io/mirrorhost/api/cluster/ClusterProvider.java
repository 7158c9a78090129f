package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * A storage backend, found with {@link java.util.ServiceLoader} under
 * {@code META-INF/services/io.mirrorhost.api.cluster.ClusterProvider} and chosen by the site conf's
 * {@code backend} key.
 */
public interface ClusterProvider {

    /** {@code embedded} or {@code ceph}. */
    String name();

    /**
     * Connects to (or, for an embedded cluster run in-process, opens) the site's own cluster.
     *
     * @param settings the keys of the conf section named after the backend ({@code [embedded]})
     */
    Future<Cluster> connect(Vertx vertx, Map<String, String> settings);

    /** Connects to a peer site's cluster with a peer's attributes. */
    Future<Cluster> connectPeer(Vertx vertx, PeerConnection peer);
}
