package io.mirrorhost.embedded.net;

import io.mirrorhost.api.cluster.ClusterException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The {@code [embedded]} section of a site conf, validated: either {@code mon_host} (connect to a
 * standalone cluster server as {@code client} with {@code key}) or {@code data_dir} (open the store
 * in-process), plus {@code listen_address}/{@code listen_port} to serve it, {@code public_address}
 * (the {@code host:port} peers are told to use, when it differs), the {@code tls} keys, and
 * {@code peer_tls_ca} (what to trust when a peer's mon_host is {@code tls://...}), and for a cluster
 * opened here {@code rbd_mirroring_max_mirroring_snapshots} (librbd's option: primary mirror-snapshots
 * kept per image, at least 3, default 5). Relative paths resolve against {@code conf_dir} when given (the directory of the conf file).
 */
public record EmbeddedSettings(String monHost, String client, String adminKey, Path dataDir, String listenAddress,
                               Integer listenPort, String publicAddress, TlsSettings tls, TlsSettings peerTrust,
                               int maxMirroringSnapshots) {

    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    public static final String MAX_MIRRORING_SNAPSHOTS = "rbd_mirroring_max_mirroring_snapshots";
    /** librbd's default and minimum for {@code rbd_mirroring_max_mirroring_snapshots}. */
    public static final int DEFAULT_MAX_MIRRORING_SNAPSHOTS = 5;
    static final int MIN_MAX_MIRRORING_SNAPSHOTS = 3;

    public static EmbeddedSettings parse(Map<String, String> settings) {
        Path base = settings.containsKey("conf_dir") ? Path.of(settings.get("conf_dir")) : null;
        String monHost = blankToNull(settings.get("mon_host"));
        String key = blankToNull(settings.get("key"));
        TlsSettings tls = TlsSettings.fromSettings(settings, base);
        TlsSettings peerTrust = TlsSettings.fromSettings(peerTlsKeys(settings), base);
        String client = settings.getOrDefault("client", AuthRegistry.ADMIN_CLIENT).trim();
        int maxMirroringSnapshots = maxMirroringSnapshots(settings.get(MAX_MIRRORING_SNAPSHOTS));
        if (monHost != null) {
            if (key == null) {
                throw ClusterException.invalid("[embedded] mon_host is set but key is missing: the secret key of "
                        + client + " is needed to connect to the cluster at " + monHost);
            }
            return new EmbeddedSettings(monHost, client, key, null, null, null, null, tls, peerTrust,
                    maxMirroringSnapshots);
        }
        String dataDir = blankToNull(settings.get("data_dir"));
        if (dataDir == null) {
            throw ClusterException.invalid("[embedded] needs data_dir (to open the cluster in-process) or mon_host "
                    + "(to connect to a running cluster server)");
        }
        Path dir = base == null ? Path.of(dataDir) : base.resolve(dataDir);
        Integer port = port(settings.get("listen_port"));
        if (port != null && key == null) {
            throw ClusterException.invalid("[embedded] listen_port is set but key is missing: clients authenticate "
                    + "as client.admin with that key");
        }
        String address = settings.getOrDefault("listen_address", DEFAULT_LISTEN_ADDRESS).trim();
        String publicAddress = blankToNull(settings.get("public_address"));
        if (publicAddress != null) {
            HostPort.parse(publicAddress, "[embedded] public_address");
        }
        return new EmbeddedSettings(null, client, key, dir.toAbsolutePath().normalize(), address, port, publicAddress, tls,
                peerTrust, maxMirroringSnapshots);
    }

    /** Without the key, so that logging the settings leaks nothing. */
    @Override
    public String toString() {
        return "EmbeddedSettings[" + (monHost != null ? "mon_host=" + monHost + " client=" + client
                : "data_dir=" + dataDir + (listenPort != null ? " listen=" + listenAddress + ":" + listenPort : ""))
                + (tls.enabled() ? " tls" : "") + "]";
    }

    public RemoteClusterOptions remoteOptions() {
        return RemoteClusterOptions.of(monHost, client, adminKey, tls);
    }

    public Set<Capability> adminCaps() {
        return Set.of(Capability.ADMIN);
    }

    /** {@code peer_tls_ca}: the CA (PEM, may hold several certs) trusted for {@code tls://} peers. */
    private static Map<String, String> peerTlsKeys(Map<String, String> settings) {
        String ca = settings.get("peer_tls_ca");
        return ca == null ? Map.of() : Map.of("tls_ca", ca);
    }

    private static int maxMirroringSnapshots(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_MIRRORING_SNAPSHOTS;
        }
        try {
            int max = Integer.parseInt(value.trim());
            if (max >= MIN_MAX_MIRRORING_SNAPSHOTS) {
                return max;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ClusterException.invalid("invalid [embedded] " + MAX_MIRRORING_SNAPSHOTS + " '" + value
                + "': expected a whole number of at least " + MIN_MAX_MIRRORING_SNAPSHOTS);
    }

    private static Integer port(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ClusterException.invalid("invalid [embedded] listen_port '" + value + "': expected 0-65535");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
