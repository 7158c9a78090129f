package io.mirrorhost.replayer;

import static io.mirrorhost.api.testing.Deadlines.await;
import static io.mirrorhost.embedded.testing.TwoEmbeddedSites.mirrorSnaps;
import static io.mirrorhost.replayer.RealSites.checksum;
import static io.mirrorhost.replayer.RealSites.trySnaps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.testing.FakeLeadership;
import io.mirrorhost.api.testing.FakeWorkAssignment;
import io.mirrorhost.api.testing.TestModuleContext;
import io.mirrorhost.embedded.EmbeddedClusterProvider;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of site-b, each with its replayer module, share the images mirrored from site-a as the
 * host assigns them (a fake assignment the test drives): each replays only the images assigned to it,
 * under the image's fence, and an image moved mid-copy is stopped, acknowledged, and resumed by the
 * other instance from the progress the first committed.
 */
class SpreadReplayerTest {
    static final int ORDER = 16;
    static final long OBJECT = 1L << ORDER;
    static final String SCOPE = "rbd/";

    @TempDir
    Path dir;
    RealSites sites;
    final List<ReplayerModule> instances = new ArrayList<>();

    @BeforeEach
    void joinSites() {
        sites = new RealSites(dir);
    }

    @AfterEach
    void closeSites() {
        instances.forEach(module -> await(module.stop()));
        sites.close();
    }

    /** An instance of site-b replaying the items {@code assignment} gives it. */
    private ReplayerModule startInstance(FakeWorkAssignment assignment, Map<OptionSpec<?>, String> options) {
        ReplayerModule module = new ReplayerModule();
        EmbeddedClusterProvider provider = new EmbeddedClusterProvider();
        TestModuleContext ctx = new TestModuleContext(sites.vertx, "site-b", sites.siteB, sites.clock, module)
                .withLeadership(instances.isEmpty() ? FakeLeadership.leading(TestModuleContext.SOLO_TERM)
                        : FakeLeadership.standby())
                .withAssignment(assignment)
                .withOption(ReplayerModule.REFRESH_INTERVAL, "5")
                .withPeers(peer -> provider.connectPeer(sites.vertx, peer));
        options.forEach(ctx::withOption);
        await(module.start(ctx));
        instances.add(module);
        return module;
    }

    /** The fence of one image's replay on site-b, taken by {@code holder} as the host does on an Acquire. */
    private FenceToken takeImageFence(String globalId, String holder) {
        String name = "replay/rbd//" + globalId;
        long known = await(sites.siteB.fenceGet(name)).map(FenceRecord::epoch).orElse(0L);
        return await(sites.siteB.fenceTake(name, known, holder));
    }

    private long refusedWrites(String globalId) {
        return await(sites.siteB.fenceGet("replay/rbd//" + globalId)).map(FenceRecord::refused).orElse(0L);
    }

    /** The images an instance runs a replayer for. */
    private static Set<String> replayed(ReplayerModule module) {
        JsonObject ns = module.status().getJsonObject("pools").getJsonObject("rbd")
                .getJsonObject("namespaces").getJsonObject("");
        return ns == null ? Set.of() : ns.getJsonObject("images").fieldNames();
    }

    /** A snapshot-mirrored image on site-a of {@code objects} objects, each with data; returns its global id. */
    private String primary(String name, int objects) {
        ImageSpec spec = ImageSpec.of("rbd", "", name);
        await(sites.siteA.createImage(spec, new ImageOptions(objects * OBJECT, ORDER, ImageFeature.defaults(), null)));
        Image image = await(sites.siteA.openImage(spec));
        try {
            for (int i = 0; i < objects; i++) {
                byte[] data = new byte[(int) OBJECT];
                new Random(name.hashCode() + i).nextBytes(data);
                await(image.write(i * OBJECT, Buffer.buffer(data)));
            }
            await(image.mirrorEnable(MirrorImageMode.SNAPSHOT));
            return await(image.mirrorInfo()).globalId();
        } finally {
            await(image.close());
        }
    }

    private static long newestMirrorSnap(Cluster site, ImageSpec spec) {
        List<SnapInfo> snaps = mirrorSnaps(site, spec);
        return snaps.get(snaps.size() - 1).id();
    }

    /** Waits for site-b's complete copy of site-a's snapshot {@code primarySnap}; checks its content. */
    private SnapInfo waitForCopy(ImageSpec spec, long primarySnap) {
        Supplier<Optional<SnapInfo>> copy = () -> trySnaps(sites.siteB, spec, s -> s.mirror() != null
                && !s.mirror().state().isPrimary() && s.mirror().complete() && s.mirror().primarySnapId() == primarySnap);
        sites.waitFor("a complete copy of " + spec + " snapshot " + primarySnap, () -> copy.get().isPresent());
        assertEquals(checksum(sites.siteA, spec, primarySnap), checksum(sites.siteB, spec, copy.get().get().id()),
                "the copy of " + spec + " holds the primary's snapshot");
        return copy.get().get();
    }

    @Test
    void eachInstanceReplaysOnlyTheImagesAssignedToIt() {
        List<String> names = List.of("img-0", "img-1", "img-2", "img-3");
        List<String> ids = names.stream().map(name -> primary(name, 2)).toList();
        FakeWorkAssignment first = new FakeWorkAssignment();
        FakeWorkAssignment second = new FakeWorkAssignment();
        ReplayerModule one = startInstance(first, Map.of());
        ReplayerModule two = startInstance(second, Map.of());
        sites.waitFor("both instances offer every image", () -> first.offered(SCOPE).equals(Set.copyOf(ids))
                && second.offered(SCOPE).equals(Set.copyOf(ids)));
        assertEquals(Set.of(), replayed(one), "nothing is replayed before it is assigned");

        for (int i = 0; i < ids.size(); i++) {
            (i < 2 ? first : second).acquire(SCOPE, ids.get(i), takeImageFence(ids.get(i), i < 2 ? "b-1" : "b-2"));
        }
        for (String name : names) {
            ImageSpec spec = ImageSpec.of("rbd", "", name);
            waitForCopy(spec, newestMirrorSnap(sites.siteA, spec));
        }

        assertEquals(Set.of(ids.get(0), ids.get(1)), replayed(one));
        assertEquals(Set.of(ids.get(2), ids.get(3)), replayed(two));
        ids.forEach(id -> assertEquals(0, refusedWrites(id), "no write under another instance's fence"));
    }

    @Test
    void anImageMovedMidCopyStopsThenResumesElsewhereFromTheCommittedProgress() {
        ImageSpec big = ImageSpec.of("rbd", "", "big");
        String id = primary("big", 40);
        long s1 = newestMirrorSnap(sites.siteA, big);
        FakeWorkAssignment first = new FakeWorkAssignment();
        FakeWorkAssignment second = new FakeWorkAssignment();
        // two objects per (fake) second: the copy takes 20 of them
        Map<OptionSpec<?>, String> slow = Map.of(ReplayerModule.BANDWIDTH_LIMIT, String.valueOf(2 * OBJECT));
        ReplayerModule one = startInstance(first, slow);
        ReplayerModule two = startInstance(second, slow);
        sites.waitFor("both instances offer the image", () -> first.offered(SCOPE).contains(id)
                && second.offered(SCOPE).contains(id));
        first.acquire(SCOPE, id, takeImageFence(id, "b-1"));
        Supplier<Optional<SnapInfo>> inProgress = () -> trySnaps(sites.siteB, big,
                s -> s.mirror() != null && !s.mirror().complete() && s.mirror().primarySnapId() == s1);
        sites.waitFor("a third of the copy committed",
                () -> inProgress.get().filter(s -> s.mirror().lastCopiedObjectNumber() >= 12).isPresent());

        first.release(SCOPE, id);
        sites.waitFor("the release acknowledged", () -> first.releasedItems().contains(SCOPE + "/" + id));
        assertEquals(Set.of(), replayed(one), "the first instance stopped replaying the image");
        SnapInfo interrupted = inProgress.get().orElseThrow();
        long committed = interrupted.mirror().lastCopiedObjectNumber();
        assertTrue(committed >= 12 && committed < 40, "released mid-copy at object " + committed);

        second.acquire(SCOPE, id, takeImageFence(id, "b-2"));
        List<Long> progressSeen = new ArrayList<>();
        sites.waitFor("the second instance completes the copy", () -> {
            Optional<SnapInfo> copying = inProgress.get();
            copying.ifPresent(s -> progressSeen.add(s.mirror().lastCopiedObjectNumber()));
            return copying.isEmpty();
        });
        assertTrue(progressSeen.stream().allMatch(seen -> seen >= committed),
                "the copy went on from object " + committed + ", never back: " + progressSeen);
        SnapInfo copy = waitForCopy(big, s1);
        assertEquals(interrupted.id(), copy.id(), "the copy the first instance committed was resumed and completed");
        assertEquals(1, mirrorSnaps(sites.siteB, big).size());
        assertEquals(Set.of(id), replayed(two));
        assertEquals(Set.of(), replayed(one));
        assertEquals(0, refusedWrites(id), "the first instance wrote nothing after its release was acknowledged");
    }
    @Test
    void anImageQueuedForASyncSlotIsHandedOverWithoutWaitingItsTurn() {
        String firstId = primary("big-1", 40);
        String secondId = primary("big-2", 40);
        FakeWorkAssignment first = new FakeWorkAssignment();
        FakeWorkAssignment second = new FakeWorkAssignment();
        // one copy at a time, two objects per (fake) second: a copy holds the slot for 20 of them
        Map<OptionSpec<?>, String> oneSlow = Map.of(ReplayerModule.CONCURRENT_IMAGE_SYNCS, "1",
                ReplayerModule.BANDWIDTH_LIMIT, String.valueOf(2 * OBJECT));
        ReplayerModule one = startInstance(first, oneSlow);
        startInstance(second, Map.of());
        sites.waitFor("both instances offer the images", () -> first.offered(SCOPE).containsAll(Set.of(firstId, secondId))
                && second.offered(SCOPE).containsAll(Set.of(firstId, secondId)));
        first.acquire(SCOPE, firstId, takeImageFence(firstId, "b-1"));
        Supplier<Optional<SnapInfo>> copying = () -> trySnaps(sites.siteB, ImageSpec.of("rbd", "", "big-1"),
                s -> s.mirror() != null && !s.mirror().complete());
        sites.waitFor("big-1 copying", () -> copying.get().isPresent());
        first.acquire(SCOPE, secondId, takeImageFence(secondId, "b-1"));
        sites.waitFor("big-2 waiting for the sync slot", () -> one.syncs().waiting() == 1);

        first.release(SCOPE, secondId);
        sites.waitFor("the release acknowledged", () -> first.releasedItems().contains(SCOPE + "/" + secondId));
        assertTrue(copying.get().isPresent(), "acknowledged while big-1 still held the only sync slot");

        second.acquire(SCOPE, secondId, takeImageFence(secondId, "b-2"));
        ImageSpec spec = ImageSpec.of("rbd", "", "big-2");
        waitForCopy(spec, newestMirrorSnap(sites.siteA, spec));
        assertEquals(0, refusedWrites(secondId));
    }
    @Test
    void anInstanceWhoseImageWasMovedWithoutItsReleaseIsRefusedAndStopsWritingIt() {
        ImageSpec big = ImageSpec.of("rbd", "", "big");
        String id = primary("big", 40);
        long s1 = newestMirrorSnap(sites.siteA, big);
        FakeWorkAssignment first = new FakeWorkAssignment();
        FakeWorkAssignment second = new FakeWorkAssignment();
        startInstance(first, Map.of(ReplayerModule.BANDWIDTH_LIMIT, String.valueOf(2 * OBJECT)));
        startInstance(second, Map.of());
        sites.waitFor("both instances offer the image", () -> first.offered(SCOPE).contains(id)
                && second.offered(SCOPE).contains(id));
        first.acquire(SCOPE, id, takeImageFence(id, "b-1"));
        sites.waitFor("the copy under way", () -> trySnaps(sites.siteB, big, s -> s.mirror() != null
                && !s.mirror().complete() && s.mirror().lastCopiedObjectNumber() >= 4).isPresent());

        // the first instance looked dead: its image moved with no release, under a new fence
        second.acquire(SCOPE, id, takeImageFence(id, "b-2"));
        waitForCopy(big, s1);
        assertEquals(1, mirrorSnaps(sites.siteB, big).size());
        // the first instance learns of the move only when it next writes, which its throttle may delay past the copy
        sites.waitFor("the first instance's writes after the move refused", () -> refusedWrites(id) >= 1);

        String siteB = await(sites.siteB.mirrorUuidGet("rbd"));
        sites.waitFor("site-a shows the second instance replaying", () -> RealSites.status(sites.siteA, id, siteB)
                .filter(st -> st.state() == MirrorImageStatusState.REPLAYING).isPresent());
        AtomicInteger ticks = new AtomicInteger();
        sites.waitFor("some seconds for the first instance's writes in flight to end", () -> ticks.incrementAndGet() > 100);
        long refused = refusedWrites(id);
        sites.waitFor("some more seconds of both replayers", () -> ticks.incrementAndGet() > 200);
        assertEquals(MirrorImageStatusState.REPLAYING, RealSites.status(sites.siteA, id, siteB).orElseThrow().state(),
                "the stopped instance wrote no status over the second's");
        assertEquals(refused, refusedWrites(id), "the first instance stopped trying");
    }
    @Test
    void anImageAcquiredAgainUnderANewTokenIsReplayedUnderIt() {
        ImageSpec spec = ImageSpec.of("rbd", "", "img");
        String id = primary("img", 2);
        FakeWorkAssignment only = new FakeWorkAssignment();
        startInstance(only, Map.of());
        sites.waitFor("the image offered", () -> only.offered(SCOPE).contains(id));
        only.acquire(SCOPE, id, takeImageFence(id, "b-1"));
        waitForCopy(spec, newestMirrorSnap(sites.siteA, spec));

        // a new leader re-fences the image for the instance that has it
        only.acquire(SCOPE, id, takeImageFence(id, "b-1"));
        Image primary = await(sites.siteA.openImage(spec));
        long s2;
        try {
            await(primary.write(0, Buffer.buffer(new byte[4096])));
            s2 = await(primary.mirrorCreateSnapshot());
        } finally {
            await(primary.close());
        }
        waitForCopy(spec, s2);
    }
}
