package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.embedded.net.AuthRegistry;
import io.mirrorhost.embedded.net.ClusterServer;
import io.mirrorhost.embedded.net.EmbeddedSettings;
import io.mirrorhost.embedded.net.IniFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bin/mirrorhost cluster --conf FILE}: runs a site's embedded cluster on its own, from the
 * conf's {@code [embedded]} section ({@code data_dir}, {@code listen_address}, {@code listen_port},
 * {@code key}, {@code tls*}), so that host instances connecting with {@code mon_host} can come and
 * go while the data stays. Logs to stdout; stops cleanly on SIGTERM.
 */
public final class ClusterMain {
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private ClusterMain() {
    }

    public static void main(String[] args) {
        // Our log goes to stdout; effective when slf4j-simple is the binding on the classpath.
        System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile", "System.out"));
        Path conf = confArgument(args);
        if (conf == null) {
            System.err.println("usage: mirrorhost cluster --conf FILE");
            System.exit(22);
        }
        EmbeddedSettings settings;
        try {
            settings = settings(conf);
        } catch (ClusterException e) {
            System.err.println("mirrorhost cluster: " + e.getMessage());
            System.exit(e.errno().code());
            return;
        }
        Vertx vertx = Vertx.vertx();
        try {
            run(vertx, settings);
        } catch (Exception e) {
            System.err.println("mirrorhost cluster: " + (e instanceof ClusterException ? "" : e.getClass().getSimpleName()
                    + ": ") + e.getMessage());
            System.exit(e instanceof ClusterException ce ? ce.errno().code() : 1);
        }
    }

    private static void run(Vertx vertx, EmbeddedSettings settings) throws Exception {
        EmbeddedCluster cluster = EmbeddedCluster.open(vertx, settings.dataDir());
        cluster.trustPeersWith(settings.peerTrust());
        cluster.limitMirroringSnapshots(settings.maxMirroringSnapshots());
        AtomicReference<ClusterServer> server = new AtomicReference<>();
        // Registered before anything is announced, so a SIGTERM right after start still stops cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, cluster, server.get()), "cluster-stop"));
        await(new AuthRegistry(cluster).ensure(AuthRegistry.ADMIN_CLIENT, settings.adminKey(), settings.adminCaps()));
        server.set(await(ClusterServer.start(vertx, cluster, cluster::asClient, settings.listenAddress(),
                settings.listenPort(), settings.tls())));
        String monHost = await(server.get().advertise(cluster, settings.publicAddress()));
        log("serving cluster " + cluster.fsid() + " (data_dir " + settings.dataDir() + ") on " + server.get().address()
                + (settings.tls().enabled() ? " with TLS" : "") + "; peers use mon_host " + monHost);
    }

    private static void stop(Vertx vertx, EmbeddedCluster cluster, ClusterServer server) {
        log("stopping");
        try {
            Future<Void> serverStopped = server == null ? Future.succeededFuture() : server.close();
            serverStopped.transform(v -> cluster.close()).transform(v -> vertx.close())
                    .toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log("stopped");
        } catch (Exception e) {
            log("stop did not complete cleanly: " + e);
        }
    }

    static EmbeddedSettings settings(Path conf) {
        IniFile ini = IniFile.read(conf);
        if (!ini.hasSection("embedded")) {
            throw ClusterException.invalid("conf file " + conf + " has no [embedded] section");
        }
        Map<String, String> section = new HashMap<>(ini.section("embedded"));
        // mon_host tells host instances where this server is; the server itself opens data_dir.
        section.remove("mon_host");
        Path dir = conf.toAbsolutePath().getParent();
        section.putIfAbsent("conf_dir", dir.toString());
        if (!section.containsKey("listen_port")) {
            throw ClusterException.invalid("[embedded] listen_port is missing in " + conf
                    + ": the standalone cluster serves host instances on it");
        }
        return EmbeddedSettings.parse(section);
    }

    private static Path confArgument(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--conf") || args[i].equals("-c")) {
                return Path.of(args[i + 1]);
            }
        }
        return null;
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void log(String message) {
        System.out.println(Instant.now() + " mirrorhost cluster: " + message);
        System.out.flush();
    }
}
