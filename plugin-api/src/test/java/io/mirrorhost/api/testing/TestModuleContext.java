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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module context for module tests: a given cluster and clock, an in-memory store, options from
 * the module's declared defaults with per-test overrides, and peers reached through a function the
 * test supplies.
 */
public final class TestModuleContext implements ModuleContext {
    private final Vertx vertx;
    private final String siteName;
    private final Cluster cluster;
    private final Clock clock;
    private final Map<String, String> options = new HashMap<>();
    private final TreeMap<String, String> store = new TreeMap<>();
    private final Logger logger;
    private Function<PeerConnection, Future<Cluster>> peers = peer ->
            Future.failedFuture(new ClusterException(Errno.ECONNREFUSED, "no peer in this test: " + peer));

    public TestModuleContext(Vertx vertx, String siteName, Cluster cluster, Clock clock, MgrModule module) {
        this.vertx = vertx;
        this.siteName = siteName;
        this.cluster = cluster;
        this.clock = clock;
        this.logger = LoggerFactory.getLogger("module." + module.name());
        for (OptionSpec spec : module.options()) {
            options.put(spec.name(), spec.defaultValue());
        }
    }

    public TestModuleContext withOption(String name, String value) {
        if (!options.containsKey(name)) {
            throw new IllegalArgumentException("the module declares no option " + name);
        }
        options.put(name, value);
        return this;
    }

    public TestModuleContext withPeers(Function<PeerConnection, Future<Cluster>> connect) {
        this.peers = connect;
        return this;
    }

    /** The store's contents, for assertions. */
    public Map<String, String> storeContents() {
        synchronized (store) {
            return Map.copyOf(store);
        }
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
        return new KeyValueStore() {
            @Override
            public Future<Optional<String>> get(String key) {
                synchronized (store) {
                    return Future.succeededFuture(Optional.ofNullable(store.get(key)));
                }
            }

            @Override
            public Future<Void> put(String key, String value) {
                synchronized (store) {
                    store.put(key, value);
                }
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> remove(String key) {
                synchronized (store) {
                    store.remove(key);
                }
                return Future.succeededFuture();
            }

            @Override
            public Future<Boolean> compareAndSet(String key, String expected, String value) {
                synchronized (store) {
                    if (!java.util.Objects.equals(store.get(key), expected)) {
                        return Future.succeededFuture(false);
                    }
                    store.put(key, value);
                    return Future.succeededFuture(true);
                }
            }

            @Override
            public Future<Map<String, String>> list(String prefix) {
                synchronized (store) {
                    Map<String, String> result = new TreeMap<>();
                    store.tailMap(prefix, true).forEach((k, v) -> {
                        if (k.startsWith(prefix)) {
                            result.put(k, v);
                        }
                    });
                    return Future.succeededFuture(result);
                }
            }
        };
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String option(String name) {
        if (!options.containsKey(name)) {
            throw new IllegalArgumentException("the module declares no option " + name);
        }
        return options.get(name);
    }

    @Override
    public Logger logger() {
        return logger;
    }
}
