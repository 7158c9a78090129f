package io.mirrorhost.host;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.mirrorhost.api.cluster.PeerConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the host hands one module; {@link #attach} binds it to the module's verticle context while it runs. */
final class HostModuleContext implements ModuleContext {
    private final Vertx vertx;
    private final String siteName;
    private final Cluster cluster;
    private final ClusterProvider provider;
    private final String module;
    private final ModuleOptions options;
    private final KeyValueStore store;
    private final Clock clock;
    private final Logger logger;
    private volatile Context verticleContext;

    HostModuleContext(Vertx vertx, String siteName, Cluster cluster, ClusterProvider provider, String module,
                      ModuleOptions options) {
        this.vertx = vertx;
        this.siteName = siteName;
        this.cluster = cluster;
        this.provider = provider;
        this.module = module;
        this.options = options;
        this.store = new ModuleStore(cluster, module);
        this.clock = new VertxClock(vertx, () -> verticleContext);
        this.logger = LoggerFactory.getLogger(module);
    }

    void attach(Context context) {
        this.verticleContext = context;
    }

    /** The module verticle's context, or null while the module is not deployed. */
    Context verticleContext() {
        return verticleContext;
    }

    @Override
    public Vertx vertx() {
        return vertx;
    }

    @Override
    public String siteName() {
        return siteName;
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public Future<Cluster> connectPeer(PeerConnection peer) {
        return provider.connectPeer(vertx, peer);
    }

    @Override
    public KeyValueStore store() {
        return store;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public <T> T option(OptionSpec<T> option) {
        return options.typedValue(module, option);
    }

    @Override
    public Logger logger() {
        return logger;
    }
}
