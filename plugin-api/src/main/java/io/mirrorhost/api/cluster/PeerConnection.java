package io.mirrorhost.api.cluster;

/**
 * How to reach a peer site's cluster, from a peer's attributes: the client to authenticate as,
 * its secret key, and where the cluster listens ({@code mon_host}).
 */
public record PeerConnection(String siteName, String clientName, String monHost, String key) {
    @Override
    public String toString() {
        return "PeerConnection[" + clientName + "@" + siteName + " mon_host=" + monHost + "]";
    }
}
