package io.mirrorhost.replayer;

import static io.mirrorhost.api.testing.Deadlines.await;
import static io.mirrorhost.replayer.RealSites.checksum;
import static io.mirrorhost.replayer.RealSites.mirrorSnaps;
import static io.mirrorhost.replayer.RealSites.status;
import static io.mirrorhost.replayer.RealSites.trySnaps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot-based mirroring end to end on two real embedded clusters bootstrapped as the guide does,
 * each with its replayer reaching the other over the network. Every replicated snapshot is checked
 * against the primary's by checksum of whole-snapshot reads.
 */
class RealSitesMirroringTest {
    static final int ORDER = 16;
    static final long OBJECT = 1L << ORDER;
    static final ImageSpec IMG = ImageSpec.of("rbd", "", "img");

    @TempDir
    Path dir;
    RealSites sites;

    @BeforeEach
    void joinSites() {
        sites = new RealSites(dir);
    }

    @AfterEach
    void closeSites() {
        sites.close();
    }

    private static Buffer random(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return Buffer.buffer(b);
    }

    /** A mirrored (snapshot mode) image on {@code site} with some data; returns its global id. */
    private static String primary(Cluster site, ImageSpec spec, long size) {
        await(site.createImage(spec, new ImageOptions(size, ORDER, ImageFeature.defaults(), null)));
        Image image = await(site.openImage(spec));
        try {
            await(image.write(0, random(1, (int) (3 * OBJECT + 100))));
            await(image.write(size / 2 + 7, random(2, 300)));
            await(image.mirrorEnable(MirrorImageMode.SNAPSHOT));
            return await(image.mirrorInfo()).globalId();
        } finally {
            await(image.close());
        }
    }

    private static void write(Cluster site, ImageSpec spec, long offset, Buffer data) {
        Image image = await(site.openImage(spec));
        try {
            await(image.write(offset, data));
        } finally {
            await(image.close());
        }
    }

    private static long snapshot(Cluster site, ImageSpec spec) {
        Image image = await(site.openImage(spec));
        try {
            return await(image.mirrorCreateSnapshot());
        } finally {
            await(image.close());
        }
    }

    private static void onImage(Cluster site, ImageSpec spec, java.util.function.Function<Image, io.vertx.core.Future<?>> call) {
        Image image = await(site.openImage(spec));
        try {
            await(call.apply(image));
        } finally {
            await(image.close());
        }
    }

    private static long newestMirrorSnap(Cluster site, ImageSpec spec) {
        List<SnapInfo> snaps = mirrorSnaps(site, spec);
        return snaps.get(snaps.size() - 1).id();
    }

    /** Waits for {@code copySite} to hold a complete copy of the primary's snapshot; checks its content. */
    private long waitForCopy(Cluster copySite, Cluster primarySite, ImageSpec spec, long primarySnap) {
        sites.waitFor("a complete copy of snapshot " + primarySnap, () -> trySnaps(copySite, spec,
                s -> s.mirror() != null && !s.mirror().state().isPrimary() && s.mirror().complete()
                        && s.mirror().primarySnapId() == primarySnap).isPresent());
        SnapInfo copy = trySnaps(copySite, spec, s -> s.mirror() != null && s.mirror().primarySnapId() == primarySnap
                && s.mirror().complete()).orElseThrow();
        assertEquals(checksum(primarySite, spec, primarySnap), checksum(copySite, spec, copy.id()),
                "the copy of snapshot " + primarySnap + " holds the primary's content");
        return copy.id();
    }

    private void waitForStatus(Cluster site, String globalId, MirrorImageStatusState state, String description) {
        sites.waitFor("status " + state + " " + description, () -> status(site, globalId, "")
                .filter(s -> s.state() == state && s.description().startsWith(description) && s.up()).isPresent());
    }

    private static String mirrorUuid(Cluster site) {
        return await(site.mirrorUuidGet("rbd"));
    }

    @Test
    void initialSyncDeltasEmptyDeltaResizeAndStatuses() {
        Cluster a = sites.siteA;
        Cluster b = sites.siteB;
        String gid = primary(a, IMG, 16 * OBJECT);
        long s1 = newestMirrorSnap(a, IMG);
        sites.startReplayers();

        waitForCopy(b, a, IMG, s1);
        Image copy = await(b.openImage(IMG));
        assertEquals(gid, await(copy.mirrorInfo()).globalId(), "the copy has the primary's global id");
        assertFalse(await(copy.mirrorInfo()).primary());
        ClusterException refused = assertThrows(ClusterException.class, () -> await(copy.write(0, random(9, 10))));
        assertEquals(Errno.EROFS, refused.errno(), "clients cannot write a copy");
        await(copy.close());
        waitForStatus(b, gid, MirrorImageStatusState.REPLAYING, "replaying, {");
        MirrorImageSiteStatus replaying = status(b, gid, "").orElseThrow();
        assertTrue(replaying.description().contains("\"replay_state\":\"idle\""), replaying.description());
        assertTrue(replaying.description().contains("\"remote_snapshot_timestamp\":"), replaying.description());
        waitForStatus(a, gid, MirrorImageStatusState.STOPPED, "local image is primary");
        sites.waitFor("site-b's status reported to site-a", () -> status(a, gid, mirrorUuid(b))
                .filter(s -> s.state() == MirrorImageStatusState.REPLAYING).isPresent());

        write(a, IMG, 5 * OBJECT, random(3, 10));
        waitForCopy(b, a, IMG, snapshot(a, IMG));
        waitForCopy(b, a, IMG, snapshot(a, IMG)); // an empty delta

        onImage(a, IMG, image -> image.resize(20 * OBJECT));
        write(a, IMG, 19 * OBJECT, random(4, 50));
        waitForCopy(b, a, IMG, snapshot(a, IMG));
        assertEquals(checksum(a, IMG, null), checksum(b, IMG, null));

        onImage(a, IMG, image -> image.resize(2 * OBJECT + 5));
        long shrunk = snapshot(a, IMG);
        long copyOfShrunk = waitForCopy(b, a, IMG, shrunk);
        assertEquals(2 * OBJECT + 5, mirrorSnaps(b, IMG).stream().filter(s -> s.id() == copyOfShrunk).findFirst()
                .orElseThrow().size(), "shrinking is replayed too");
        sites.waitFor("old copies pruned", () -> mirrorSnaps(b, IMG).size() <= 3);
    }

    @Test
    void orderlyFailoverAndFailbackLoseNothing() {
        Cluster[] site = {sites.siteA, sites.siteB};
        String gid = primary(site[0], IMG, 8 * OBJECT);
        sites.startReplayers();
        waitForCopy(site[1], site[0], IMG, newestMirrorSnap(site[0], IMG));

        for (int round = 0; round < 4; round++) {
            Cluster from = site[round % 2];
            Cluster to = site[(round + 1) % 2];
            write(from, IMG, OBJECT, random(10 + round, 100));
            onImage(from, IMG, Image::mirrorDemote);
            long demotion = newestMirrorSnap(from, IMG);
            waitForCopy(to, from, IMG, demotion);
            assertEquals(MirrorSnapshotState.NON_PRIMARY_DEMOTED,
                    mirrorSnaps(to, IMG).get(mirrorSnaps(to, IMG).size() - 1).mirror().state());

            onImage(to, IMG, image -> image.mirrorPromote(false));
            waitForStatus(to, gid, MirrorImageStatusState.STOPPED, "local image is primary");
            write(to, IMG, 3 * OBJECT, random(20 + round, 100));
            waitForCopy(from, to, IMG, snapshot(to, IMG));
            waitForStatus(from, gid, MirrorImageStatusState.REPLAYING, "replaying, ");
            assertEquals(checksum(to, IMG, null), checksum(from, IMG, null), "after failover the old primary follows");
        }
        sites.waitFor("old mirror-snapshots pruned on both sites", () -> mirrorSnaps(site[0], IMG).size() <= 4
                && mirrorSnaps(site[1], IMG).size() <= 4);
    }

    @Test
    void forcedPromotionWhileThePeerIsUnreachableThenSplitBrainUntilResync() {
        Cluster a = sites.siteA;
        Cluster b = sites.siteB;
        String gid = primary(a, IMG, 8 * OBJECT);
        sites.startReplayers();
        waitForCopy(b, a, IMG, newestMirrorSnap(a, IMG));
        String copied = checksum(b, IMG, null);

        // site-a goes away: the daemons are restarted and cannot reach their peers
        sites.stopReplayer(0);
        sites.stopReplayer(1);
        sites.peersReachable = false;
        sites.startReplayers();
        onImage(b, IMG, image -> image.mirrorPromote(true));
        assertEquals(copied, checksum(b, IMG, null), "the promoted copy has the last copied snapshot's content");
        write(b, IMG, 2 * OBJECT, random(5, 100));
        long onB = snapshot(b, IMG);
        write(a, IMG, 4 * OBJECT, random(6, 100));
        snapshot(a, IMG);

        sites.peersReachable = true;
        waitForStatus(b, gid, MirrorImageStatusState.STOPPED, "local image is primary");
        waitForStatus(a, gid, MirrorImageStatusState.STOPPED, "local image is primary");

        // the old primary is demoted: its history and site-b's diverged
        onImage(a, IMG, Image::mirrorDemote);
        waitForStatus(a, gid, MirrorImageStatusState.ERROR, "split-brain");
        String untouched = checksum(a, IMG, null);
        write(b, IMG, 5 * OBJECT, random(7, 100));
        snapshot(b, IMG);
        waitForStatus(a, gid, MirrorImageStatusState.ERROR, "split-brain");
        assertEquals(untouched, checksum(a, IMG, null), "a split-brain image is not touched");
        assertTrue(mirrorSnaps(a, IMG).stream().noneMatch(s -> s.mirror().primarySnapId() == onB),
                "nothing of site-b's was copied onto it");

        String oldId = imageId(a, IMG).orElseThrow();
        onImage(a, IMG, Image::mirrorResync);
        sites.waitFor("site-a's copy rebuilt", () -> imageId(a, IMG).filter(id -> !id.equals(oldId)).isPresent());
        long newest = newestMirrorSnap(b, IMG);
        waitForCopy(a, b, IMG, newest);
        assertEquals(checksum(b, IMG, newest), checksum(a, IMG, null));
        waitForStatus(a, gid, MirrorImageStatusState.REPLAYING, "replaying, ");
    }

    @Test
    void aReplayerRestartedMidSyncResumesWhereItStopped() {
        Cluster a = sites.siteA;
        Cluster b = sites.siteB;
        ImageSpec big = ImageSpec.of("rbd", "", "big");
        await(a.createImage(big, new ImageOptions(40 * OBJECT, ORDER, ImageFeature.defaults(), null)));
        Image image = await(a.openImage(big));
        for (int i = 0; i < 40; i++) {
            await(image.write(i * OBJECT, random(100 + i, (int) OBJECT)));
        }
        await(image.mirrorEnable(MirrorImageMode.SNAPSHOT));
        await(image.close());
        long s1 = newestMirrorSnap(a, big);
        // two objects per (fake) second: the initial sync takes 20 of them
        sites.startReplayer(1, java.util.Map.of(ReplayerModule.BANDWIDTH_LIMIT, String.valueOf(2 * OBJECT)));
        java.util.function.Supplier<Optional<SnapInfo>> inProgress = () -> trySnaps(b, big,
                s -> s.mirror() != null && !s.mirror().complete() && s.mirror().primarySnapId() == s1);
        sites.waitFor("a third of the copy recorded",
                () -> inProgress.get().filter(s -> s.mirror().lastCopiedObjectNumber() >= 12).isPresent());
        sites.stopReplayer(1);
        SnapInfo interrupted = inProgress.get().orElseThrow();
        long recorded = interrupted.mirror().lastCopiedObjectNumber();
        assertTrue(recorded >= 12 && recorded < 40, "stopped mid-copy at object " + recorded);

        sites.startReplayer(1);
        long copy = waitForCopy(b, a, big, s1);
        assertEquals(interrupted.id(), copy, "the interrupted snapshot itself was completed");
        assertEquals(1, mirrorSnaps(b, big).size());
    }

    @Test
    void aReplayerKilledMidSyncResumesWithoutCorruption() throws Exception {
        Cluster a = sites.siteA;
        ImageSpec big = ImageSpec.of("rbd", "", "big");
        await(a.createImage(big, new ImageOptions(48 * OBJECT, ORDER, ImageFeature.defaults(), null)));
        Image image = await(a.openImage(big));
        for (int i = 0; i < 48; i++) {
            await(image.write(i * OBJECT, random(200 + i, (int) OBJECT)));
        }
        await(image.mirrorEnable(MirrorImageMode.SNAPSHOT));
        String gid = await(image.mirrorInfo()).globalId();
        await(image.close());
        long s1 = newestMirrorSnap(a, big);
        String uuidB = mirrorUuid(sites.siteB);
        sites.closeSiteB();

        // site-b's daemon in a child JVM: two objects per second of its clock, ten of them a second
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("child.err");
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                ReplayerChild.class.getName(), sites.dirB.toString(), "site-b", String.valueOf(2 * OBJECT))
                .redirectError(stderr.toFile()).redirectOutput(dir.resolve("child.out").toFile()).start();
        Pattern syncing = Pattern.compile("IMAGE_SYNC/COPY_IMAGE (\\d+)%");
        try {
            sites.waitFor("site-b's daemon a third through the initial sync", () -> status(a, gid, uuidB)
                    .map(st -> syncing.matcher(st.description()))
                    .filter(m -> m.find() && Integer.parseInt(m.group(1)) >= 30).isPresent());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nchild: " + Files.readString(stderr), e);
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
        }

        sites.reopenSiteB();
        Cluster b = sites.siteB;
        SnapInfo interrupted = trySnaps(b, big, s -> s.mirror() != null && s.mirror().primarySnapId() == s1)
                .orElseThrow();
        assertFalse(interrupted.mirror().complete(), "killed before the copy completed");
        assertTrue(interrupted.mirror().lastCopiedObjectNumber() > 0, "its progress was recorded");
        Image copy = await(b.openImage(big));
        assertEquals(List.of(), await(((io.mirrorhost.embedded.EmbeddedImage) copy).check()), "the store is sound");
        await(copy.close());

        sites.startReplayer(1);
        assertEquals(interrupted.id(), waitForCopy(b, a, big, s1), "the interrupted snapshot itself was completed");
        write(a, big, 7 * OBJECT, random(300, 100));
        waitForCopy(b, a, big, snapshot(a, big));
    }

    @Test
    void userSnapshotsBetweenMirrorSnapshotsAreReplicatedWithTheirContentAndRenamesFollowed() {
        Cluster a = sites.siteA;
        Cluster b = sites.siteB;
        await(a.createImage(IMG, new ImageOptions(8 * OBJECT, ORDER, ImageFeature.defaults(), null)));
        Image head = await(a.openImage(IMG));
        await(head.write(0, random(1, 5000)));
        await(head.createSnap("before"));
        await(head.mirrorEnable(MirrorImageMode.SNAPSHOT));
        sites.startReplayers();
        waitForCopy(b, a, IMG, newestMirrorSnap(a, IMG));
        assertEquals(checksum(a, IMG, userSnap(a, IMG, "before")), checksum(b, IMG, userSnap(b, IMG, "before")),
                "a snapshot older than mirroring");

        await(head.write(OBJECT, random(2, 100)));
        await(head.createSnap("snap1"));
        await(head.protectSnap("snap1"));
        await(head.write(OBJECT, random(3, 100)));
        await(head.write(4 * OBJECT, random(3, 100)));
        await(head.createSnap("snap2"));
        await(head.write(6 * OBJECT, random(4, 100)));
        waitForCopy(b, a, IMG, await(head.mirrorCreateSnapshot()));
        for (String name : List.of("snap1", "snap2")) {
            assertEquals(checksum(a, IMG, userSnap(a, IMG, name)), checksum(b, IMG, userSnap(b, IMG, name)),
                    name + " holds the primary's content");
        }
        assertTrue(RealSites.snaps(b, IMG).stream().anyMatch(s -> s.name().equals("snap1") && s.isProtected()),
                "protection replicated");

        await(head.unprotectSnap("snap1"));
        await(head.removeSnap("snap1"));
        await(head.close());
        await(a.renameImage(IMG, "img_RENAMED"));
        ImageSpec renamed = ImageSpec.of("rbd", "", "img_RENAMED");
        waitForCopy(b, a, renamed, snapshot(a, renamed));
        assertTrue(RealSites.snaps(b, renamed).stream().noneMatch(s -> s.name().equals("snap1")),
                "a snapshot removed on the primary goes");
        assertEquals(Optional.empty(), imageId(b, IMG), "the copy follows the rename");
        assertEquals(checksum(a, renamed, null), checksum(b, renamed, null));
    }

    @Test
    void runningDaemonsSurviveANetworkOutageDuringAForcedPromotion() {
        Cluster a = sites.siteA;
        Cluster b = sites.siteB;
        String gid = primary(a, IMG, 8 * OBJECT);
        sites.startReplayers();
        waitForCopy(b, a, IMG, newestMirrorSnap(a, IMG));

        int[] ports = sites.stopServing();
        onImage(b, IMG, image -> image.mirrorPromote(true));
        write(b, IMG, 2 * OBJECT, random(5, 100));
        long onB = snapshot(b, IMG);
        onImage(a, IMG, Image::mirrorDemote);
        sites.serveAgain(ports);

        // site-a's demoted image diverged from site-b's promoted one
        waitForStatus(a, gid, MirrorImageStatusState.ERROR, "split-brain");
        waitForStatus(b, gid, MirrorImageStatusState.STOPPED, "local image is primary");
        onImage(a, IMG, Image::mirrorResync);
        sites.waitFor("site-a's copy rebuilt and caught up", () -> trySnaps(a, IMG, s -> s.mirror() != null
                && s.mirror().complete() && s.mirror().primarySnapId() == onB).isPresent());
        waitForCopy(a, b, IMG, onB);
        waitForStatus(a, gid, MirrorImageStatusState.REPLAYING, "replaying, ");
    }

    @Test
    void imagesOfAMirroredNamespaceAreReplayedIntoTheSameNamespace() {
        PoolNamespace ns1 = new PoolNamespace("rbd", "ns1");
        for (Cluster site : List.of(sites.siteA, sites.siteB)) {
            await(site.createNamespace(ns1));
            await(site.mirrorModeSet(ns1, MirrorMode.IMAGE));
        }
        ImageSpec inNs1 = ImageSpec.of("rbd", "ns1", "img");
        primary(sites.siteA, inNs1, 4 * OBJECT);
        primary(sites.siteA, IMG, 4 * OBJECT);
        sites.startReplayers();
        waitForCopy(sites.siteB, sites.siteA, inNs1, newestMirrorSnap(sites.siteA, inNs1));
        waitForCopy(sites.siteB, sites.siteA, IMG, newestMirrorSnap(sites.siteA, IMG));
        write(sites.siteA, inNs1, OBJECT, random(8, 100));
        waitForCopy(sites.siteB, sites.siteA, inNs1, snapshot(sites.siteA, inNs1));
    }

    private static long userSnap(Cluster site, ImageSpec spec, String name) {
        return RealSites.snaps(site, spec).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().id();
    }

    private static Optional<String> imageId(Cluster site, ImageSpec spec) {
        try {
            Image image = await(site.openImage(spec));
            try {
                return Optional.of(await(image.info()).id());
            } finally {
                await(image.close());
            }
        } catch (ClusterException e) {
            return Optional.empty();
        }
    }

    @Test
    void copiesGetTheSameNamedDataPoolOrNoneWhenThePeerLacksIt() {
        Cluster a = sites.siteA;
        Cluster b = sites.siteB;
        await(a.createPool("both-data"));
        await(b.createPool("both-data"));
        await(a.createPool("only-a-data"));
        ImageSpec shared = ImageSpec.of("rbd", "", "shared");
        ImageSpec onlyA = ImageSpec.of("rbd", "", "only-a");
        for (var image : List.of(java.util.Map.entry(shared, "both-data"), java.util.Map.entry(onlyA, "only-a-data"))) {
            await(a.createImage(image.getKey(), new ImageOptions(4 * OBJECT, ORDER, ImageFeature.defaults(), image.getValue())));
            write(a, image.getKey(), 0, random(3, (int) OBJECT + 5));
            onImage(a, image.getKey(), i -> i.mirrorEnable(MirrorImageMode.SNAPSHOT));
        }
        sites.startReplayers();
        waitForCopy(b, a, shared, newestMirrorSnap(a, shared));
        waitForCopy(b, a, onlyA, newestMirrorSnap(a, onlyA));

        assertEquals("both-data", info(b, shared).dataPool());
        assertTrue(info(b, shared).features().contains(ImageFeature.DATA_POOL));
        assertEquals(null, info(b, onlyA).dataPool(), "the peer has no pool only-a-data: the copy keeps its data in rbd");
        assertFalse(info(b, onlyA).features().contains(ImageFeature.DATA_POOL));
    }

    private static io.mirrorhost.api.cluster.ImageInfo info(Cluster site, ImageSpec spec) {
        Image image = await(site.openImage(spec));
        try {
            return await(image.info());
        } finally {
            await(image.close());
        }
    }

    @Test
    void disablingMirroringOrRemovingThePrimaryDeletesTheCopy() {
        Cluster a = sites.siteA;
        Cluster b = sites.siteB;
        ImageSpec one = ImageSpec.of("rbd", "", "one");
        ImageSpec two = ImageSpec.of("rbd", "", "two");
        String gidOne = primary(a, one, 4 * OBJECT);
        primary(a, two, 4 * OBJECT);
        sites.startReplayers();
        waitForCopy(b, a, one, newestMirrorSnap(a, one));
        waitForCopy(b, a, two, newestMirrorSnap(a, two));

        onImage(a, one, image -> image.mirrorDisable(false));
        sites.waitFor("the copy of a disabled image deleted", () -> imageId(b, one).isEmpty());
        assertTrue(status(b, gidOne, "").isEmpty());

        // site-b's daemon holds the primary open while replaying it: rbd rm refuses, as with Ceph
        ClusterException busy = assertThrows(ClusterException.class, () -> await(a.removeImage(two)));
        assertEquals(Errno.EBUSY, busy.errno(), busy.getMessage());
        onImage(a, two, image -> image.mirrorDisable(false));
        sites.waitFor("the primary removed once its mirroring is disabled", () -> {
            try {
                await(a.removeImage(two));
                return true;
            } catch (ClusterException e) {
                return false; // the peer's daemon still had it open for a moment
            }
        });
        sites.waitFor("the copy of a removed image deleted", () -> imageId(b, two).isEmpty());
        assertNotEquals(Optional.empty(), imageId(a, one), "the primary is untouched");
    }
}
