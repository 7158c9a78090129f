package io.mirrorhost.embedded.net;

import io.mirrorhost.api.cluster.ClusterException;

/** A {@code host:port} (or {@code [v6]:port}) address as conf files and peer attributes write it. */
public record HostPort(String host, int port) {

    /** Parses {@code text}; {@code setting} names it in the error ({@code mon_host}). */
    public static HostPort parse(String text, String setting) {
        String address = text == null ? "" : text.trim();
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw ClusterException.invalid("invalid " + setting + " '" + text + "': expected host:port");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw ClusterException.invalid("invalid " + setting + " '" + text + "': port must be 1-65535");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
