package io.mirrorhost.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.FakeLeadership;
import io.mirrorhost.api.testing.TestModuleContext;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.mirrorhost.replayer.snapshot.BandwidthLimiter;
import io.mirrorhost.replayer.snapshot.SyncProgress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The I/O layer on real embedded clusters: the copier against the block store's diff, reads and
 * writes, and discovery and status reporting against its mirroring records.
 */
class EmbeddedSitesTest {
    static final int ORDER = 16;
    static final long OBJECT = 1L << ORDER;
    static final PoolNamespace RBD = PoolNamespace.of("rbd");

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;
    Vertx vertx;
    EmbeddedCluster siteA;
    EmbeddedCluster siteB;
    final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void open() throws Exception {
        vertx = Vertx.vertx();
        siteA = await(vertx.executeBlocking(() -> EmbeddedCluster.open(vertx, dirA)));
        siteB = await(vertx.executeBlocking(() -> EmbeddedCluster.open(vertx, dirB)));
        for (Cluster c : List.of(siteA, siteB)) {
            await(c.createPool("rbd"));
        }
    }

    @AfterEach
    void close() throws Exception {
        await(siteA.close());
        await(siteB.close());
        await(vertx.close());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    static Buffer random(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return Buffer.buffer(b);
    }

    static String checksum(Image image, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (long offset = 0; offset < size; offset += OBJECT) {
            sha.update(await(image.read(offset, (int) Math.min(OBJECT, size - offset))).getBytes());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private Image create(Cluster cluster, String name, long size) throws Exception {
        ImageSpec spec = ImageSpec.of("rbd", "", name);
        await(cluster.createImage(spec, new ImageOptions(size, ORDER, ImageFeature.defaults(), null)));
        return await(cluster.openImage(spec));
    }

    @Test
    void theCopierReplaysFullAndDeltaCopiesOntoAnotherStore() throws Exception {
        long size = 24 * OBJECT;
        Image source = create(siteB, "src", size);
        await(source.write(0, random(1, (int) (2 * OBJECT + 333))));
        await(source.write(9 * OBJECT + 5, random(2, 4000)));
        await(source.write(23 * OBJECT, random(3, (int) OBJECT)));
        long s1 = await(source.createSnap("s1"));
        await(source.write(OBJECT + 10, random(4, 100)));
        await(source.discard(9 * OBJECT, OBJECT));
        await(source.write(15 * OBJECT, random(5, 10)));
        long s2 = await(source.createSnap("s2"));
        String sourceId = await(source.info()).id();
        Image target = create(siteA, "dst", size);
        ImageCopier copier = new ImageCopier(clock, 4, new BandwidthLimiter(0));
        AtomicLong bytes = new AtomicLong();
        List<Long> prefixes = new ArrayList<>();

        Image atS1 = await(siteB.openImageAtSnap(RBD, sourceId, s1));
        SyncProgress full = new SyncProgress(24, 0);
        await(copier.copy(atS1, null, target, size, OBJECT, full, bytes::addAndGet, p -> prefixes.add(p.copiedPrefix())));
        assertTrue(full.complete());
        assertEquals(checksum(atS1, size), checksum(target, size), "the full copy equals s1");
        assertTrue(bytes.get() >= 2 * OBJECT + 333 + 4000 + OBJECT && bytes.get() <= 5 * OBJECT,
                "only the allocated objects are read: " + bytes.get());
        assertEquals(prefixes.stream().sorted().toList(), prefixes, "progress only grows");
        await(atS1.close());

        bytes.set(0);
        Image atS2 = await(siteB.openImageAtSnap(RBD, sourceId, s2));
        SyncProgress delta = new SyncProgress(24, 0);
        await(copier.copy(atS2, s1, target, size, OBJECT, delta, bytes::addAndGet, p -> { }));
        assertEquals(checksum(atS2, size), checksum(target, size), "the delta turns s1 into s2, discard included");
        assertTrue(bytes.get() <= 2 * OBJECT, "only the changed extents are read: " + bytes.get());
        await(atS2.close());
        await(source.close());
        await(target.close());
    }

    @Test
    void aCancelledCopyStartsNoFurtherObject() throws Exception {
        long size = 8 * OBJECT;
        Image source = create(siteB, "src", size);
        await(source.write(0, random(1, (int) size)));
        long s1 = await(source.createSnap("s1"));
        Image atS1 = await(siteB.openImageAtSnap(RBD, await(source.info()).id(), s1));
        Image target = create(siteA, "dst", size);
        SyncProgress progress = new SyncProgress(8, 0);
        AtomicLong copied = new AtomicLong();
        Future<Void> copy = new ImageCopier(clock, 1, new BandwidthLimiter(0)).copy(atS1, null, target, size, OBJECT,
                progress, copied::addAndGet, p -> { }, () -> copied.get() >= 3 * OBJECT);
        Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> await(copy));
        assertTrue(failure.getCause() instanceof ImageCopier.CancelledCopy, failure.toString());
        assertEquals(3, progress.copiedPrefix(), "one object in flight, stopped after the third");
        for (Image i : List.of(atS1, source, target)) {
            await(i.close());
        }
    }

    @Test
    void aBandwidthLimitPacesTheCopyOnTheClock() throws Exception {
        long size = 4 * OBJECT;
        Image source = create(siteB, "src", size);
        await(source.write(0, random(1, (int) size)));
        long s1 = await(source.createSnap("s1"));
        Image atS1 = await(siteB.openImageAtSnap(RBD, await(source.info()).id(), s1));
        Image target = create(siteA, "dst", size);
        ImageCopier copier = new ImageCopier(clock, 2, new BandwidthLimiter(OBJECT));
        Future<Void> copy = copier.copy(atS1, null, target, size, OBJECT, new SyncProgress(4, 0), b -> { }, p -> { });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int seconds = 0;
        while (!copy.isComplete() && System.nanoTime() < deadline) {
            if (clock.pendingTimers() > 0) {
                clock.advance(Duration.ofSeconds(1));
                seconds++;
            } else {
                Thread.onSpinWait();
            }
        }
        await(copy);
        // 4 objects at one object per second after a one-second burst: 3 s; a second more when extents
        // split objects and completions interleave with the clock's steps
        assertTrue(seconds >= 3 && seconds <= 4, "copied in " + seconds + " s");
        assertEquals(checksum(atS1, size), checksum(target, size));
        for (Image i : List.of(atS1, source, target)) {
            await(i.close());
        }
    }

    @Test
    void discoveryFindsTheRemoteImageAndReportsItsStatusOnThePeer() throws Exception {
        for (Cluster c : List.of(siteA, siteB)) {
            await(c.mirrorModeSet(RBD, MirrorMode.IMAGE));
        }
        await(siteA.mirrorSiteNameSet("site-a"));
        await(siteB.mirrorSiteNameSet("site-b"));
        String peerB = await(siteA.mirrorPeerSiteAdd("rbd", "site-b", "client.rbd-mirror-peer", MirrorPeerDirection.RX_ONLY));
        await(siteA.mirrorPeerSiteSetAttributes("rbd", peerB, Map.of("mon_host", "127.0.0.1:1", "key", "k")));
        // the peer's daemon announces itself: site-b gets a tx-only peer for site-a
        await(siteB.mirrorPeerPing("rbd", "site-a", await(siteA.mirrorUuidGet("rbd"))));
        Image primary = create(siteB, "img", 4 * OBJECT);
        await(primary.write(0, random(1, 1000)));
        await(primary.mirrorEnable(MirrorImageMode.SNAPSHOT));
        String globalId = await(primary.mirrorInfo()).globalId();

        ReplayerModule module = new ReplayerModule();
        TestModuleContext ctx = new TestModuleContext(vertx, "site-a", siteA, clock, module)
                .withLeadership(await(FakeLeadership.leadingAlone(siteA, "replayer")))
                .withPeers(peer -> Future.succeededFuture(siteB.asClient("client.rbd-mirror-peer")));
        await(module.start(ctx));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Optional<MirrorImageSiteStatus> seen = Optional.empty();
            String localUuid = await(siteA.mirrorUuidGet("rbd"));
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                List<MirrorImageGlobalStatus> statuses = await(siteB.mirrorImageGlobalStatusList(RBD));
                seen = statuses.stream().filter(s -> s.info().globalId().equals(globalId))
                        .flatMap(s -> s.siteStatuses().stream())
                        .filter(s -> s.mirrorUuid().equals(localUuid) && s.state() == MirrorImageStatusState.REPLAYING)
                        .findFirst();
                Thread.onSpinWait();
            }
            assertTrue(seen.isPresent(), "site-a's status for the image appears on site-b");
            assertTrue(seen.get().description().startsWith("replaying, {"), seen.get().description());
            Image copy = await(siteA.openImage(ImageSpec.of("rbd", "", "img")));
            assertEquals(globalId, await(copy.mirrorInfo()).globalId(), "the copy was created by global id");
            assertEquals(checksum(primary, 4 * OBJECT), checksum(copy, 4 * OBJECT));
            await(copy.close());
            assertEquals("site-a", await(siteB.mirrorPeerSiteList("rbd")).stream()
                    .filter(p -> p.mirrorUuid().equals(localUuid)).findFirst().orElseThrow().siteName(),
                    "the ping recorded this site's mirror uuid on the peer");
        } finally {
            await(module.stop());
            await(primary.close());
        }
    }
}
