package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.embedded.net.EmbeddedSettings;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SnapshotTest extends StoreTestBase {
    private static final int OBJ = 64 * 1024;

    private Image atSnap(Image head, long snapId) {
        return Await.result(cluster.openImageAtSnap(head.spec().poolNamespace(), Await.result(head.info()).id(), snapId));
    }

    private long objectFiles() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("objects"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void createListRemoveWithLibrbdErrors() throws Exception {
        Image img = create("a", 2L * OBJ, 16, ImageFeature.defaults());
        long s1 = Await.result(img.createSnap("s1"));
        Await.result(img.resize(3L * OBJ));
        long s2 = Await.result(img.createSnap("s2"));
        assertTrue(s2 > s1);
        List<SnapInfo> snaps = Await.result(img.listSnaps());
        assertEquals(List.of("s1", "s2"), snaps.stream().map(SnapInfo::name).toList());
        assertEquals(2L * OBJ, snaps.get(0).size());
        assertEquals(3L * OBJ, snaps.get(1).size());
        assertEquals(SnapNamespace.USER, snaps.get(0).namespace());
        assertFalse(snaps.get(0).isProtected());
        assertNull(snaps.get(0).mirror());
        assertEquals(2, Await.result(img.info()).snapshotCount());
        Await.failure(Errno.EEXIST, img.createSnap("s1"));
        Await.failure(Errno.EINVAL, img.createSnap(""));
        Await.failure(Errno.ENOENT, img.removeSnap("nope"));
        Await.failure(Errno.ENOENT, img.removeSnapById(9999));
        Await.failure(Errno.ENOENT, cluster.openImageAtSnap(PoolNamespace.of("rbd"), Await.result(img.info()).id(), 9999));
        Await.result(img.removeSnap("s1"));
        Await.result(img.removeSnapById(s2));
        assertEquals(List.of(), Await.result(img.listSnaps()));
        Await.result(img.close());
        reopen();
        // snapshot ids are never reused, also after a restart
        img = Await.result(cluster.openImage(spec("a")));
        assertTrue(Await.result(img.createSnap("s3")) > s2);
        Await.result(img.close());
    }

    @Test
    void snapshotIdsArePoolWide() {
        Image a = create("a", OBJ, 16, ImageFeature.defaults());
        Image b = create("b", OBJ, 16, ImageFeature.defaults());
        long a1 = Await.result(a.createSnap("x"));
        long b1 = Await.result(b.createSnap("x"));
        long a2 = Await.result(a.createSnap("y"));
        assertEquals(List.of(a1 + 1, a1 + 2), List.of(b1, a2));
        Await.result(a.close());
        Await.result(b.close());
    }

    @Test
    void snapshotIsIsolatedFromLaterWritesDiscardsResizesAndRollbacks() throws Exception {
        Image img = create("a", 4L * OBJ, 16, ImageFeature.defaults());
        byte[] v1 = random(1, 4 * OBJ).getBytes();
        Await.result(img.write(0, io.vertx.core.buffer.Buffer.buffer(v1)));
        long s1 = Await.result(img.createSnap("s1"));
        Image snap = atSnap(img, s1);
        Await.result(img.write(100, random(2, OBJ)));
        Await.result(img.discard(2L * OBJ, OBJ));
        Await.result(img.discard(3L * OBJ + 10, 10));
        Await.result(img.resize(OBJ / 2));
        Await.result(img.resize(8L * OBJ));
        Await.result(img.write(5L * OBJ, random(3, 100)));
        assertArrayEquals(v1, bytes(snap, 0, 4 * OBJ));
        assertEquals(4L * OBJ, Await.result(snap.info()).size());
        Await.failure(Errno.EROFS, snap.write(0, random(4, 10)));
        Await.failure(Errno.EROFS, snap.discard(0, 10));
        Await.failure(Errno.EROFS, snap.resize(10));
        Await.failure(Errno.EROFS, snap.createSnap("x"));
        Await.failure(Errno.EROFS, snap.rollbackSnap("s1"));

        Await.result(img.rollbackSnap("s1"));
        assertEquals(4L * OBJ, Await.result(img.info()).size());
        assertArrayEquals(v1, bytes(img, 0, 4 * OBJ));
        // writing after the rollback leaves the snapshot alone too
        Await.result(img.write(0, random(5, 4 * OBJ)));
        assertArrayEquals(v1, bytes(snap, 0, 4 * OBJ));
        assertArrayEquals(random(5, 4 * OBJ).getBytes(), bytes(img, 0, 4 * OBJ));
        Await.result(img.flush());
        assertEquals(List.of(), Await.result(((EmbeddedImage) img).check()));
        Await.result(snap.close());
        Await.result(img.close());
        reopen();
        img = Await.result(cluster.openImage(spec("a")));
        snap = atSnap(img, s1);
        assertArrayEquals(v1, bytes(snap, 0, 4 * OBJ));
        assertArrayEquals(random(5, 4 * OBJ).getBytes(), bytes(img, 0, 4 * OBJ));
        Await.result(snap.close());
        Await.result(img.close());
    }

    @Test
    void snapshotsShareObjectFilesUntilTheyChange() throws Exception {
        Image img = create("a", 4L * OBJ, 16, ImageFeature.defaults());
        Await.result(img.write(0, random(1, 4 * OBJ)));
        Await.result(img.flush());
        assertEquals(4, objectFiles());
        Await.result(img.createSnap("s1"));
        Await.result(img.createSnap("s2"));
        assertEquals(4, objectFiles(), "snapshots cost no data");
        Await.result(img.write(OBJ, random(2, 10)));
        Await.result(img.flush());
        assertEquals(5, objectFiles(), "the first write after the snapshots copies one object");
        Await.result(img.write(OBJ + 20, random(3, 10)));
        Await.result(img.flush());
        assertEquals(5, objectFiles(), "later writes go to the copy");
        Await.result(img.removeSnap("s1"));
        assertEquals(5, objectFiles(), "s2 still needs the old version");
        Await.result(img.removeSnap("s2"));
        assertEquals(4, objectFiles(), "no snapshot needs the old version any more");
        Await.result(img.close());
    }

    /** Bytes the object files take on disk (files are sparse: their length says little). */
    private long objectBytes() throws Exception {
        Process du = new ProcessBuilder("du", "-s", "--block-size=1", dir.resolve("objects").toString())
            .redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes()).trim();
        assertEquals(0, du.waitFor(), out);
        return Long.parseLong(out.split("\\s+")[0]);
    }

    /**
     * A replica's pattern: small writes between snapshots, the oldest snapshot pruned each time.
     * The writes copy nothing (an overlay holds only what was written), and every remaining point
     * reads what it saw, also after the store is reopened.
     */
    @Test
    void smallWritesAfterSnapshotsCopyNothingAndPruningKeepsEveryPoint() throws Exception {
        Image img = create("a", 2L * OBJ, 16, ImageFeature.defaults());
        byte[] model = random(1, 2 * OBJ).getBytes();
        Await.result(img.write(0, Buffer.buffer(model)));
        java.util.TreeMap<Long, byte[]> seen = new java.util.TreeMap<>();
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 8; round++) {
            seen.put(Await.result(img.createSnap("s" + round)), model.clone());
            for (int w = 0; w < 3; w++) {
                int offset = random.nextInt(2 * OBJ - 1000);
                byte[] data = random(100 + round * 10 + w, 1 + random.nextInt(999)).getBytes();
                Await.result(img.write(offset, Buffer.buffer(data)));
                System.arraycopy(data, 0, model, offset, data.length);
            }
            Await.result(img.discard(OBJ + 4096L * round, 100));
            java.util.Arrays.fill(model, OBJ + 4096 * round, OBJ + 4096 * round + 100, (byte) 0);
            Await.result(img.flush());
            if (seen.size() > 3) {
                long oldest = seen.firstKey();
                Await.result(img.removeSnapById(oldest));
                seen.remove(oldest);
            }
        }
        // each round's 4 small changes take at most two 4 KiB blocks each; copying the objects
        // on write (the 5 points alive would hold 5 copies of both) would take 640 KiB
        assertTrue(objectBytes() <= 2L * OBJ + 8 * 4 * 2 * 4096, "bytes on disk: " + objectBytes());
        for (int pass = 0; pass < 2; pass++) {
            for (Map.Entry<Long, byte[]> e : seen.entrySet()) {
                Image at = atSnap(img, e.getKey());
                assertArrayEquals(e.getValue(), bytes(at, 0, 2 * OBJ), "snapshot " + e.getKey());
                Await.result(at.close());
            }
            assertArrayEquals(model, bytes(img, 0, 2 * OBJ));
            assertEquals(List.of(), Await.result(((EmbeddedImage) img).check()));
            Await.result(img.close());
            reopen();
            img = Await.result(cluster.openImage(img.spec()));
        }
        for (long id : List.copyOf(seen.keySet())) {
            Await.result(img.removeSnapById(id));
        }
        assertArrayEquals(model, bytes(img, 0, 2 * OBJ));
        assertEquals(2, objectFiles(), "with no snapshot left, one file per object");
        Await.result(img.close());
    }

    @Test
    void protectUnprotect() {
        Image img = create("a", OBJ, 16, ImageFeature.defaults());
        Await.result(img.createSnap("s"));
        Await.result(img.protectSnap("s"));
        assertTrue(Await.result(img.listSnaps()).get(0).isProtected());
        Await.failure(Errno.EBUSY, img.protectSnap("s"));
        ClusterExceptionText.assertMessage("snapshot 's' is protected from removal",
            Await.failure(Errno.EBUSY, img.removeSnap("s")));
        Await.failure(Errno.EBUSY, img.removeSnapById(Await.result(img.listSnaps()).get(0).id()));
        Await.result(img.unprotectSnap("s"));
        Await.failure(Errno.EINVAL, img.unprotectSnap("s"));
        Await.failure(Errno.ENOENT, img.protectSnap("nope"));
        Await.result(img.removeSnap("s"));
        Image plain = create("plain", OBJ, 16, Set.of());
        Await.result(plain.createSnap("s"));
        Await.failure(Errno.ENOSYS, plain.protectSnap("s"));
        Await.result(plain.close());
        Await.result(img.close());
    }

    @Test
    void primaryMirrorSnapshotsCarryPeersAndArePruned() throws Exception {
        Image img = create("a", OBJ, 16, ImageFeature.defaults());
        Await.result(cluster.mirrorModeSet(PoolNamespace.of("rbd"), io.mirrorhost.api.cluster.MirrorMode.IMAGE));
        String peer = Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.rbd-mirror-peer",
            io.mirrorhost.api.cluster.MirrorPeerDirection.RX_TX));
        Await.result(img.mirrorEnable(io.mirrorhost.api.cluster.MirrorImageMode.SNAPSHOT));
        long first = Await.result(img.listSnaps()).get(0).id();
        SnapInfo snap = Await.result(img.listSnaps()).get(0);
        assertEquals(first, snap.id());
        assertEquals(SnapNamespace.MIRROR, snap.namespace());
        assertTrue(snap.name().startsWith(".mirror.primary."), snap.name());
        assertEquals(MirrorSnapshotInfo.primary(Set.of(peer), false), snap.mirror());
        // the newest mirror-snapshot stays when its last peer is unlinked
        Await.result(img.mirrorSnapshotUnlinkPeer(first, peer));
        assertEquals(Set.of(), Await.result(img.listSnaps()).get(0).mirror().mirrorPeerUuids());
        Await.failure(Errno.ENOENT, img.mirrorSnapshotUnlinkPeer(first, peer));
        Await.failure(Errno.EINVAL, img.mirrorSnapshotSetCopyProgress(first, true, 1));
        List<Long> created = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            created.add(Await.result(img.mirrorCreateSnapshot()));
        }
        List<SnapInfo> snaps = Await.result(img.listSnaps());
        assertEquals(EmbeddedSettings.DEFAULT_MAX_MIRRORING_SNAPSHOTS, snaps.size());
        assertFalse(snaps.stream().anyMatch(s -> s.id() == first), "the snapshot linked to nobody went first");
        assertFalse(snaps.stream().anyMatch(s -> s.id() == created.get(4)),
            "beyond the limit librbd unlinks the newest pre-existing snapshot, keeping the oldest");
        // the global id in the names is the image's and stays the same
        String prefix = snaps.get(0).name().substring(0, snaps.get(0).name().lastIndexOf('.'));
        assertTrue(snaps.stream().allMatch(s -> s.name().startsWith(prefix)));
        Await.result(img.close());
        reopen();
        img = Await.result(cluster.openImage(spec("a")));
        assertEquals(snaps, Await.result(img.listSnaps()));

        // rbd_mirroring_max_mirroring_snapshots raised for this site: more are kept
        cluster.limitMirroringSnapshots(7);
        for (int i = 0; i < 4; i++) {
            Await.result(img.mirrorCreateSnapshot());
        }
        assertEquals(7, Await.result(img.listSnaps()).size());
        Await.result(img.close());
    }

    @Test
    void nonPrimaryMirrorSnapshotsRecordCopyProgressAndMakeTheImageReadOnly() throws Exception {
        Await.result(cluster.mirrorModeSet(PoolNamespace.of("rbd"), io.mirrorhost.api.cluster.MirrorMode.IMAGE));
        Await.result(cluster.mirrorCreateNonPrimaryImage(spec("a"),
            new io.mirrorhost.api.cluster.ImageOptions(OBJ, 16, ImageFeature.defaults(), null), "global-a", "primary-uuid"));
        Image img = Await.result(cluster.openImage(spec("a")));
        long id = Await.result(img.mirrorCreateNonPrimarySnapshot("primary-uuid", 42, Map.of(40L, 7L)));
        SnapInfo snap = Await.result(img.listSnaps()).get(0);
        assertTrue(snap.name().startsWith(".mirror.non_primary."), snap.name());
        assertEquals(new MirrorSnapshotInfo(MirrorSnapshotState.NON_PRIMARY, false, Set.of(), "primary-uuid", 42, 0,
            Map.of(40L, 7L)), snap.mirror());
        Await.result(img.mirrorSnapshotSetCopyProgress(id, false, 7));
        assertEquals(7, Await.result(img.listSnaps()).get(0).mirror().lastCopiedObjectNumber());
        Await.result(img.mirrorSnapshotSetCopyProgress(id, true, 9));
        MirrorSnapshotInfo done = Await.result(img.listSnaps()).get(0).mirror();
        assertTrue(done.complete());
        assertEquals(9, done.lastCopiedObjectNumber());
        // librbd unlinks peers from any mirror-snapshot (a copied demotion lists peers); this one has none
        Await.failure(Errno.ENOENT, img.mirrorSnapshotUnlinkPeer(id, "x"));

        Await.failure(Errno.EROFS, img.write(0, random(2, 10)));
        Await.failure(Errno.EROFS, img.discard(0, 10));
        Await.failure(Errno.EROFS, img.resize(2 * OBJ));
        Await.failure(Errno.EROFS, img.createSnap("user"));
        Await.failure(Errno.EINVAL, img.mirrorCreateSnapshot());
        assertArrayEquals(new byte[100], bytes(img, 0, 100));
        Await.result(img.close());
        reopen();
        img = Await.result(cluster.openImage(spec("a")));
        Await.failure(Errno.EROFS, img.write(0, random(2, 10)));
        assertTrue(Await.result(img.listSnaps()).get(0).mirror().complete());
        // a primary image refuses a non-primary snapshot
        Image primary = create("p", OBJ, 16, ImageFeature.defaults());
        Await.result(cluster.mirrorModeSet(PoolNamespace.of("rbd"), io.mirrorhost.api.cluster.MirrorMode.IMAGE));
        Await.result(primary.mirrorEnable(io.mirrorhost.api.cluster.MirrorImageMode.SNAPSHOT));
        Await.failure(Errno.EINVAL, primary.mirrorCreateNonPrimarySnapshot("u", 1, Map.of()));
        Await.result(primary.close());
        Await.result(img.close());
    }

    @Test
    void nonPrimaryFeatureRefusesChanges() {
        // as librbd, create drops non-primary: a copy rbd-mirror creates gets it
        Await.result(cluster.mirrorModeSet(PoolNamespace.of("rbd"), io.mirrorhost.api.cluster.MirrorMode.IMAGE));
        Await.result(cluster.mirrorCreateNonPrimaryImage(spec("a"),
            new io.mirrorhost.api.cluster.ImageOptions(OBJ, 16, Set.of(ImageFeature.LAYERING), null), "global-a", "uuid"));
        Image img = Await.result(cluster.openImage(spec("a")));
        assertTrue(Await.result(img.info()).features().contains(ImageFeature.NON_PRIMARY));
        Await.failure(Errno.EROFS, img.write(0, random(1, 10)));
        Await.failure(Errno.EROFS, img.resize(2 * OBJ));
        Await.failure(Errno.EROFS, img.createSnap("s"));
        assertEquals(10, Await.result(img.read(0, 10)).length());
        Await.result(img.close());
    }

}
