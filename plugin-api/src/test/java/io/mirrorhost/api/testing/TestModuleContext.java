package io.mirrorhost.api.testing;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.RunMode;
import io.mirrorhost.api.Site;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.PeerConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module context for module tests: a given cluster and clock, an in-memory store, options from
 * the module's declared defaults with per-test values checked as the host checks them, and peers
 * reached through a function the test supplies. The site is one instance that leads (term
 * {@link #SOLO_TERM}) and whose SPREAD module gets every item it offers under that term, as a host with
 * no {@code [hazelcast]} section; a test sets a {@link FakeLeadership} and, for a SPREAD module, a
 * {@link FakeWorkAssignment} to drive them.
 */
public final class TestModuleContext implements ModuleContext {
    public static final FenceToken SOLO_TERM = new FenceToken("leader", 1);

    private final Vertx vertx;
    private final String siteName;
    private final Cluster cluster;
    private final Clock clock;
    private final Map<String, OptionSpec<?>> declared = new LinkedHashMap<>();
    private final Map<String, String> optionValues = new HashMap<>();
    private final InMemoryKeyValueStore store = new InMemoryKeyValueStore();
    private final Logger logger;
    private final String moduleName;
    private final RunMode runMode;
    private Site site = FakeSite.alone("test-instance");
    private Leadership leadership = FakeLeadership.leading(SOLO_TERM);
    private WorkAssignment assignment = FakeWorkAssignment.alone(() -> leadership.term());
    private Function<PeerConnection, Future<Cluster>> peers = peer ->
            Future.failedFuture(new ClusterException(Errno.ECONNREFUSED, "no peer in this test: " + peer));

    public TestModuleContext(Vertx vertx, String siteName, Cluster cluster, Clock clock, MgrModule module) {
        this.vertx = vertx;
        this.siteName = siteName;
        this.cluster = cluster;
        this.clock = clock;
        this.logger = LoggerFactory.getLogger("module." + module.name());
        this.moduleName = module.name();
        this.runMode = module.runMode();
        for (OptionSpec<?> spec : module.options()) {
            spec.parseDefault(); // an invalid default fails here, as it fails the module's load in the host
            declared.put(spec.name(), spec);
        }
    }

    /** Sets an option as {@code config set} would, text checked against its declaration. */
    public TestModuleContext withOption(OptionSpec<?> option, String value) {
        requireDeclared(option).parse(value);
        optionValues.put(option.name(), value);
        return this;
    }

    public TestModuleContext withSite(Site site) {
        this.site = site;
        return this;
    }

    public TestModuleContext withLeadership(FakeLeadership leadership) {
        this.leadership = leadership;
        return this;
    }

    public TestModuleContext withAssignment(FakeWorkAssignment assignment) {
        this.assignment = assignment;
        return this;
    }

    public TestModuleContext withPeers(Function<PeerConnection, Future<Cluster>> connect) {
        this.peers = connect;
        return this;
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
        return peers.apply(peer);
    }

    @Override
    public Site site() {
        return site;
    }

    @Override
    public Leadership leadership() {
        return leadership;
    }

    /** As the host: only a SPREAD module has one. */
    @Override
    public WorkAssignment assignment() {
        if (runMode != RunMode.SPREAD) {
            throw new IllegalStateException("module " + moduleName + " runs " + runMode
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
        String value = optionValues.get(requireDeclared(option).name());
        return value == null ? option.parseDefault() : option.parse(value);
    }

    private OptionSpec<?> requireDeclared(OptionSpec<?> option) {
        if (declared.get(option.name()) != option) {
            throw new IllegalArgumentException("the module declares no option " + option.name());
        }
        return option;
    }

    @Override
    public Logger logger() {
        return logger;
    }
}
