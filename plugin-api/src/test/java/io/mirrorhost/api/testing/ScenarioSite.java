package io.mirrorhost.api.testing;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;

/**
 * One site the shared module scenarios run on: a cluster connected through a backend's registered
 * {@link ClusterProvider} (as the host connects it), fresh uniquely named rbd pools, modules started on
 * it, and teardown of all of it. The same scenarios run on every backend; where a backend legitimately
 * behaves differently the site says so with a {@link Capability} instead of the scenarios forking.
 */
public final class ScenarioSite implements AutoCloseable {

    /** What a backend offers that another does not; scenarios branch on these, never on the backend name. */
    public enum Capability {
        /**
         * A client may record an image's mirror status through the SPI ({@code mirrorImageStatusSet}), as
         * the embedded cluster lets our replayer do. On Ceph only rbd-mirror records statuses (its
         * instance must be registered), so scenarios there see the statuses of a site with no daemon.
         */
        RECORDS_IMAGE_STATUS
    }

    private final String backend;
    private final String name;
    private final Set<Capability> capabilities;
    private final Vertx vertx = Vertx.vertx();
    private final Cluster cluster;
    private final List<String> pools = new ArrayList<>();
    private final List<MgrModule> modules = new ArrayList<>();
    private final Router router;
    private final HttpServer server;
    private FenceToken term;

    private ScenarioSite(String backend, String name, Map<String, String> settings, Set<Capability> capabilities) {
        this.backend = backend;
        this.name = name;
        this.capabilities = capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities);
        ClusterProvider provider = ServiceLoader.load(ClusterProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(backend)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no backend '" + backend + "' on the test class path"));
        this.cluster = Deadlines.await(provider.connect(vertx, settings));
        Deadlines.await(cluster.mirrorSiteNameSet(name));
        router = Router.router(vertx);
        server = Deadlines.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    }

    /**
     * Connects site {@code name} of backend {@code backend} with the settings of its conf section
     * ({@code [embedded]}, {@code [ceph]}); the cluster's mirror site name is set to {@code name}.
     */
    public static ScenarioSite connect(String backend, String name, Map<String, String> settings,
                                       Set<Capability> capabilities) {
        return new ScenarioSite(backend, name, settings, capabilities);
    }

    /** A fresh embedded cluster in {@code dataDir}, opened in-process, as site {@code site-a}. */
    public static ScenarioSite embedded(Path dataDir) {
        return connect("embedded", "site-a", Map.of("data_dir", dataDir.toString()),
                Set.of(Capability.RECORDS_IMAGE_STATUS));
    }

    public String backend() {
        return backend;
    }

    /** The site's name, also its cluster's mirror site name. */
    public String name() {
        return name;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Cluster cluster() {
        return cluster;
    }

    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    /**
     * A new pool initialised for rbd ({@code ceph osd pool create} plus {@code rbd pool init}), named
     * {@code prefix-<random>} so that reruns on long-lived clusters never collide; removed on close.
     */
    public String newPool(String prefix) {
        String pool = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Deadlines.await(cluster.createPool(pool));
        pools.add(pool);
        Deadlines.await(cluster.initPool(pool));
        return pool;
    }

    /**
     * Starts {@code module} on this site with {@code clock} as the host would: leading under the term the
     * site took from the cluster's leader fence at its first start (as a host of one instance takes it),
     * its routes mounted at {@code /api/v1/<name>/} of {@link #http()} first, then {@code start} on an
     * event loop. Stopped on close.
     */
    public ModuleCommandLine start(MgrModule module, Clock clock) {
        TestModuleContext context = new TestModuleContext(vertx, name, cluster, clock, module)
                .withLeadership(FakeLeadership.leading(term()));
        Router routes = Router.router(vertx);
        module.routes(routes, context);
        router.route("/api/v1/" + module.name() + "/*").subRouter(routes);
        Context eventLoop = vertx.getOrCreateContext();
        Promise<Void> started = Promise.promise();
        eventLoop.runOnContext(v -> module.start(context).onComplete(started));
        Deadlines.await(started.future());
        modules.add(module);
        return new ModuleCommandLine(module, eventLoop);
    }

    /**
     * The site's term: the leader fence taken beyond its stored epoch; {@link TestModuleContext#SOLO_TERM}
     * on a backend that cannot fence (EOPNOTSUPP), which then checks no term.
     */
    private synchronized FenceToken term() {
        if (term == null) {
            term = Deadlines.await(cluster.fenceGet(TestModuleContext.SOLO_TERM.name())
                    .compose(stored -> cluster.fenceTake(TestModuleContext.SOLO_TERM.name(),
                            stored.map(FenceRecord::epoch).orElse(0L), name))
                    .recover(e -> ClusterException.errnoOf(e) == Errno.EOPNOTSUPP
                            ? Future.succeededFuture(TestModuleContext.SOLO_TERM) : Future.failedFuture(e)));
        }
        return term;
    }

    /** Where the started modules' routes are served (loopback, a free port). */
    public URI http() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    /** Stops the modules, removes the pools this site made, closes the cluster and Vert.x. */
    @Override
    public void close() {
        for (MgrModule module : modules) {
            Deadlines.await(module.stop());
        }
        for (String pool : pools) {
            try {
                Deadlines.await(cluster.removePool(pool));
            } catch (ClusterException e) {
                // already removed by the scenario
            }
        }
        Deadlines.await(cluster.close());
        Deadlines.await(vertx.close());
    }
}
