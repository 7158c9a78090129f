package io.mirrorhost.embedded.net;

import io.mirrorhost.api.cluster.Cluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Cluster} over TCP (optionally TLS) to authenticated named clients, so that a peer
 * site's daemon and this site's host instances can reach an embedded cluster. See {@link RemoteCluster}
 * for the other end.
 */
public final class ClusterServer {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterServer.class);
    private static final long AUTH_TIMEOUT_MILLIS = 10_000;

    private final NetServer server;
    private final Set<ServerConnection> connections;
    private final String host;

    private ClusterServer(NetServer server, Set<ServerConnection> connections, String host) {
        this.server = server;
        this.connections = connections;
        this.host = host;
    }

    /**
     * Listens on {@code host:port} (port 0 picks a free one). Clients authenticate against the
     * {@link AuthRegistry} of {@code cluster}.
     */
    public static Future<ClusterServer> start(Vertx vertx, Cluster cluster, String host, int port, TlsSettings tls) {
        return start(vertx, cluster, client -> cluster, host, port, tls);
    }

    /**
     * As above, with each authenticated connection served by {@code clientView.apply(clientName)}
     * (a view of the same cluster acting as that client, such as {@code EmbeddedCluster::asClient}).
     */
    public static Future<ClusterServer> start(Vertx vertx, Cluster cluster, Function<String, Cluster> clientView,
                                              String host, int port, TlsSettings tls) {
        NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true);
        try {
            tls.applyTo(options);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        AuthRegistry auth = new AuthRegistry(cluster);
        Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(socket -> {
            ServerConnection connection = new ServerConnection(vertx, socket, cluster, clientView, auth);
            connections.add(connection);
            connection.start(AUTH_TIMEOUT_MILLIS, () -> connections.remove(connection));
        });
        return server.listen().map(s -> {
            LOG.info("cluster {} serving on {}:{}{}", cluster.fsid(), host, s.actualPort(), tls.enabled() ? " (TLS)" : "");
            return new ClusterServer(s, connections, host);
        });
    }

    public String host() {
        return host;
    }

    public int port() {
        return server.actualPort();
    }

    /** {@code host:port}, what clients put in {@code mon_host}. */
    public String address() {
        return host + ":" + port();
    }

    /** Stops listening and drops every connection, closing the images and watches they held. */
    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        connections.forEach(c -> closing.add(c.close()));
        return server.close().compose(v -> Future.join(closing)).mapEmpty();
    }
}
