package io.mirrorhost.replayer;

import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.FakeLeadership;
import io.mirrorhost.api.testing.TestModuleContext;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.mirrorhost.embedded.EmbeddedClusterProvider;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A site's replayer daemon in its own JVM, for tests that SIGKILL it: opens the site's embedded
 * data directory, starts the replayer module (peers reached over the network) and drives its clock
 * a second per 100 ms until killed. Usage: ReplayerChild DATA_DIR SITE_NAME BANDWIDTH_LIMIT
 */
public final class ReplayerChild {
    private ReplayerChild() {
    }

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        EmbeddedCluster site = EmbeddedCluster.open(vertx, Path.of(args[0]));
        FakeClock clock = new FakeClock(Instant.now());
        ReplayerModule module = new ReplayerModule();
        EmbeddedClusterProvider provider = new EmbeddedClusterProvider();
        TestModuleContext ctx = new TestModuleContext(vertx, args[1], site, clock, module)
                .withLeadership(FakeLeadership.leadingAlone(site, "replayer-child")
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
                .withOption(ReplayerModule.REFRESH_INTERVAL, "5")
                .withOption(ReplayerModule.BANDWIDTH_LIMIT, args[2])
                .withPeers(peer -> provider.connectPeer(vertx, peer));
        module.start(ctx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("STARTED");
        System.out.flush();
        while (true) {
            // the daemon's time source: its throttles and refreshes run on this clock
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            clock.advance(Duration.ofSeconds(1));
        }
    }
}
