package io.mirrorhost.replayer;

import static io.mirrorhost.api.testing.Deadlines.await;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.FakeLeadership;
import io.mirrorhost.api.testing.TestModuleContext;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.mirrorhost.embedded.EmbeddedClusterProvider;
import io.mirrorhost.embedded.testing.TwoEmbeddedSites;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The two sites of {@link TwoEmbeddedSites}, joined as the guide joins them (image mirror mode on
 * pool rbd, site-a's bootstrap token imported rx-tx on site-b), each with its own replayer module
 * reaching the other site over the network.
 */
final class RealSites extends TwoEmbeddedSites {
    static final PoolNamespace RBD = PoolNamespace.of("rbd");

    final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ReplayerModule[] replayers = new ReplayerModule[2];
    /** Whether each site's daemon can reach its peer (a connection attempt fails when not). */
    volatile boolean peersReachable = true;

    RealSites(Path dir) {
        super(dir);
        mirroredPool("rbd");
    }

    /** Closes site-b (its replayer first), so that another process may open its data directory. */
    @Override
    public void closeSiteB() {
        stopReplayer(1);
        super.closeSiteB();
    }

    /** Starts the replayer daemon of both sites. */
    void startReplayers() {
        startReplayer(0);
        startReplayer(1);
    }

    void startReplayer(int i) {
        startReplayer(i, java.util.Map.of());
    }

    void startReplayer(int i, java.util.Map<io.mirrorhost.api.OptionSpec<?>, String> options) {
        ReplayerModule module = new ReplayerModule();
        EmbeddedClusterProvider provider = new EmbeddedClusterProvider();
        TestModuleContext ctx = new TestModuleContext(vertx, i == 0 ? "site-a" : "site-b", site(i), clock, module)
                .withLeadership(await(FakeLeadership.leadingAlone(site(i), "replayer-" + i)))
                .withOption(ReplayerModule.REFRESH_INTERVAL, "5")
                .withPeers(peer -> peersReachable ? provider.connectPeer(vertx, peer)
                        : Future.failedFuture(new io.mirrorhost.api.cluster.ClusterException(
                                io.mirrorhost.api.Errno.ECONNREFUSED, "peer unreachable in this test")));
        options.forEach(ctx::withOption);
        await(module.start(ctx));
        replayers[i] = module;
    }

    void stopReplayer(int i) {
        if (replayers[i] != null) {
            await(replayers[i].stop());
            replayers[i] = null;
        }
    }

    // --- reading the sites ---

    static Optional<SnapInfo> trySnaps(Cluster site, ImageSpec spec, java.util.function.Predicate<SnapInfo> which) {
        try {
            return snaps(site, spec).stream().filter(which).findFirst();
        } catch (RuntimeException e) {
            return Optional.empty(); // no such image yet
        }
    }

    /** SHA-256 of the whole image at {@code snapId} (null: the head), read through a fresh handle. */
    static String checksum(Cluster site, ImageSpec spec, Long snapId) {
        Image head = await(site.openImage(spec));
        Image image = head;
        try {
            if (snapId != null) {
                image = await(site.openImageAtSnap(spec.poolNamespace(), await(head.info()).id(), snapId));
            }
            long size = await(image.info()).size();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (long offset = 0; offset < size; offset += 1 << 20) {
                sha.update(await(image.read(offset, (int) Math.min(1 << 20, size - offset))).getBytes());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        } finally {
            if (image != head) {
                await(image.close());
            }
            await(head.close());
        }
    }

    /** This site's own status of {@code globalId} (mirror uuid "" there), or of a peer's daemon. */
    static Optional<MirrorImageSiteStatus> status(Cluster site, String globalId, String mirrorUuid) {
        List<MirrorImageGlobalStatus> all = await(site.mirrorImageGlobalStatusList(RBD));
        return all.stream().filter(s -> s.info().globalId().equals(globalId))
                .flatMap(s -> s.siteStatuses().stream()).filter(s -> s.mirrorUuid().equals(mirrorUuid)).findFirst();
    }

    /**
     * Waits for {@code condition} up to 30 s. The daemons' clock steps a second every 100 ms of
     * waiting, so their periodic refreshes and retries happen while a test waits.
     */
    void waitFor(String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(30);
        long nextTick = start + TimeUnit.MILLISECONDS.toNanos(100);
        while (!condition.getAsBoolean()) {
            long now = System.nanoTime();
            if (now > end) {
                throw new AssertionError("timed out waiting for " + what + "\n" + describe());
            }
            if (now > nextTick) {
                clock.advance(Duration.ofSeconds(1));
                nextTick = now + TimeUnit.MILLISECONDS.toNanos(100);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Both sites' images, snapshots and statuses, for a failure message. */
    String describe() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            EmbeddedCluster site = site(i);
            out.append(i == 0 ? "site-a" : "site-b").append(" (").append(await(site.mirrorUuidGet("rbd"))).append(")\n");
            for (var entry : await(site.listImages(RBD))) {
                ImageSpec spec = ImageSpec.of("rbd", "", entry.name());
                out.append("  ").append(entry.name()).append(" ").append(entry.id()).append(" snaps ");
                try {
                    snaps(site, spec).forEach(sn -> out.append(sn.id()).append(sn.mirror() == null ? "u" : ":"
                            + sn.mirror().state() + (sn.mirror().complete() ? "" : "~") + "<" + sn.mirror().primarySnapId())
                            .append(' '));
                } catch (RuntimeException e) {
                    out.append(e.getMessage());
                }
                out.append('\n');
            }
            for (MirrorImageGlobalStatus g : await(site.mirrorImageGlobalStatusList(RBD))) {
                out.append("  status ").append(g.name()).append(' ').append(g.siteStatuses()).append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        stopReplayer(0);
        stopReplayer(1);
        super.close();
    }
}
