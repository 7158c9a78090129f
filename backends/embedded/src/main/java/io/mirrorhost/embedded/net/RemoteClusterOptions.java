package io.mirrorhost.embedded.net;

import io.mirrorhost.api.cluster.ClusterException;
import java.util.Objects;

/**
 * Where and as whom a {@link RemoteCluster} connects: {@code mon_host} ({@code host:port}, or
 * {@code tls://host:port} for a server that speaks TLS), the client name and its secret key, TLS, and
 * how long to wait for the TCP connect and the handshake.
 */
public record RemoteClusterOptions(String host, int port, String client, String key, TlsSettings tls,
                                   long connectTimeoutMillis, long handshakeTimeoutMillis, long keepaliveMillis) {

    /** Prefix of a {@code mon_host} whose server speaks TLS. */
    public static final String TLS_SCHEME = "tls://";
    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** Ping interval; a connection silent for three intervals is dead. */
    public static final long DEFAULT_KEEPALIVE_MILLIS = 5_000;

    public RemoteClusterOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(tls, "tls");
        if (keepaliveMillis <= 0) {
            throw ClusterException.invalid("keepalive interval must be positive");
        }
        if (key == null || key.isEmpty()) {
            throw ClusterException.invalid("no key given for " + client + " to connect to the cluster at "
                    + host + ":" + port);
        }
    }

    /** Plain TCP, default timeouts; {@code monHost} is {@code host:port} or {@code [v6addr]:port}. */
    public static RemoteClusterOptions of(String monHost, String client, String key) {
        return of(monHost, client, key, TlsSettings.DISABLED);
    }

    /**
     * {@code tls} says whether to use TLS and what to trust; a {@code tls://} mon_host turns TLS on
     * with that trust (or the JVM's default trust store when it names no CA).
     */
    public static RemoteClusterOptions of(String monHost, String client, String key, TlsSettings tls) {
        boolean tlsScheme = monHost != null && monHost.trim().startsWith(TLS_SCHEME);
        String hostPort = tlsScheme ? monHost.trim().substring(TLS_SCHEME.length()) : monHost;
        HostPort address = HostPort.parse(hostPort, "mon_host");
        TlsSettings effective = tlsScheme ? tls.enable() : tls;
        return new RemoteClusterOptions(address.host(), address.port(), client, key, effective, DEFAULT_CONNECT_TIMEOUT_MILLIS,
                DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, DEFAULT_KEEPALIVE_MILLIS);
    }

    public RemoteClusterOptions withTimeouts(long connectMillis, long handshakeMillis) {
        return new RemoteClusterOptions(host, port, client, key, tls, connectMillis, handshakeMillis, keepaliveMillis);
    }

    public RemoteClusterOptions withKeepalive(long millis) {
        return new RemoteClusterOptions(host, port, client, key, tls, connectTimeoutMillis, handshakeTimeoutMillis, millis);
    }

    public String address() {
        return new HostPort(host, port).toString();
    }

    @Override
    public String toString() {
        return "RemoteClusterOptions[" + client + "@" + address() + (tls.enabled() ? " tls" : "") + "]";
    }
}
