package io.mirrorhost.embedded.net;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
    /** Clients ping every {@link RemoteClusterOptions#DEFAULT_KEEPALIVE_MILLIS}; six missed pings end a connection. */
    static final long IDLE_LIMIT_MILLIS = 6 * RemoteClusterOptions.DEFAULT_KEEPALIVE_MILLIS;

    /**
     * Config-key where a served cluster records the address peers should use ({@code mon_host}), for
     * {@code mirror pool peer bootstrap create} to put in its token.
     */
    public static final String ADVERTISED_MON_HOST_KEY = "net/mon_host";

    private final NetServer server;
    private final Set<ServerConnection> connections;
    private final String host;
    private final boolean tls;

    private ClusterServer(NetServer server, Set<ServerConnection> connections, String host, boolean tls) {
        this.server = server;
        this.connections = connections;
        this.host = host;
        this.tls = tls;
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
        return start(vertx, cluster, clientView, host, port, tls, AUTH_TIMEOUT_MILLIS, IDLE_LIMIT_MILLIS);
    }

    /** With explicit limits: how long a client may take to authenticate, and stay silent after. */
    static Future<ClusterServer> start(Vertx vertx, Cluster cluster, Function<String, Cluster> clientView,
                                       String host, int port, TlsSettings tls, long authTimeoutMillis,
                                       long idleLimitMillis) {
        NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true);
        try {
            tls.applyTo(options);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (port != 0 && !portFree(host, port)) {
            // Vert.x would share the port with a server of the same Vertx instance and split the
            // connections between two clusters; refuse like a second process would be refused.
            return Future.failedFuture(portInUse(host, port));
        }
        AuthRegistry auth = new AuthRegistry(cluster);
        Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(socket -> {
            ServerConnection connection = new ServerConnection(vertx, socket, cluster, clientView, auth);
            connections.add(connection);
            connection.start(authTimeoutMillis, idleLimitMillis, () -> connections.remove(connection));
        });
        return server.listen().recover(failure -> Future.failedFuture(new ClusterException(Errno.EBUSY,
                "cannot listen on " + host + ":" + port + ": " + failure.getMessage(), failure))).map(s -> {
            LOG.info("cluster {} serving on {}:{}{}", cluster.fsid(), host, s.actualPort(), tls.enabled() ? " (TLS)" : "");
            return new ClusterServer(s, connections, host, tls.enabled());
        });
    }

    static ClusterException portInUse(String host, int port) {
        return new ClusterException(Errno.EBUSY, "cannot listen on " + host + ":" + port + ": Address already in use");
    }

    /**
     * Fails with EBUSY if {@code host:port} is taken, to check before opening a store that something
     * else (a standalone cluster server) may be serving.
     */
    public static void requirePortFree(String host, int port) {
        if (port != 0 && !portFree(host, port)) {
            throw portInUse(host, port);
        }
    }

    private static boolean portFree(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
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

    /**
     * Records where clients reach this cluster under {@link #ADVERTISED_MON_HOST_KEY}:
     * {@code publicAddress} if given (needed when listening on a wildcard address), else this
     * server's {@code host:port}; prefixed {@code tls://} when this server speaks TLS.
     */
    public Future<String> advertise(Cluster cluster, String publicAddress) {
        String monHost = (tls ? RemoteClusterOptions.TLS_SCHEME : "") + (publicAddress != null ? publicAddress : address());
        return cluster.configKeySet(ADVERTISED_MON_HOST_KEY, monHost).map(v -> monHost);
    }

    /** Stops listening and drops every connection, closing the images and watches they held. */
    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        connections.forEach(c -> closing.add(c.close()));
        return server.close().compose(v -> Future.join(closing)).mapEmpty();
    }
}
