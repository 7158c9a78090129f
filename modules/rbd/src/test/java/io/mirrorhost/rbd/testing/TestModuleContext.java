package io.mirrorhost.rbd.testing;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.Site;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.PeerConnection;
import io.mirrorhost.api.testing.FakeLeadership;
import io.mirrorhost.api.testing.FakeSite;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module context for tests: a real cluster of any backend, the wall clock on Vert.x timers, an
 * in-memory store and options at their declared defaults unless given as text. Peer connections are not
 * offered.
 */
public final class TestModuleContext implements ModuleContext {
    private final Vertx vertx;
    private final Cluster cluster;
    private final Map<String, String> options;
    private final KeyValueStore store;
    private final Leadership leadership = FakeLeadership.leading(io.mirrorhost.api.testing.TestModuleContext.SOLO_TERM);

    public TestModuleContext(Vertx vertx, Cluster cluster, Map<String, String> options) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.options = Map.copyOf(options);
        this.store = new ClusterModuleStore(cluster);
    }

    @Override
    public Vertx vertx() {
        return vertx;
    }

    @Override
    public String siteName() {
        return "test-site";
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public Future<Cluster> connectPeer(PeerConnection peer) {
        return Future.failedFuture(new UnsupportedOperationException("no peers in this test context"));
    }

    @Override
    public Site site() {
        return FakeSite.alone("test-instance");
    }

    @Override
    public Leadership leadership() {
        return leadership;
    }

    /** The rbd module runs everywhere: it has no work assignment. */
    @Override
    public WorkAssignment assignment() {
        throw new IllegalStateException("module rbd runs EVERYWHERE: only a SPREAD module has a work assignment");
    }

    @Override
    public KeyValueStore store() {
        return store;
    }

    @Override
    public Clock clock() {
        return new Clock() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public Timer schedule(Duration delay, Runnable task) {
                long id = vertx.setTimer(Math.max(1, delay.toMillis()), t -> task.run());
                return () -> vertx.cancelTimer(id);
            }

            @Override
            public Timer every(Duration period, Runnable task) {
                long id = vertx.setPeriodic(Math.max(1, period.toMillis()), t -> task.run());
                return () -> vertx.cancelTimer(id);
            }
        };
    }

    @Override
    public <T> T option(OptionSpec<T> option) {
        String value = options.get(option.name());
        return value == null ? option.parseDefault() : option.parse(value);
    }

    @Override
    public Logger logger() {
        return LoggerFactory.getLogger("test.module");
    }
}
