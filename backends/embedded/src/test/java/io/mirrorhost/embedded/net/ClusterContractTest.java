package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.failure;
import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
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
        result(cluster.createPool("rbd"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (cluster != null) {
            result(cluster.close());
        }
        release();
        result(vertx.close());
    }

    @Test
    void poolsAreListedAndDuplicatesRefusedWithEexist() {
        result(cluster.createPool("other"));
        List<String> names = result(cluster.listPools()).stream().map(PoolInfo::name).toList();
        assertTrue(names.containsAll(List.of("rbd", "other")), names.toString());

        ClusterException duplicate = failure(cluster.createPool("rbd"));
        assertEquals(Errno.EEXIST, duplicate.errno());
        assertTrue(duplicate.getMessage().contains("rbd"), duplicate.getMessage());
    }

    @Test
    void imagesAreCreatedListedAndDescribed() {
        ImageSpec spec = new ImageSpec(RBD, "disk1");
        Set<ImageFeature> features = EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK);
        result(cluster.createImage(spec, new ImageOptions(8 * FOUR_MIB, 22, features, null)));

        List<ImageEntry> entries = result(cluster.listImages(RBD));
        assertEquals(List.of("disk1"), entries.stream().map(ImageEntry::name).toList());

        Image image = result(cluster.openImage(spec));
        assertEquals(spec, image.spec());
        assertEquals(null, image.snapId());
        ImageInfo info = result(image.info());
        assertEquals("disk1", info.name());
        assertEquals(entries.get(0).id(), info.id());
        assertEquals(8L * FOUR_MIB, info.size());
        assertEquals(22, info.order());
        assertTrue(info.features().containsAll(features), info.features().toString());
        assertTrue(info.createTimestamp() != null);
        result(image.close());
    }

    @Test
    void openingAMissingImageFailsWithEnoent() {
        ClusterException missing = failure(cluster.openImage(new ImageSpec(RBD, "nope")));
        assertEquals(Errno.ENOENT, missing.errno());
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    }

    @Test
    void fourMibBuffersRoundTrip() {
        Image image = createAndOpen("big", 4 * FOUR_MIB);
        byte[] data = new byte[FOUR_MIB];
        new Random(42).nextBytes(data);
        result(image.write(FOUR_MIB, Buffer.buffer(data)));
        result(image.flush());

        assertArrayEquals(data, result(image.read(FOUR_MIB, FOUR_MIB)).getBytes());
        assertArrayEquals(new byte[FOUR_MIB], result(image.read(0, FOUR_MIB)).getBytes());
        result(image.close());
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
        result(Future.all(writes));
        List<Future<Buffer>> reads = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            reads.add(image.read((long) i * 65536, 65536));
        }
        result(Future.all(reads));
        for (int i = 0; i < 64; i++) {
            byte[] expected = new byte[65536];
            java.util.Arrays.fill(expected, (byte) i);
            assertArrayEquals(expected, reads.get(i).result().getBytes(), "block " + i);
        }
        result(image.close());
    }

    @Test
    void snapshotsAreListedWithTheirFields() {
        Image image = createAndOpen("snappy", FOUR_MIB);
        long first = result(image.createSnap("one"));
        long second = result(image.createSnap("two"));
        List<SnapInfo> snaps = result(image.listSnaps());
        assertEquals(List.of("one", "two"), snaps.stream().map(SnapInfo::name).toList());
        assertEquals(List.of(first, second), snaps.stream().map(SnapInfo::id).toList());
        assertTrue(snaps.get(0).timestamp() != null);
        assertEquals(Errno.EEXIST, failure(image.createSnap("one")).errno());
        result(image.close());
    }

    @Test
    void omapValuesAreSetReadAndRemoved() {
        result(cluster.omapSet(RBD, "obj", Map.of("a", "1", "b", "two")));
        assertEquals(Map.of("a", "1", "b", "two"), result(cluster.omapGet(RBD, "obj")));
        result(cluster.omapRemove(RBD, "obj", Set.of("a")));
        assertEquals(Map.of("b", "two"), result(cluster.omapGet(RBD, "obj")));
    }

    @Test
    void configKeysRoundTripIncludingAbsentOnes() {
        assertEquals(Optional.empty(), result(cluster.configKeyGet("test/missing")));
        result(cluster.configKeySet("test/a", "alpha"));
        assertEquals(Optional.of("alpha"), result(cluster.configKeyGet("test/a")));
        assertEquals("alpha", result(cluster.configKeyList("test/")).get("test/a"));
    }

    @Test
    void notifyReachesWatchersWithItsPayload() throws Exception {
        result(cluster.omapSet(RBD, "watched", Map.of("k", "v")));
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
        Watch watch = result(cluster.watch(RBD, "watched", payload -> received.add(payload.toString())));
        result(cluster.notify(RBD, "watched", Buffer.buffer("hello")));
        assertEquals("hello", received.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));

        result(watch.close());
        result(cluster.notify(RBD, "watched", Buffer.buffer("after close")));
        result(cluster.notify(RBD, "watched", Buffer.buffer("after close")));
        assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void imageUpdatesReachUpdateWatchers() throws Exception {
        Image image = createAndOpen("watched", FOUR_MIB);
        BlockingQueue<String> updates = new ArrayBlockingQueue<>(10);
        Watch watch = result(image.updateWatch(() -> updates.add("updated")));
        result(image.resize(2L * FOUR_MIB));
        assertEquals("updated", updates.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(2L * FOUR_MIB, result(image.info()).size());
        result(watch.close());
        result(image.close());
    }

    protected Image createAndOpen(String name, long size) {
        ImageSpec spec = new ImageSpec(RBD, name);
        result(cluster.createImage(spec, ImageOptions.of(size)));
        return result(cluster.openImage(spec));
    }
}
