package io.mirrorhost.cli;

import io.mirrorhost.host.SiteConf;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which host the CLI talks to: {@code [host] listen_address}, {@code listen_port} and {@code api_key} of
 * {@code --conf FILE}, or of {@code conf/NAME.conf} for {@code --cluster NAME} (default {@code ceph}); the
 * conf directory is {@code $MIRRORHOST_CONF_DIR}, else the install's {@code conf/}.
 */
record ClusterTarget(String cluster, String address, int port, String apiKey) {
    static final String DEFAULT_CLUSTER = "ceph";

    static ClusterTarget resolve(String cluster, String confFile, String confDirFromEnv, String home) {
        String name = cluster == null ? DEFAULT_CLUSTER : cluster;
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new CliException(22, "rbdm: invalid cluster name '" + name + "'");
        }
        Path file;
        if (confFile != null) {
            file = Path.of(confFile);
        } else {
            Path dir = confDirFromEnv != null && !confDirFromEnv.isEmpty() ? Path.of(confDirFromEnv)
                    : Path.of(home == null ? "." : home, "conf");
            file = dir.resolve(name + ".conf");
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException(2, "rbdm: cannot read the configuration of cluster '" + name + "': "
                    + file.toAbsolutePath().normalize() + " not found");
        }
        try {
            SiteConf conf = SiteConf.load(file);
            return new ClusterTarget(name, conf.listenAddress(), conf.listenPort(), conf.apiKey().orElse(""));
        } catch (SiteConf.ConfException e) {
            throw new CliException(22, "rbdm: " + e.getMessage());
        }
    }

    String where() {
        return address + ":" + port;
    }
}
