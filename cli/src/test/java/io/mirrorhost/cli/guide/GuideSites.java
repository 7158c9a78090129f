package io.mirrorhost.cli.guide;

import io.mirrorhost.api.MgrModule;
import io.mirrorhost.host.CommandCatalog;
import io.mirrorhost.host.Host;
import io.mirrorhost.host.SiteConf;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The guide's two sites, site-a and site-b: one real {@link Host} each, in this JVM, on the embedded
 * backend with its own data dir, the embedded cluster served on a free port (so bootstrap tokens carry a
 * reachable mon_host) and a conf {@code DIR/NAME.conf} like conf/site-a.conf, which the CLI finds with
 * {@code --cluster NAME} and {@code MIRRORHOST_CONF_DIR=DIR}.
 */
final class GuideSites implements AutoCloseable {
    static final List<String> NAMES = List.of("site-a", "site-b");

    private final Path confDir;
    private final URLClassLoader modules;
    private final CommandCatalog catalog;
    private final Map<String, Vertx> vertxes = new LinkedHashMap<>();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, Integer> clusterPorts = new LinkedHashMap<>();

    private GuideSites(Path confDir, URLClassLoader modules) {
        this.confDir = confDir;
        this.modules = modules;
        this.catalog = withModules(CommandCatalog::load);
    }

    static GuideSites start(Path dir) throws Exception {
        GuideSites sites = new GuideSites(dir, ModuleJars.loader());
        try {
            for (String name : NAMES) {
                sites.startSite(name);
            }
            return sites;
        } catch (Exception | Error e) {
            sites.close();
            throw e;
        }
    }

    /** The catalogue the CLI builds its command tree from: the same modules as the hosts run. */
    CommandCatalog catalog() {
        return catalog;
    }

    Path confDir() {
        return confDir;
    }

    int clusterPort(String site) {
        return clusterPorts.get(site);
    }

    private void startSite(String name) throws Exception {
        int hostPort = freePort();
        int clusterPort = freePort();
        clusterPorts.put(name, clusterPort);
        Path conf = confDir.resolve(name + ".conf");
        Files.writeString(conf, String.join("\n",
                "# written by " + RbdMirroringGuideTest.class.getSimpleName() + ", as conf/" + name + ".conf",
                "[global]",
                "site_name = " + name,
                "backend = embedded",
                "[host]",
                "listen_address = 127.0.0.1",
                "listen_port = " + hostPort,
                "api_key = guide-" + name + "-cli-key",
                "[embedded]",
                "data_dir = run/" + name + "/cluster",
                "listen_address = 127.0.0.1",
                "listen_port = " + clusterPort,
                "key = guide-" + name + "-admin-key",
                "[mgr/replayer]",
                "pool_replayers_refresh_interval = 1",
                ""));
        Vertx vertx = withModules(Vertx::vertx);
        vertxes.put(name, vertx);
        List<MgrModule> realModules = new ArrayList<>();
        for (MgrModule module : ServiceLoader.load(MgrModule.class, modules)) {
            if (module.getClass().getClassLoader() == modules) {
                realModules.add(module);
            }
        }
        Host host = await(withModules(() -> Host.start(vertx, SiteConf.load(conf), realModules)));
        hosts.put(name, host);
    }

    /** Runs {@code action} with the modules' loader as context loader (ServiceLoader looks there). */
    private <T> T withModules(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(modules);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        for (Host host : hosts.values()) {
            await(host.close());
        }
        for (Vertx vertx : vertxes.values()) {
            await(vertx.close());
        }
        modules.close();
    }
}
