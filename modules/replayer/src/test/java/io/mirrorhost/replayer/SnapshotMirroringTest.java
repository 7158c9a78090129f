package io.mirrorhost.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.TestModuleContext;
import io.mirrorhost.replayer.fake.FakeImage;
import io.mirrorhost.replayer.fake.FakeSite;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshot-based mirroring end to end through the module, on two in-memory sites with librbd's
 * mirroring semantics: bootstrap and initial sync, deltas, failover, split-brain and resync,
 * deletion propagation, restart mid-sync. Every replicated snapshot is compared by checksum.
 */
class SnapshotMirroringTest {
    static final int ORDER = 12;
    static final long OBJECT = 1L << ORDER;

    private Vertx vertx;
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeSite a = new FakeSite("site-a");
    private final FakeSite b = new FakeSite("site-b");
    private final List<ReplayerModule> running = new ArrayList<>();
    private final List<TestModuleContext> contexts = new ArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        a.clockFrom(clock::now);
        b.clockFrom(clock::now);
    }

    @AfterEach
    void stop() throws Exception {
        for (ReplayerModule m : running) {
            await(m.stop());
        }
        await(vertx.close());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    static void waitFor(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** One-way: site-b is primary, site-a's replayer pulls from it. */
    private void oneWay() {
        a.addPeer(b, MirrorPeerDirection.RX_ONLY);
        b.addPeer(a, MirrorPeerDirection.TX_ONLY);
    }

    private void twoWay() {
        a.addPeer(b, MirrorPeerDirection.RX_TX);
        b.addPeer(a, MirrorPeerDirection.RX_TX);
    }

    private ReplayerModule startReplayer(FakeSite site, FakeSite peer) throws Exception {
        return startReplayer(site, peer, Map.of());
    }

    private ReplayerModule startReplayer(FakeSite site, FakeSite peer, Map<OptionSpec<?>, String> options)
            throws Exception {
        ReplayerModule module = new ReplayerModule();
        TestModuleContext ctx = new TestModuleContext(vertx, site == a ? "site-a" : "site-b", site.cluster(), clock, module)
                .withOption(ReplayerModule.REFRESH_INTERVAL, "5")
                .withOption(ReplayerModule.OBJECTS_IN_FLIGHT, "4")
                .withPeers(conn -> peer.connect());
        options.forEach(ctx::withOption);
        contexts.add(ctx);
        await(module.start(ctx));
        running.add(module);
        return module;
    }

    /** Waits until {@code copy} holds a complete non-primary snapshot of {@code primarySnap}; checks its content. */
    private SnapInfo waitForCopy(FakeSite site, String name, FakeImage primary, long primarySnap) {
        Supplier<SnapInfo> find = () -> {
            FakeImage copy = site.image(name);
            return copy == null ? null : copy.mirrorSnaps().stream()
                    .filter(s -> !s.mirror().state().isPrimary() && s.mirror().complete()
                            && s.mirror().primarySnapId() == primarySnap)
                    .findFirst().orElse(null);
        };
        waitFor("a copy of snapshot " + primarySnap + " on " + site, () -> find.get() != null);
        SnapInfo copied = find.get();
        assertEquals(primary.checksum(primarySnap), site.image(name).checksum(copied.id()),
                "the copy's content equals the primary snapshot's");
        return copied;
    }

    private void waitForStatus(FakeSite site, String globalId, MirrorImageStatusState state, String description) {
        waitFor(site + " status " + state + " " + description, () -> {
            MirrorImageSiteStatus s = site.status(globalId, "");
            return s != null && s.state() == state && s.description().startsWith(description);
        });
    }

    private long snapshot(FakeImage image) throws Exception {
        return await(image.open().mirrorCreateSnapshot());
    }

    @Test
    void initialSyncDeltasEmptyDeltaAndResize() throws Exception {
        oneWay();
        FakeImage primary = b.createImage("img", 16 * OBJECT, ORDER);
        primary.fill(0, (int) (3 * OBJECT + 100), 1);
        primary.fill(10 * OBJECT + 7, 300, 2);
        primary.enableMirroring();
        long s1 = primary.mirrorSnaps().get(0).id();
        startReplayer(a, b);

        waitForCopy(a, "img", primary, s1);
        String gid = primary.globalId();
        assertEquals(gid, a.image("img").globalId(), "the copy has the primary's global id");
        waitForStatus(a, gid, MirrorImageStatusState.REPLAYING, "replaying, {\"bytes_per_second\":");
        MirrorImageSiteStatus local = a.status(gid, "");
        assertTrue(local.up());
        assertTrue(local.description().contains("\"replay_state\":\"idle\""), local.description());
        assertTrue(local.description().contains("\"last_snapshot_bytes\":" + (5 * OBJECT)), local.description());
        assertTrue(local.description().contains("\"remote_snapshot_timestamp\":1767225600"), local.description());
        assertTrue(local.description().contains("\"local_snapshot_timestamp\":1767225600"), local.description());
        waitFor("the status on the primary's site", () -> b.status(gid, "mirror-uuid-site-a") != null
                && b.status(gid, "mirror-uuid-site-a").state() == MirrorImageStatusState.REPLAYING);

        int before = a.image("img").objectWrites.get();
        primary.fill(5 * OBJECT, 10, 3);
        long s2 = snapshot(primary);
        waitForCopy(a, "img", primary, s2);
        assertEquals(1, a.image("img").objectWrites.get() - before, "only the changed object is copied");

        before = a.image("img").objectWrites.get();
        long s3 = snapshot(primary);
        waitForCopy(a, "img", primary, s3);
        assertEquals(0, a.image("img").objectWrites.get() - before, "an empty delta copies nothing");

        await(primary.open().resize(20 * OBJECT));
        primary.fill(19 * OBJECT, 50, 4);
        long s4 = snapshot(primary);
        waitForCopy(a, "img", primary, s4);
        assertEquals(20 * OBJECT, await(a.image("img").open().info()).size());

        await(primary.open().resize(2 * OBJECT));
        long s5 = snapshot(primary);
        waitForCopy(a, "img", primary, s5);
        assertEquals(2 * OBJECT, await(a.image("img").open().info()).size(), "shrinking is replayed too");

        waitFor("old non-primary snapshots pruned", () -> a.image("img").mirrorSnaps().size() == 1);

        b.cluster().renameImage(io.mirrorhost.api.cluster.ImageSpec.of("rbd", "", "img"), "img_RENAMED");
        long s6 = snapshot(primary);
        waitForCopy(a, "img_RENAMED", primary, s6);
        assertNull(a.image("img"), "the copy follows a rename");
        waitFor("stale primary snapshots unlinked from this peer", () -> primary.mirrorSnaps().stream()
                .filter(s -> s.mirror().mirrorPeerUuids().contains("peer-site-a-at-site-b")).count() == 1);
        assertEquals(s6, primary.mirrorSnaps().get(primary.mirrorSnaps().size() - 1).id());
    }

    @Test
    void aReplayerRestartedMidSyncResumesWithoutRecopying() throws Exception {
        oneWay();
        FakeImage primary = b.createImage("big", 40 * OBJECT, ORDER);
        for (int i = 0; i < 40; i++) {
            primary.fill(i * OBJECT, 64, 100 + i);
        }
        primary.enableMirroring();
        long s1 = primary.mirrorSnaps().get(0).id();
        Promise<Void> held = Promise.promise();
        a.onImageCreated(copy -> copy.writeGate = offset -> offset >= 20 * OBJECT ? held.future() : null);
        ReplayerModule first = startReplayer(a, b);
        waitFor("progress recorded", () -> {
            FakeImage copy = a.image("big");
            return copy != null && !copy.mirrorSnaps().isEmpty()
                    && copy.mirrorSnaps().get(0).mirror().lastCopiedObjectNumber() >= 20;
        });
        waitForStatus(a, primary.globalId(), MirrorImageStatusState.SYNCING, "bootstrapping, IMAGE_SYNC/COPY_IMAGE 50%");
        await(first.stop());
        running.remove(first);
        FakeImage copy = a.image("big");
        long recorded = copy.mirrorSnaps().get(0).mirror().lastCopiedObjectNumber();
        assertEquals(20, recorded, "objects beyond the held one are not recorded");
        int writesBefore = copy.objectWrites.get();

        copy.writeGate = null;
        startReplayer(a, b);
        waitForCopy(a, "big", primary, s1);
        assertEquals(40 - recorded, copy.objectWrites.get() - writesBefore, "the copy resumed at object " + recorded);
        assertEquals(1, copy.mirrorSnaps().size(), "the interrupted snapshot itself was completed");
    }

    @Test
    void aDeltaBeingCopiedShowsReplayStateSyncingWithItsPercent() throws Exception {
        oneWay();
        FakeImage primary = b.createImage("img", 10 * OBJECT, ORDER);
        primary.fill(0, 10, 1);
        primary.enableMirroring();
        startReplayer(a, b);
        waitForCopy(a, "img", primary, primary.mirrorSnaps().get(0).id());
        Promise<Void> held = Promise.promise();
        a.image("img").writeGate = offset -> offset >= 5 * OBJECT ? held.future() : null;
        for (int i = 0; i < 10; i++) {
            primary.fill(i * OBJECT, 10, 10 + i);
        }
        long s2 = snapshot(primary);
        String gid = primary.globalId();
        waitForStatus(a, gid, MirrorImageStatusState.REPLAYING, "replaying, ");
        waitFor("a syncing status at 50%", () -> a.status(gid, "").description().contains("\"syncing_percent\":50"));
        String description = a.status(gid, "").description();
        assertTrue(description.contains("\"replay_state\":\"syncing\""), description);
        assertTrue(description.contains("\"syncing_snapshot_timestamp\":"), description);
        held.complete();
        waitForCopy(a, "img", primary, s2);
        waitFor("idle again", () -> a.status(gid, "").description().contains("\"replay_state\":\"idle\""));
    }

    @Test
    void orderlyFailoverAndFailbackLoopLosesNothingAndPrunesOldSnapshots() throws Exception {
        twoWay();
        FakeImage onB = b.createImage("img", 8 * OBJECT, ORDER);
        onB.fill(0, 5000, 1);
        onB.enableMirroring();
        startReplayer(a, b);
        startReplayer(b, a);
        waitForCopy(a, "img", onB, onB.mirrorSnaps().get(0).id());
        String gid = onB.globalId();
        waitForStatus(b, gid, MirrorImageStatusState.STOPPED, "local image is primary");
        FakeImage onA = a.image("img");

        for (int round = 0; round < 6; round++) {
            FakeImage from = round % 2 == 0 ? onB : onA;
            FakeImage to = round % 2 == 0 ? onA : onB;
            FakeSite fromSite = round % 2 == 0 ? b : a;
            FakeSite toSite = round % 2 == 0 ? a : b;
            from.fill(OBJECT, 100, 10 + round);
            await(from.open().mirrorDemote());
            long demotion = from.mirrorSnaps().get(from.mirrorSnaps().size() - 1).id();
            waitForCopy(toSite, "img", from, demotion);
            waitForStatus(toSite, gid, MirrorImageStatusState.UNKNOWN, "remote image demoted");
            waitForStatus(fromSite, gid, MirrorImageStatusState.UNKNOWN, "remote image demoted");
            assertEquals(MirrorSnapshotState.NON_PRIMARY_DEMOTED,
                    to.mirrorSnaps().get(to.mirrorSnaps().size() - 1).mirror().state());

            await(to.open().mirrorPromote(false));
            waitForStatus(toSite, gid, MirrorImageStatusState.STOPPED, "local image is primary");
            to.fill(3 * OBJECT, 100, 20 + round);
            long s = snapshot(to);
            waitForCopy(fromSite, "img", to, s);
            waitForStatus(fromSite, gid, MirrorImageStatusState.REPLAYING, "replaying, ");
            assertEquals(to.checksum(null), from.checksum(null), "after failover the old primary follows");
            waitFor("old mirror-snapshots pruned on both sites after round " + round,
                    () -> onA.mirrorSnaps().size() <= 3 && onB.mirrorSnaps().size() <= 3);
        }
    }

    @Test
    void forcedPromotionIsSplitBrainUntilResync() throws Exception {
        twoWay();
        FakeImage onB = b.createImage("img", 8 * OBJECT, ORDER);
        onB.fill(0, 9000, 1);
        onB.enableMirroring();
        startReplayer(a, b);
        startReplayer(b, a);
        waitForCopy(a, "img", onB, onB.mirrorSnaps().get(0).id());
        String gid = onB.globalId();
        FakeImage onA = a.image("img");
        String oldId = await(onA.open().info()).id();

        await(onA.open().mirrorPromote(true));
        waitForStatus(a, gid, MirrorImageStatusState.STOPPED, "");
        assertTrue(List.of("force promoted", "local image is primary", "orphan (force promoting)")
                .contains(a.status(gid, "").description()), a.status(gid, "").description());
        onA.fill(0, 100, 7);
        onB.fill(OBJECT, 100, 8);
        snapshot(onB);
        waitForStatus(b, gid, MirrorImageStatusState.STOPPED, "local image is primary");

        await(onA.open().mirrorDemote());
        waitForStatus(a, gid, MirrorImageStatusState.ERROR, "split-brain");
        assertTrue(onA.mirrorSnaps().stream().noneMatch(s -> s.mirror().state() == MirrorSnapshotState.NON_PRIMARY
                && !s.mirror().primaryMirrorUuid().isEmpty() && s.mirror().primarySnapId() > onB.mirrorSnaps().get(0).id()),
                "nothing was copied onto the split-brain image");

        await(onA.open().mirrorResync());
        clock.advance(Duration.ofSeconds(5));
        waitFor("a new copy", () -> a.image("img") != null && !a.image("img").id().equals(oldId));
        long newest = onB.mirrorSnaps().get(onB.mirrorSnaps().size() - 1).id();
        waitForCopy(a, "img", onB, newest);
        waitForStatus(a, gid, MirrorImageStatusState.REPLAYING, "replaying, ");
    }

    @Test
    void forcedPromotionWhileThePeerIsUnreachableThenSplitBrainOnTheOldPrimaryUntilItsResync() throws Exception {
        twoWay();
        FakeImage onB = b.createImage("img", 8 * OBJECT, ORDER);
        onB.fill(0, 9000, 1);
        onB.enableMirroring();
        startReplayer(a, b);
        startReplayer(b, a);
        waitForCopy(a, "img", onB, onB.mirrorSnaps().get(0).id());
        String gid = onB.globalId();
        FakeImage onA = a.image("img");
        onB.fill(2 * OBJECT, 100, 2);
        onB.fill(6 * OBJECT, 100, 2);
        Promise<Void> stuck = Promise.promise();
        onA.writeGate = offset -> offset >= 6 * OBJECT ? stuck.future() : null;
        long partial = snapshot(onB);
        waitFor("a delta half applied", () -> onA.mirrorSnaps().stream().anyMatch(s -> !s.mirror().complete())
                && !onA.checksum(null).equals(onA.checksum(onA.mirrorSnaps().get(0).id())));
        String lastComplete = onA.checksum(onA.mirrorSnaps().get(0).id());
        assertEquals(partial, onA.mirrorSnaps().get(onA.mirrorSnaps().size() - 1).mirror().primarySnapId(),
                "the incomplete copy is of the new primary snapshot");

        b.setReachable(false);
        a.setReachable(false);
        await(onA.open().mirrorPromote(true));
        assertEquals(lastComplete, onA.checksum(null), "the partly applied delta was rolled back");
        stuck.complete();
        waitForStatus(a, gid, MirrorImageStatusState.STOPPED, "local image is primary");
        onA.writeGate = null;
        onA.fill(4 * OBJECT, 100, 3);

        b.setReachable(true);
        a.setReachable(true);
        clock.advance(Duration.ofSeconds(5));
        waitForStatus(b, gid, MirrorImageStatusState.STOPPED, "local image is primary");
        await(onB.open().mirrorDemote());
        waitForStatus(b, gid, MirrorImageStatusState.ERROR, "split-brain");
        int untouched = onB.objectWrites.get();
        onA.fill(5 * OBJECT, 100, 4);
        snapshot(onA);
        clock.advance(Duration.ofSeconds(5));
        waitForStatus(b, gid, MirrorImageStatusState.ERROR, "split-brain");
        assertEquals(untouched, onB.objectWrites.get(), "a split-brain image is not touched");

        String oldId = onB.id();
        await(onB.open().mirrorResync());
        clock.advance(Duration.ofSeconds(5));
        waitFor("site-b's image rebuilt", () -> b.image("img") != null && !b.image("img").id().equals(oldId));
        long newest = onA.mirrorSnaps().get(onA.mirrorSnaps().size() - 1).id();
        waitForCopy(b, "img", onA, newest);
        assertEquals(onA.checksum(newest), b.image("img").checksum(null));
        waitForStatus(b, gid, MirrorImageStatusState.REPLAYING, "replaying, ");
    }

    @Test
    void theCopyGetsItsDataPoolByTheGuidesRules() throws Exception {
        oneWay();
        a.pools.add("rbd-data");
        for (String name : List.of("same", "other")) {
            FakeImage image = b.createImage(name, 2 * OBJECT, ORDER);
            image.setDataPool(name.equals("same") ? "rbd-data" : "elsewhere");
            image.fill(0, 10, 1);
            image.enableMirroring();
        }
        startReplayer(a, b);
        waitForCopy(a, "same", b.image("same"), b.image("same").mirrorSnaps().get(0).id());
        waitForCopy(a, "other", b.image("other"), b.image("other").mirrorSnaps().get(0).id());
        assertEquals("rbd-data", a.image("same").dataPool(), "a local pool of the same name");
        assertNull(a.image("other").dataPool(), "no local pool of that name: none");

        ReplayerModule module = running.get(0);
        contexts.get(0).withOption(ReplayerModule.DEFAULT_DATA_POOL, "fast");
        module.optionChanged(ReplayerModule.DEFAULT_DATA_POOL);
        // enabled after the option changed: the replayer may create the copy at once
        FakeImage third = b.createImage("third", 2 * OBJECT, ORDER);
        third.enableMirroring();
        waitForCopy(a, "third", third, third.mirrorSnaps().get(0).id());
        assertEquals("fast", a.image("third").dataPool(), "rbd_default_data_pool comes first");
    }

    @Test
    void imageSyncsBeyondTheLimitWaitForASlot() throws Exception {
        oneWay();
        Promise<Void> release = Promise.promise();
        a.onImageCreated(copy -> copy.writeGate = offset -> release.future());
        for (String name : List.of("x", "y", "z")) {
            FakeImage image = b.createImage(name, 2 * OBJECT, ORDER);
            image.fill(0, 10, name.hashCode());
            image.enableMirroring();
        }
        startReplayer(a, b, Map.of(ReplayerModule.CONCURRENT_IMAGE_SYNCS, "2"));
        waitFor("three local copies", () -> a.image("x") != null && a.image("y") != null && a.image("z") != null);
        waitFor("two syncs running", () -> List.of("x", "y", "z").stream()
                .filter(n -> !a.image(n).mirrorSnaps().isEmpty()).count() == 2);
        String waiting = List.of("x", "y", "z").stream().filter(n -> a.image(n).mirrorSnaps().isEmpty()).findFirst()
                .orElseThrow();
        assertEquals(MirrorImageStatusState.STARTING_REPLAY, a.status(b.image(waiting).globalId(), "").state(),
                "the third one waits for a slot");
        release.complete();
        for (String name : List.of("x", "y", "z")) {
            waitForCopy(a, name, b.image(name), b.image(name).mirrorSnaps().get(0).id());
        }
    }

    @Test
    void imagesOfEveryMirroredNamespaceAreReplayedIntoTheirNamespace() throws Exception {
        oneWay();
        a.namespaces.add("ns1");
        b.namespaces.add("ns1");
        FakeImage inDefault = b.createImage("img", 2 * OBJECT, ORDER);
        FakeImage inNs1 = b.createImage("ns1", "img", 3 * OBJECT, ORDER);
        inDefault.fill(0, 100, 1);
        inNs1.fill(OBJECT, 100, 2);
        inDefault.enableMirroring();
        inNs1.enableMirroring();
        startReplayer(a, b);
        waitFor("both copies", () -> a.image("", "img") != null && a.image("ns1", "img") != null);
        waitFor("both synced", () -> a.image("", "img").mirrorSnaps().stream().anyMatch(s -> s.mirror().complete())
                && a.image("ns1", "img").mirrorSnaps().stream().anyMatch(s -> s.mirror().complete()));
        long s1 = inNs1.mirrorSnaps().get(0).id();
        SnapInfo copied = a.image("ns1", "img").mirrorSnaps().get(0);
        assertEquals(s1, copied.mirror().primarySnapId());
        assertEquals(inNs1.checksum(s1), a.image("ns1", "img").checksum(copied.id()));
        assertEquals(inNs1.globalId(), a.image("ns1", "img").globalId());
        assertEquals(inDefault.globalId(), a.image("", "img").globalId());
    }

    @Test
    void userSnapshotsTakenBetweenMirrorSnapshotsAreReplicatedWithTheirContent() throws Exception {
        oneWay();
        FakeImage primary = b.createImage("img", 8 * OBJECT, ORDER);
        Image head = primary.open();
        primary.fill(0, 5000, 1);
        await(head.createSnap("before"));
        primary.enableMirroring();
        startReplayer(a, b);
        waitForCopy(a, "img", primary, primary.mirrorSnaps().get(0).id());
        assertEquals(primary.checksum(primary.userSnap("before").id()),
                a.image("img").checksum(a.image("img").userSnap("before").id()), "a snapshot older than mirroring");

        primary.fill(OBJECT, 100, 2);
        await(head.createSnap("snap1"));
        await(head.protectSnap("snap1"));
        primary.fill(OBJECT, 100, 3);
        primary.fill(4 * OBJECT, 100, 3);
        await(head.createSnap("snap2"));
        primary.fill(6 * OBJECT, 100, 4);
        long s2 = snapshot(primary);
        waitForCopy(a, "img", primary, s2);
        FakeImage copy = a.image("img");
        for (String name : List.of("snap1", "snap2")) {
            assertNotNull(copy.userSnap(name), name + " replicated");
            assertEquals(primary.checksum(primary.userSnap(name).id()), copy.checksum(copy.userSnap(name).id()),
                    name + " holds the primary's content");
        }
        assertTrue(copy.userSnap("snap1").isProtected(), "protection replicated");

        await(head.unprotectSnap("snap1"));
        await(head.removeSnap("snap1"));
        long s3 = snapshot(primary);
        waitForCopy(a, "img", primary, s3);
        assertNull(a.image("img").userSnap("snap1"), "a snapshot removed on the primary goes");
        assertNotNull(a.image("img").userSnap("snap2"));
    }

    @Test
    void disablingMirroringOrRemovingThePrimaryDeletesTheCopy() throws Exception {
        oneWay();
        FakeImage one = b.createImage("one", 4 * OBJECT, ORDER);
        FakeImage two = b.createImage("two", 4 * OBJECT, ORDER);
        one.fill(0, 10, 1);
        two.fill(0, 10, 2);
        one.enableMirroring();
        two.enableMirroring();
        startReplayer(a, b);
        waitForCopy(a, "one", one, one.mirrorSnaps().get(0).id());
        waitForCopy(a, "two", two, two.mirrorSnaps().get(0).id());
        String gidOne = one.globalId();

        await(one.open().mirrorDisable(false));
        waitFor("the copy of a disabled image deleted", () -> a.image("one") == null);
        waitFor("its statuses removed", () -> a.status(gidOne, "") == null && b.status(gidOne, "mirror-uuid-site-a") == null);

        await(two.open().mirrorDisable(false));
        await(b.cluster().removeImage(io.mirrorhost.api.cluster.ImageSpec.of("rbd", "", "two")));
        waitFor("the copy of a removed image deleted", () -> a.image("two") == null);
        assertNull(a.image("one"));
        assertNotNull(b.image("one"), "the primary is untouched");
    }

    @Test
    void aCopyStillInUseAfterTheQuickAttemptsIsRemovedByTheSlowRetries() throws Exception {
        oneWay();
        FakeImage one = b.createImage("one", 4 * OBJECT, ORDER);
        one.fill(0, 10, 1);
        one.enableMirroring();
        startReplayer(a, b);
        waitForCopy(a, "one", one, one.mirrorSnaps().get(0).id());
        a.busyRemovals.set(ImageReplayer.REMOVE_ATTEMPTS + 3);

        await(one.open().mirrorDisable(false));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (a.image("one") != null) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for the copy to be removed; busy left: "
                    + a.busyRemovals.get());
            clock.advance(Duration.ofSeconds(1));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        assertEquals(0, a.busyRemovals.get(), "every attempt was made, the last one succeeded");
    }
}
