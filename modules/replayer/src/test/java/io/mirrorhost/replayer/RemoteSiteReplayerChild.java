package io.mirrorhost.replayer;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.FakeLeadership;
import io.mirrorhost.api.testing.TestModuleContext;
import io.mirrorhost.embedded.EmbeddedClusterProvider;
import io.mirrorhost.embedded.net.RemoteCluster;
import io.mirrorhost.embedded.net.RemoteClusterOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A host instance in its own JVM, for tests that SIGKILL it: its replayer reaches the site's cluster over
 * the network (as a host started with {@code mon_host} does) and runs until killed, its clock stepping a
 * second per 100 ms. Usage: RemoteSiteReplayerChild ADDRESS CLIENT KEY SITE_NAME
 */
public final class RemoteSiteReplayerChild {
    private RemoteSiteReplayerChild() {
    }

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        Cluster site = RemoteCluster.connect(vertx, RemoteClusterOptions.of(args[0], args[1], args[2]))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        FakeClock clock = new FakeClock(Instant.now());
        ReplayerModule module = new ReplayerModule();
        EmbeddedClusterProvider provider = new EmbeddedClusterProvider();
        TestModuleContext ctx = new TestModuleContext(vertx, args[3], site, clock, module)
                .withLeadership(FakeLeadership.leadingAlone(site, "replayer-child")
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
                .withOption(ReplayerModule.REFRESH_INTERVAL, "5")
                .withPeers(peer -> provider.connectPeer(vertx, peer));
        module.start(ctx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("STARTED");
        System.out.flush();
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            clock.advance(Duration.ofSeconds(1));
        }
    }
}
