package io.mirrorhost.host;

import io.mirrorhost.api.AssignmentChange;
import io.mirrorhost.api.Clock;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.RunMode;
import io.mirrorhost.api.Site;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.PeerConnection;
import io.mirrorhost.host.ha.ModuleCallbacks;
import io.mirrorhost.host.ha.HostSite;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the host hands one module; {@link #attach} binds it to the module's verticle context while it runs. */
final class HostModuleContext implements ModuleContext {
    private final Vertx vertx;
    private final String siteName;
    private final Cluster cluster;
    private final ClusterProvider provider;
    private final String module;
    private final RunMode runMode;
    private final ModuleOptions options;
    private final HostSite site;
    private final ModuleCallbacks<Optional<FenceToken>> leadershipCallbacks;
    private final Leadership leadership;
    private final ModuleCallbacks<AssignmentChange> assignmentCallbacks;
    /** A SPREAD module's, one per run: a module that starts again holds no items until the site hands them to it. */
    private volatile WorkAssignment assignment;
    private final KeyValueStore store;
    private final Clock clock;
    private final Logger logger;
    private volatile Context verticleContext;

    HostModuleContext(Vertx vertx, String siteName, Cluster cluster, ClusterProvider provider, MgrModule module,
                      ModuleOptions options, HostSite site) {
        this.vertx = vertx;
        this.siteName = siteName;
        this.cluster = cluster;
        this.provider = provider;
        this.module = module.name();
        this.runMode = module.runMode();
        this.options = options;
        this.site = site;
        this.leadershipCallbacks = new ModuleCallbacks<>(this::verticleContext);
        this.leadership = site.leadership(leadershipCallbacks);
        this.assignmentCallbacks = new ModuleCallbacks<>(this::verticleContext);
        this.store = new ModuleStore(cluster, this.module);
        this.clock = new VertxClock(vertx, () -> verticleContext);
        this.logger = LoggerFactory.getLogger(this.module);
    }

    /** Binds the context to a run of the module (null: it stopped); listeners of an earlier run are dropped. */
    void attach(Context context) {
        leadershipCallbacks.clear();
        assignmentCallbacks.clear();
        if (context != null && runMode == RunMode.SPREAD) {
            assignment = site.assignment(assignmentCallbacks);
        }
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
    public Site site() {
        return site;
    }

    @Override
    public Leadership leadership() {
        return leadership;
    }

    @Override
    public WorkAssignment assignment() {
        if (runMode != RunMode.SPREAD) {
            throw new IllegalStateException("module " + module + " runs " + runMode
                + ": only a SPREAD module has a work assignment");
        }
        return assignment;
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
