package io.mirrorhost.api.testing;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
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
 * reached through a function the test supplies.
 */
public final class TestModuleContext implements ModuleContext {
    private final Vertx vertx;
    private final String siteName;
    private final Cluster cluster;
    private final Clock clock;
    private final Map<String, OptionSpec<?>> declared = new LinkedHashMap<>();
    private final Map<String, String> optionValues = new HashMap<>();
    private final InMemoryKeyValueStore store = new InMemoryKeyValueStore();
    private final Logger logger;
    private Function<PeerConnection, Future<Cluster>> peers = peer ->
            Future.failedFuture(new ClusterException(Errno.ECONNREFUSED, "no peer in this test: " + peer));

    public TestModuleContext(Vertx vertx, String siteName, Cluster cluster, Clock clock, MgrModule module) {
        this.vertx = vertx;
        this.siteName = siteName;
        this.cluster = cluster;
        this.clock = clock;
        this.logger = LoggerFactory.getLogger("module." + module.name());
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
