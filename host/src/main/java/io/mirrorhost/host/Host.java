package io.mirrorhost.host;

import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.mirrorhost.host.ha.HazelcastSite;
import io.mirrorhost.host.ha.HostSite;
import io.mirrorhost.host.ha.SoloSite;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running host: the site's cluster connection, its modules (each enabled one deployed as a verticle)
 * and the HTTP API. {@link #start} brings all of it up; {@link #close} stops modules, the server and the
 * cluster connection, in that order.
 */
public final class Host {
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);
    static final Duration MODULE_START_TIMEOUT = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final Cluster cluster;
    private final HostSite site;
    private final ModuleManager modules;
    private final HttpServer server;
    private final Duration refreshInterval;
    private volatile boolean closing;
    private volatile long refreshTimer = -1;

    private Host(Vertx vertx, Cluster cluster, HostSite site, ModuleManager modules, HttpServer server,
                 Duration refreshInterval) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.site = site;
        this.modules = modules;
        this.server = server;
        this.refreshInterval = refreshInterval;
    }

    /** Starts a host with the modules found on the class path. */
    public static Future<Host> start(Vertx vertx, SiteConf conf) {
        return start(vertx, conf, CommandCatalog.discoverModules());
    }

    public static Future<Host> start(Vertx vertx, SiteConf conf, List<MgrModule> moduleList) {
        ClusterProvider provider;
        ApiKeys keys;
        try {
            provider = provider(conf.backend());
            keys = new ApiKeys(conf.acceptedApiKeys());
            conf.siteName();
            conf.listenPort();
            conf.moduleRefreshInterval();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (keys.isEmpty()) {
            LOG.warn("{} sets no [host] api_key: every API request but /api/v1/health will be refused", conf.file());
        }
        return Future.succeededFuture()
                .compose(v -> provider.connect(vertx, conf.backendSettings()))
                .compose(cluster -> assemble(vertx, conf, moduleList, provider, keys, cluster)
                        .recover(e -> cluster.close().transform(ignored -> Future.<Host>failedFuture(e))));
    }

    private static Future<Host> assemble(Vertx vertx, SiteConf conf, List<MgrModule> moduleList,
                                         ClusterProvider provider, ApiKeys keys, Cluster cluster) {
        ModuleOptions options;
        try {
            options = new ModuleOptions(moduleList, conf, cluster);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        HostSite site;
        try {
            site = site(vertx, conf);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        ModuleManager modules = new ModuleManager(vertx, cluster, moduleList,
                m -> new HostModuleContext(vertx, conf.siteName(), cluster, provider, m, options, site),
                MODULE_START_TIMEOUT);
        CommandCatalog catalog = CommandCatalog.of(moduleList, new BuiltinCommands(modules, options, site).specs());
        HttpApi api = new HttpApi(conf.siteName(), keys, catalog, new CommandDispatcher(catalog, modules), modules,
                conf.fileDir());
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(conf.listenAddress()).setPort(conf.listenPort()));
        server.requestHandler(api.router(vertx));
        return options.load()
                .compose(v -> site.lead(cluster))
                .compose(v -> modules.startEnabled())
                .compose(v -> server.listen()
                        .recover(e -> modules.stopAll().transform(ignored -> Future.failedFuture(
                                "cannot listen on " + conf.listenAddress() + ":" + conf.listenPort() + ": "
                                        + ModuleManager.describe(e)))))
                .recover(e -> site.close().transform(ignored -> Future.failedFuture(e)))
                .map(s -> {
                    LOG.info("site {} ({} backend) serving http://{}:{}/api/v1/", conf.siteName(), conf.backend(),
                            conf.listenAddress(), s.actualPort());
                    Host host = new Host(vertx, cluster, site, modules, server, conf.moduleRefreshInterval());
                    host.scheduleRefresh();
                    return host;
                });
    }

    /**
     * Alone (no {@code [hazelcast]} section) the instance leads from its start; clustered, it takes part in
     * the election on the Hazelcast instance its Vert.x was clustered with (named after the instance).
     */
    private static HostSite site(Vertx vertx, SiteConf conf) {
        if (conf.hazelcast().isEmpty()) {
            return new SoloSite(conf.instanceName());
        }
        return HazelcastSite.of(vertx, conf.instanceName(), conf.hazelcast().get());
    }

    private static ClusterProvider provider(String backend) {
        List<ClusterProvider> providers = ServiceLoader.load(ClusterProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        return providers.stream().filter(p -> p.name().equals(backend)).findFirst().orElseThrow(() ->
                new SiteConf.ConfException("no cluster backend named '" + backend + "' (available: "
                        + String.join(", ", providers.stream().map(ClusterProvider::name).toList()) + ")"));
    }

    /** The port the API listens on (the real one when the conf asked for port 0). */
    public int port() {
        return server.actualPort();
    }

    ModuleManager modules() {
        return modules;
    }

    /** Follows the stored module states, one refresh after the other. */
    private void scheduleRefresh() {
        if (refreshInterval.isZero() || closing) {
            return;
        }
        refreshTimer = vertx.setTimer(refreshInterval.toMillis(), id -> modules.followStoredState()
                .onFailure(e -> LOG.warn("cannot read the stored module states: {}", ModuleManager.describe(e)))
                .onComplete(ar -> scheduleRefresh()));
    }

    /** Stops every module, then the HTTP server, then the site's election, then the cluster connection. */
    public Future<Void> close() {
        closing = true;
        vertx.cancelTimer(refreshTimer);
        return modules.stopAll()
                .transform(ignored -> server.close())
                .transform(ignored -> site.close())
                .transform(ignored -> cluster.close())
                .onComplete(ar -> LOG.info("host stopped"));
    }
}
