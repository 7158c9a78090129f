package io.mirrorhost.host;

import io.mirrorhost.host.ha.HazelcastSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * {@code bin/mirrorhost [--conf FILE]}: runs one host until SIGTERM or SIGINT, then stops it cleanly and
 * exits 0. Without {@code --conf} it reads {@code conf/ceph.conf} of the install ({@code mirrorhost.home}).
 */
public final class Main {
    private static final long STOP_TIMEOUT_SECONDS = 60;
    static final String USAGE = """
            usage: mirrorhost [--conf FILE]          runs a host (default: conf/ceph.conf of the install)
                   mirrorhost cluster --conf FILE    runs a standalone embedded cluster server
            """;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.print(USAGE);
            System.exit(0);
            return;
        }
        Path confFile;
        try {
            confFile = confFile(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mirrorhost: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(22);
            return;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), s -> stopRequested.countDown());

        Vertx vertx = null;
        Host host;
        try {
            SiteConf conf = SiteConf.load(confFile);
            vertx = vertx(conf).toCompletionStage().toCompletableFuture().get();
            host = Host.start(vertx, conf).toCompletionStage().toCompletableFuture().get();
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            System.err.println("mirrorhost: cannot start: " + ModuleManager.describe(cause));
            if (vertx != null) {
                vertx.close();
            }
            System.exit(1);
            return;
        }
        stopRequested.await();
        boolean clean = await(host.close()) & await(vertx.close());
        System.exit(clean ? 0 : 1);
    }

    /** Vert.x clustered with the site's other instances when the conf has a [hazelcast] section, else alone. */
    static Future<Vertx> vertx(SiteConf conf) {
        return conf.hazelcast()
                .map(hazelcast -> HazelcastSetup.clusteredVertx(hazelcast, conf.instanceName()))
                .orElseGet(() -> Future.succeededFuture(Vertx.vertx()));
    }

    private static boolean await(Future<Void> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            System.err.println("mirrorhost: stopping failed: " + e);
            return false;
        }
    }

    static Path confFile(String[] args) {
        Path conf = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--conf") && i + 1 < args.length) {
                conf = Path.of(args[++i]);
            } else if (args[i].startsWith("--conf=")) {
                conf = Path.of(args[i].substring("--conf=".length()));
            } else {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        if (conf == null) {
            conf = Path.of(System.getProperty("mirrorhost.home", "."), "conf", "ceph.conf");
        }
        if (!Files.isRegularFile(conf)) {
            throw new IllegalArgumentException("configuration file " + conf + " not found");
        }
        return conf;
    }
}
