package io.mirrorhost.ceph;

import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PeerConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to reach a Ceph cluster: the client to authenticate as and the librados options to set before
 * connecting. From a site conf's {@code [ceph]} section ({@code conf}, {@code keyring}, {@code client})
 * or from a peer's attributes ({@code mon_host}, {@code key}), as rbd-mirror connects to a peer.
 *
 * @param confFile a ceph.conf to read first, or null
 * @param options  librados options set after reading the conf ({@code keyring}, {@code mon_host}, {@code key})
 */
record CephSettings(String client, Path confFile, Map<String, String> options, int workerThreads) {

    static final String DEFAULT_CLIENT = "client.admin";
    static final int DEFAULT_WORKER_THREADS = 4;

    static CephSettings parse(Map<String, String> section) {
        Map<String, String> s = normalised(section);
        String client = s.getOrDefault("client", DEFAULT_CLIENT);
        checkClient(client);
        String conf = s.get("conf");
        if (conf == null || conf.isBlank()) {
            throw ClusterException.invalid("[ceph] needs conf: the path of the cluster's ceph.conf");
        }
        Path confFile = resolve(s, conf);
        if (!Files.isReadable(confFile)) {
            throw ClusterException.notFound("[ceph] conf file " + confFile + " does not exist or is not readable");
        }
        Map<String, String> options = new LinkedHashMap<>();
        String keyring = s.get("keyring");
        if (keyring != null && !keyring.isBlank()) {
            Path keyringFile = resolve(s, keyring);
            if (!Files.isReadable(keyringFile)) {
                throw ClusterException.notFound("[ceph] keyring " + keyringFile + " does not exist or is not readable");
            }
            options.put("keyring", keyringFile.toString());
        }
        return new CephSettings(client, confFile, options, workerThreads(s.get("worker_threads")));
    }

    /** Relative paths resolve against the site conf's directory ({@code conf_dir}, added by the host). */
    private static Path resolve(Map<String, String> section, String path) {
        Path p = Path.of(path);
        String confDir = section.get("conf_dir");
        return p.isAbsolute() || confDir == null ? p : Path.of(confDir).resolve(p).normalize();
    }

    static CephSettings forPeer(PeerConnection peer) {
        if (peer.monHost() == null || peer.monHost().isBlank()) {
            throw ClusterException.invalid("peer " + peer.siteName() + " has no mon_host attribute");
        }
        if (peer.key() == null || peer.key().isBlank()) {
            throw ClusterException.invalid("no key given for " + peer.clientName() + " to connect to the cluster at "
                    + peer.monHost());
        }
        String client = peer.clientName() == null || peer.clientName().isBlank() ? DEFAULT_CLIENT : peer.clientName();
        checkClient(client);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("mon_host", peer.monHost());
        options.put("key", peer.key());
        return new CephSettings(client, null, options, DEFAULT_WORKER_THREADS);
    }

    private static Map<String, String> normalised(Map<String, String> section) {
        Map<String, String> out = new LinkedHashMap<>();
        section.forEach((k, v) -> out.put(k.trim().replace(' ', '_'), v == null ? null : v.trim()));
        return out;
    }

    private static void checkClient(String client) {
        if (!client.startsWith("client.") || client.length() == "client.".length()) {
            throw ClusterException.invalid("invalid client name '" + client + "': expected client.<id>");
        }
    }

    private static int workerThreads(String value) {
        if (value == null) {
            return DEFAULT_WORKER_THREADS;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw ClusterException.invalid("invalid [ceph] worker_threads '" + value + "': expected 1-64");
    }

    @Override
    public String toString() {
        return "CephSettings[" + client + (confFile != null ? " conf=" + confFile : " mon_host=" + options.get("mon_host"))
                + "]";
    }
}
