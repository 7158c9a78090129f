package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.mirrorhost.api.cluster.PeerConnection;
import io.mirrorhost.embedded.net.AuthRegistry;
import io.mirrorhost.embedded.net.ClusterServer;
import io.mirrorhost.embedded.net.EmbeddedSettings;
import io.mirrorhost.embedded.net.RemoteCluster;
import io.mirrorhost.embedded.net.RemoteClusterOptions;
import io.mirrorhost.embedded.net.ServedCluster;
import io.mirrorhost.embedded.net.TlsSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * The {@code embedded} backend. With {@code mon_host} in the settings it connects to a standalone
 * cluster server ({@code bin/mirrorhost cluster}); otherwise it opens the store at {@code data_dir}
 * in this process and, when {@code listen_port} is set, serves it to peers and other host instances.
 * Peers are reached plainly, or with TLS when their mon_host is {@code tls://host:port}, trusting the
 * {@code peer_tls_ca} of the settings last given to {@link #connect}.
 */
public final class EmbeddedClusterProvider implements ClusterProvider {
    /** What {@code tls://} peers are trusted with: the site's {@code peer_tls_ca}, seen at connect. */
    private volatile TlsSettings peerTrust = TlsSettings.DISABLED;

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public Future<Cluster> connect(Vertx vertx, Map<String, String> settings) {
        EmbeddedSettings conf;
        try {
            conf = EmbeddedSettings.parse(settings);
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        }
        peerTrust = conf.peerTrust();
        if (conf.monHost() != null) {
            return RemoteCluster.connect(vertx, conf.remoteOptions());
        }
        if (conf.listenPort() != null) {
            try {
                ClusterServer.requirePortFree(conf.listenAddress(), conf.listenPort());
            } catch (ClusterException e) {
                // Most likely `bin/mirrorhost cluster` serves this data_dir: never open it twice.
                return Future.failedFuture(new ClusterException(e.errno(), e.getMessage() + " (if `mirrorhost cluster` "
                        + "serves this site's data, set mon_host = " + conf.listenAddress() + ":" + conf.listenPort()
                        + " in [embedded] so that the host connects to it)"));
            }
        }
        return vertx.executeBlocking(() -> {
                    EmbeddedCluster cluster = EmbeddedCluster.open(vertx, conf.dataDir());
                    cluster.trustPeersWith(conf.peerTrust());
                    cluster.limitMirroringSnapshots(conf.maxMirroringSnapshots());
                    return cluster;
                }, false)
                .recover(failure -> Future.failedFuture(failure instanceof ClusterException ? failure
                        : new ClusterException(io.mirrorhost.api.Errno.EIO, "cannot open the embedded cluster at "
                                + conf.dataDir() + ": " + failure.getMessage(), failure)))
                .compose(cluster -> conf.listenPort() == null ? Future.succeededFuture(cluster)
                        : serve(vertx, cluster, conf));
    }

    @Override
    public Future<Cluster> connectPeer(Vertx vertx, PeerConnection peer) {
        try {
            return RemoteCluster.connect(vertx, RemoteClusterOptions.of(peer.monHost(), peer.clientName(), peer.key(),
                    peerTrust));
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        }
    }

    /** Serves the cluster too; closing the returned cluster stops the server first. */
    static Future<Cluster> serve(Vertx vertx, EmbeddedCluster cluster, EmbeddedSettings conf) {
        return new AuthRegistry(cluster).ensure(AuthRegistry.ADMIN_CLIENT, conf.adminKey(), conf.adminCaps())
                .compose(admin -> ClusterServer.start(vertx, cluster, cluster::asClient, conf.listenAddress(),
                        conf.listenPort(), conf.tls()))
                .compose(server -> server.advertise(cluster, conf.publicAddress())
                        .map(monHost -> ServedCluster.wrap(cluster, server))
                        .recover(failure -> server.close().transform(closed -> Future.failedFuture(failure))))
                .recover(failure -> cluster.close().transform(closed -> Future.failedFuture(failure)));
    }
}
