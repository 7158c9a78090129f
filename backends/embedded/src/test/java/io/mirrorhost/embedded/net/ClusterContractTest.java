package io.mirrorhost.embedded.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Extent;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every way of reaching a cluster must do alike: run once against the cluster itself and once
 * through a ClusterServer and RemoteCluster, with the same assertions. Subclasses supply the cluster.
 */
abstract class ClusterContractTest {
    static final PoolNamespace RBD = PoolNamespace.of("rbd");
    static final int FOUR_MIB = 4 * 1024 * 1024;

    protected Vertx vertx;
    protected Cluster cluster;

    /** The cluster to test; closed after each test. */
    abstract Cluster open(Vertx vertx) throws Exception;

    void release() throws Exception {
    }

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        cluster = open(vertx);
        await(cluster.createPool("rbd"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (cluster != null) {
            await(cluster.close());
        }
        release();
        await(vertx.close());
    }

    @Test
    void poolsAreListedAndDuplicatesRefusedWithEexist() {
        await(cluster.createPool("other"));
        List<String> names = await(cluster.listPools()).stream().map(PoolInfo::name).toList();
        assertTrue(names.containsAll(List.of("rbd", "other")), names.toString());

        ClusterException duplicate = failed(cluster.createPool("rbd"));
        assertEquals(Errno.EEXIST, duplicate.errno());
        assertTrue(duplicate.getMessage().contains("rbd"), duplicate.getMessage());
    }

    @Test
    void imagesAreCreatedListedAndDescribed() {
        ImageSpec spec = new ImageSpec(RBD, "disk1");
        Set<ImageFeature> features = EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK);
        await(cluster.createImage(spec, new ImageOptions(8 * FOUR_MIB, 22, features, null)));

        List<ImageEntry> entries = await(cluster.listImages(RBD));
        assertEquals(List.of("disk1"), entries.stream().map(ImageEntry::name).toList());

        Image image = await(cluster.openImage(spec));
        assertEquals(spec, image.spec());
        assertEquals(null, image.snapId());
        ImageInfo info = await(image.info());
        assertEquals("disk1", info.name());
        assertEquals(entries.get(0).id(), info.id());
        assertEquals(8L * FOUR_MIB, info.size());
        assertEquals(22, info.order());
        assertTrue(info.features().containsAll(features), info.features().toString());
        assertTrue(info.createTimestamp() != null);
        await(image.close());
    }

    @Test
    void openingAMissingImageFailsWithEnoent() {
        ClusterException missing = failed(cluster.openImage(new ImageSpec(RBD, "nope")));
        assertEquals(Errno.ENOENT, missing.errno());
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    }

    @Test
    void fourMibBuffersRoundTrip() {
        Image image = createAndOpen("big", 4 * FOUR_MIB);
        byte[] data = new byte[FOUR_MIB];
        new Random(42).nextBytes(data);
        await(image.write(FOUR_MIB, Buffer.buffer(data)));
        await(image.flush());

        assertArrayEquals(data, await(image.read(FOUR_MIB, FOUR_MIB)).getBytes());
        assertArrayEquals(new byte[FOUR_MIB], await(image.read(0, FOUR_MIB)).getBytes());
        await(image.close());
    }

    @Test
    void readExtentsConcatenatesReadsAcrossObjectsHolesAndSnapshots() {
        Image image = createAndOpen("sparse", 3 * FOUR_MIB);
        byte[] data = new byte[2 * FOUR_MIB];
        new Random(7).nextBytes(data);
        await(image.write(FOUR_MIB / 2, Buffer.buffer(data)));
        long snapId = await(image.createSnap("before"));
        await(image.write(FOUR_MIB, Buffer.buffer(new byte[] {1, 2, 3})));
        List<Extent> extents = List.of(new Extent(FOUR_MIB - 10, 20), new Extent(0, 100),
                new Extent(3L * FOUR_MIB - 5, 5), new Extent(FOUR_MIB / 2 + 65536, 0), new Extent(2L * FOUR_MIB, 4096));

        Buffer expected = Buffer.buffer();
        extents.forEach(e -> expected.appendBuffer(await(image.read(e.offset(), e.length()))));
        assertArrayEquals(expected.getBytes(), await(image.readExtents(extents)).getBytes());
        assertEquals(1, expected.getByte(10), "the head shows the write after the snapshot");

        Image atSnap = await(cluster.openImageAtSnap(RBD, await(image.info()).id(), snapId));
        Buffer atSnapExpected = Buffer.buffer();
        extents.forEach(e -> atSnapExpected.appendBuffer(await(atSnap.read(e.offset(), e.length()))));
        assertArrayEquals(atSnapExpected.getBytes(), await(atSnap.readExtents(extents)).getBytes());
        assertEquals(data[FOUR_MIB / 2], atSnapExpected.getByte(10), "the snapshot does not");

        assertEquals(Errno.EINVAL,
                failed(image.readExtents(List.of(new Extent(0, 10), new Extent(3L * FOUR_MIB - 5, 6)))).errno());
        await(atSnap.close());
        await(image.close());
    }

    @Test
    void manyConcurrentCallsAllComplete() {
        Image image = createAndOpen("busy", 64 * 65536);
        List<Future<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] block = new byte[65536];
            java.util.Arrays.fill(block, (byte) i);
            writes.add(image.write((long) i * 65536, Buffer.buffer(block)));
        }
        await(Future.all(writes));
        List<Future<Buffer>> reads = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            reads.add(image.read((long) i * 65536, 65536));
        }
        await(Future.all(reads));
        for (int i = 0; i < 64; i++) {
            byte[] expected = new byte[65536];
            java.util.Arrays.fill(expected, (byte) i);
            assertArrayEquals(expected, reads.get(i).await().getBytes(), "block " + i);
        }
        await(image.close());
    }

    @Test
    void snapshotsAreListedWithTheirFields() {
        Image image = createAndOpen("snappy", FOUR_MIB);
        long first = await(image.createSnap("one"));
        long second = await(image.createSnap("two"));
        List<SnapInfo> snaps = await(image.listSnaps());
        assertEquals(List.of("one", "two"), snaps.stream().map(SnapInfo::name).toList());
        assertEquals(List.of(first, second), snaps.stream().map(SnapInfo::id).toList());
        assertTrue(snaps.get(0).timestamp() != null);
        assertEquals(Errno.EEXIST, failed(image.createSnap("one")).errno());
        await(image.close());
    }

    @Test
    void omapValuesAreSetReadAndRemoved() {
        await(cluster.omapSet(RBD, "obj", Map.of("a", "1", "b", "two")));
        assertEquals(Map.of("a", "1", "b", "two"), await(cluster.omapGet(RBD, "obj")));
        await(cluster.omapRemove(RBD, "obj", Set.of("a")));
        assertEquals(Map.of("b", "two"), await(cluster.omapGet(RBD, "obj")));
    }

    @Test
    void configKeysRoundTripIncludingAbsentOnes() {
        assertEquals(Optional.empty(), await(cluster.configKeyGet("test/missing")));
        await(cluster.configKeySet("test/a", "alpha"));
        assertEquals(Optional.of("alpha"), await(cluster.configKeyGet("test/a")));
        assertEquals("alpha", await(cluster.configKeyList("test/")).get("test/a"));
    }

    @Test
    void configKeyCompareAndSetChangesOnlyWhatItExpected() {
        assertTrue(await(cluster.configKeyCompareAndSet("test/lease", null, "one")), "absent as expected");
        assertFalse(await(cluster.configKeyCompareAndSet("test/lease", null, "two")), "no longer absent");
        assertFalse(await(cluster.configKeyCompareAndSet("test/lease", "zero", "two")));
        assertEquals(Optional.of("one"), await(cluster.configKeyGet("test/lease")));
        assertTrue(await(cluster.configKeyCompareAndSet("test/lease", "one", "two")));
        assertEquals(Optional.of("two"), await(cluster.configKeyGet("test/lease")));
    }

    @Test
    void concurrentCompareAndSetsOfOneValueLetExactlyOneWin() {
        await(cluster.configKeySet("test/race", "free"));
        List<Future<Boolean>> tries = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tries.add(cluster.configKeyCompareAndSet("test/race", "free", "taken by " + i));
        }
        await(Future.all(tries));
        assertEquals(1, tries.stream().filter(Future::result).count());
    }

    @Test
    void notifyReachesWatchersWithItsPayload() throws Exception {
        await(cluster.omapSet(RBD, "watched", Map.of("k", "v")));
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
        Watch watch = await(cluster.watch(RBD, "watched", payload -> received.add(payload.toString())));
        await(cluster.notify(RBD, "watched", Buffer.buffer("hello")));
        assertEquals("hello", received.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));

        await(watch.close());
        await(cluster.notify(RBD, "watched", Buffer.buffer("after close")));
        await(cluster.notify(RBD, "watched", Buffer.buffer("after close")));
        assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void imageUpdatesReachUpdateWatchers() throws Exception {
        Image image = createAndOpen("watched", FOUR_MIB);
        BlockingQueue<String> updates = new ArrayBlockingQueue<>(10);
        Watch watch = await(image.updateWatch(() -> updates.add("updated")));
        await(image.resize(2L * FOUR_MIB));
        assertEquals("updated", updates.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(2L * FOUR_MIB, await(image.info()).size());
        await(watch.close());
        await(image.close());
    }

    @Test
    void namespacesAndTheImageLifecycle() {
        PoolNamespace ns = new PoolNamespace("rbd", "ns1");
        await(cluster.createNamespace(ns));
        assertTrue(await(cluster.listNamespaces("rbd")).contains("ns1"));
        ImageSpec spec = new ImageSpec(ns, "old");
        await(cluster.createImage(spec, ImageOptions.of(1 << 20)));
        await(cluster.renameImage(spec, "new"));
        List<ImageEntry> entries = await(cluster.listImages(ns));
        assertEquals(List.of("new"), entries.stream().map(ImageEntry::name).toList());

        Image byId = await(cluster.openImageById(ns, entries.get(0).id()));
        assertEquals(new ImageSpec(ns, "new"), byId.spec());
        await(byId.close());
        await(cluster.removeImage(new ImageSpec(ns, "new")));
        assertEquals(List.of(), await(cluster.listImages(ns)));
        assertEquals(Errno.ENOENT, failed(cluster.removeImage(new ImageSpec(ns, "new"))).errno());
        await(cluster.removeNamespace(ns));
        assertTrue(!await(cluster.listNamespaces("rbd")).contains("ns1"));
    }

    @Test
    void snapshotsAreReadDiffedAndRolledBack() {
        Image image = createAndOpen("history", 1 << 22);
        await(image.write(0, Buffer.buffer("first version")));
        long snap = await(image.createSnap("s1"));
        await(image.write(0, Buffer.buffer("second")));
        await(image.flush());

        String id = await(image.info()).id();
        Image atSnap = await(cluster.openImageAtSnap(RBD, id, snap));
        assertEquals(Long.valueOf(snap), atSnap.snapId());
        assertEquals("first version", await(atSnap.read(0, 13)).toString());
        assertEquals(Errno.EROFS, failed(atSnap.write(0, Buffer.buffer("x"))).errno());
        await(atSnap.close());

        List<DiffExtent> sinceSnap = await(image.diff(snap, 0, 1 << 22, false));
        assertTrue(sinceSnap.stream().anyMatch(e -> e.exists() && e.offset() == 0), sinceSnap.toString());
        List<DiffExtent> whole = await(image.diff(null, 0, 1 << 22, true));
        assertTrue(!whole.isEmpty(), "the head differs from an empty image");

        await(image.rollbackSnap("s1"));
        assertEquals("first version", await(image.read(0, 13)).toString());
        await(image.protectSnap("s1"));
        assertTrue(await(image.listSnaps()).get(0).isProtected());
        await(image.unprotectSnap("s1"));
        await(image.removeSnap("s1"));
        assertEquals(List.of(), await(image.listSnaps()));
        long second = await(image.createSnap("s2"));
        await(image.removeSnapById(second));
        assertEquals(List.of(), await(image.listSnaps()));
        await(image.close());
    }

    @Test
    void exclusiveLockIsAcquiredListedAndReleased() {
        Image image = createAndOpen("locked", 1 << 20);
        await(image.lockAcquire());
        assertEquals(1, await(image.lockOwners()).size());
        await(image.lockRelease());
        assertEquals(List.of(), await(image.lockOwners()));
        await(image.close());
    }

    @Test
    void discardedRangesReadAsZeros() {
        Image image = createAndOpen("trimmed", 1 << 20);
        byte[] ones = new byte[8192];
        java.util.Arrays.fill(ones, (byte) 1);
        await(image.write(0, Buffer.buffer(ones)));
        await(image.discard(0, 4096));
        byte[] expected = ones.clone();
        java.util.Arrays.fill(expected, 0, 4096, (byte) 0);
        assertArrayEquals(expected, await(image.read(0, 8192)).getBytes());
        await(image.close());
    }

    @Test
    void poolMirroringSettingsAndPeers() {
        await(cluster.mirrorSiteNameSet("site-a"));
        assertEquals("site-a", await(cluster.mirrorSiteNameGet()));
        await(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        assertEquals(MirrorMode.IMAGE, await(cluster.mirrorModeGet(RBD)));
        assertTrue(!await(cluster.mirrorUuidGet("rbd")).isEmpty());
        String uuid = await(cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.rbd-mirror-peer", MirrorPeerDirection.RX_TX));
        List<MirrorPeer> peers = await(cluster.mirrorPeerSiteList("rbd"));
        assertEquals(List.of(uuid), peers.stream().map(MirrorPeer::uuid).toList());
        assertEquals(MirrorPeerDirection.RX_TX, peers.get(0).direction());
        await(cluster.mirrorPeerSiteSetAttributes("rbd", uuid, Map.of("mon_host", "127.0.0.1:6792", "key", "k")));
        assertEquals("127.0.0.1:6792", await(cluster.mirrorPeerSiteGetAttributes("rbd", uuid)).get("mon_host"));
        await(cluster.mirrorPeerSiteRemove("rbd", uuid));
        assertEquals(List.of(), await(cluster.mirrorPeerSiteList("rbd")));
    }

    @Test
    void imageMirroringSnapshotsAndStatuses() {
        await(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Image image = createAndOpen("mirrored", 1 << 20);
        await(image.mirrorEnable(MirrorImageMode.SNAPSHOT));
        MirrorImageInfo info = await(image.mirrorInfo());
        assertTrue(info.primary());
        assertEquals(MirrorImageState.ENABLED, info.state());
        // librbd refuses a manual mirror-snapshot while the pool has no tx peer
        await(cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.rbd-mirror-peer", MirrorPeerDirection.RX_TX));
        long snapId = await(image.mirrorCreateSnapshot());
        SnapInfo mirrorSnap = await(image.listSnaps()).stream().filter(s -> s.id() == snapId).findFirst().orElseThrow();
        assertEquals(SnapNamespace.MIRROR, mirrorSnap.namespace());
        assertTrue(mirrorSnap.mirror().state().isPrimary());
        assertEquals(info, await(cluster.mirrorImageInfoList(RBD)).values().iterator().next());

        MirrorImageSiteStatus status = new MirrorImageSiteStatus("", MirrorImageStatusState.REPLAYING, "replaying",
                java.time.Instant.parse("2026-11-25T10:00:00Z"), true);
        await(cluster.mirrorImageStatusSet(RBD, info.globalId(), status));
        MirrorImageGlobalStatus global = await(image.mirrorGlobalStatus());
        assertEquals(info.globalId(), global.info().globalId());
        assertEquals(1, (int) await(cluster.mirrorImageStatusSummary(RBD)).getOrDefault(MirrorImageStatusState.REPLAYING, 0));
        await(image.close());
    }

    /**
     * A result; a call the cluster does not implement yet (EOPNOTSUPP) aborts the test instead of
     * failing it, so the contract runs against a backend that is still growing.
     */
    static <T> T await(Future<T> future) {
        try {
            return Await.result(future);
        } catch (ClusterException e) {
            abortIfUnsupported(e);
            throw e;
        }
    }

    static ClusterException failed(Future<?> future) {
        ClusterException failure = Await.failure(future);
        abortIfUnsupported(failure);
        return failure;
    }

    private static void abortIfUnsupported(ClusterException e) {
        Assumptions.assumeFalse(e.errno() == Errno.EOPNOTSUPP, "not implemented by this cluster yet: " + e.getMessage());
    }

    protected Image createAndOpen(String name, long size) {
        ImageSpec spec = new ImageSpec(RBD, name);
        await(cluster.createImage(spec, ImageOptions.of(size)));
        return await(cluster.openImage(spec));
    }
}
