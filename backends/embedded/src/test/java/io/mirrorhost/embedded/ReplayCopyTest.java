package io.mirrorhost.embedded;

import static io.mirrorhost.embedded.MirrorPoolModesTest.RBD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.SnapInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replica side of a snapshot copy, as rbd-mirror drives it: the non-primary snapshot is created
 * first, the replay handle then fills the head, and completing the copy makes the snapshot the
 * head's content at that moment.
 */
class ReplayCopyTest extends StoreTestBase {
    private static final int ORDER = 16;
    private static final int OBJ = 1 << ORDER;
    private static final String GLOBAL_ID = "0b7e1c1e-2222-4222-8222-000000000002";

    private String imageId;

    @BeforeEach
    void copyOfAGlobalId() {
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.result(cluster.mirrorCreateNonPrimaryImage(spec("copy"),
            new ImageOptions(4L * OBJ, ORDER, ImageFeature.defaults(), null), GLOBAL_ID, "primary-uuid"));
        Image any = Await.result(cluster.openImage(spec("copy")));
        imageId = Await.result(any.info()).id();
        Await.result(any.close());
    }

    private Image replay() {
        return Await.result(cluster.openImageForReplay(RBD, imageId));
    }

    private Image ordinary() {
        return Await.result(cluster.openImageById(RBD, imageId));
    }

    private byte[] contentAt(long snapId) {
        Image at = Await.result(cluster.openImageAtSnap(RBD, imageId, snapId));
        byte[] b = Await.result(at.read(0, (int) Await.result(at.info()).size())).getBytes();
        Await.result(at.close());
        return b;
    }

    private static byte[] head(Image image) {
        return bytes(image, 0, (int) Await.result(image.info()).size());
    }

    private List<String> problems(Image image) {
        return Await.result(((EmbeddedImage) image).check());
    }

    @Test
    void onlyTheReplayHandleChangesACopyInProgress() {
        Image replay = replay();
        Image ordinary = ordinary();
        long snap = Await.result(replay.mirrorCreateNonPrimarySnapshot("primary-uuid", 7, Map.of()));

        Await.failure(Errno.EROFS, ordinary.write(0, random(1, 10)));
        Await.failure(Errno.EROFS, ordinary.discard(0, 10));
        Await.failure(Errno.EROFS, ordinary.resize(8L * OBJ));
        Await.failure(Errno.EROFS, ordinary.createSnap("user"));

        Await.result(replay.write(0, random(1, 3 * OBJ)));
        Await.result(replay.discard(OBJ, OBJ));
        Await.result(replay.resize(5L * OBJ));
        Await.result(replay.createSnap("user"));
        Await.result(replay.protectSnap("user"));
        Await.result(replay.unprotectSnap("user"));
        Await.result(replay.removeSnap("user"));
        Await.result(replay.mirrorSnapshotSetCopyProgress(snap, true, 5));

        Await.failure(Errno.EROFS, replay.write(0, random(2, 10)));
        Await.failure(Errno.EROFS, replay.resize(OBJ));
        Await.failure(Errno.EROFS, replay.createSnap("late"));
        Await.result(replay.close());
        Await.result(ordinary.close());
    }

    @Test
    void aNewCopyIsNonPrimaryUntilPromoted() {
        Image ordinary = ordinary();
        assertTrue(Await.result(ordinary.info()).features().contains(ImageFeature.NON_PRIMARY),
            "created with the non-primary feature, as librbd's EnableRequest does for rbd-mirror");
        Await.failure(Errno.EROFS, ordinary.write(0, random(1, 10)));
        Image replay = replay();
        Await.failure(Errno.EROFS, replay.write(0, random(1, 10)));
        long snap = Await.result(replay.mirrorCreateNonPrimarySnapshot("primary-uuid", 7, Map.of(), true));
        Await.result(replay.write(0, random(1, 10)));
        Await.result(replay.mirrorSnapshotSetCopyProgress(snap, true, 1));
        Await.result(replay.close());
        Await.result(ordinary.mirrorPromote(false));
        assertFalse(Await.result(ordinary.info()).features().contains(ImageFeature.NON_PRIMARY));
        Await.result(ordinary.write(0, random(2, 10)));
        Await.result(ordinary.close());
    }

    @Test
    void completingACopyMakesTheSnapshotTheHeadsContentThen() throws Exception {
        Image replay = replay();
        long first = Await.result(replay.mirrorCreateNonPrimarySnapshot("primary-uuid", 7, Map.of()));
        byte[] atCreation = head(replay);
        Await.result(replay.write(0, random(1, 2 * OBJ)));
        Await.result(replay.resize(6L * OBJ));
        Await.result(replay.write(5L * OBJ, random(2, OBJ)));
        assertArrayEquals(atCreation, contentAt(first), "an incomplete copy still shows what it was created over");
        byte[] completed = head(replay);
        Await.result(replay.mirrorSnapshotSetCopyProgress(first, true, 6));
        assertArrayEquals(completed, contentAt(first));
        assertEquals(6L * OBJ, Await.result(replay.listSnaps()).get(0).size());
        assertEquals(List.of(), problems(replay));

        // the next delta: head writes copy on write relative to the completed snapshot
        long second = Await.result(replay.mirrorCreateNonPrimarySnapshot("primary-uuid", 9, Map.of()));
        Await.result(replay.write(OBJ / 2, random(3, OBJ)));
        Await.result(replay.discard(5L * OBJ, OBJ));
        byte[] secondContent = head(replay);
        Await.result(replay.mirrorSnapshotSetCopyProgress(second, true, 6));
        assertArrayEquals(completed, contentAt(first));
        assertArrayEquals(secondContent, contentAt(second));
        Image atSecond = Await.result(cluster.openImageAtSnap(RBD, imageId, second));
        List<DiffExtent> delta = Await.result(atSecond.diff(first, 0, 6L * OBJ, false));
        assertEquals(List.of((long) OBJ / 2, 5L * OBJ), delta.stream().map(DiffExtent::offset).toList(),
            "the delta is what changed after the first copy completed");
        Await.result(atSecond.close());
        assertEquals(List.of(), problems(replay));
        Await.result(replay.close());

        reopen();
        assertArrayEquals(completed, contentAt(first), "after a reopen");
        assertArrayEquals(secondContent, contentAt(second));
        Image ordinary = ordinary();
        assertArrayEquals(secondContent, head(ordinary));
        Await.failure(Errno.EROFS, ordinary.write(0, random(4, 10)));
        assertEquals(List.of(), problems(ordinary));
        // snapshot ids stay pool-wide and increasing after a point was allocated at completion
        Image other = create("other", OBJ, ORDER, ImageFeature.defaults());
        long later = Await.result(other.createSnap("s"));
        assertTrue(later > second, later + " > " + second);
        Await.result(other.close());
        Await.result(ordinary.close());
    }

    @Test
    void forcedPromotionOfAnInterruptedCopyRollsBackToTheLastCompleteOne() {
        Image replay = replay();
        long first = Await.result(replay.mirrorCreateNonPrimarySnapshot("primary-uuid", 7, Map.of()));
        Await.result(replay.write(0, random(1, 2 * OBJ)));
        Await.result(replay.mirrorSnapshotSetCopyProgress(first, true, 4));
        byte[] complete = head(replay);
        long second = Await.result(replay.mirrorCreateNonPrimarySnapshot("primary-uuid", 9, Map.of()));
        Await.result(replay.write(OBJ, random(2, 2 * OBJ)));
        Await.result(replay.resize(5L * OBJ));
        Await.result(replay.mirrorSnapshotSetCopyProgress(second, false, 2));
        Await.result(replay.close());

        Image ordinary = ordinary();
        Await.failure(Errno.EBUSY, ordinary.mirrorPromote(false));
        Await.result(ordinary.mirrorPromote(true));
        assertArrayEquals(complete, head(ordinary), "the half-copied delta is rolled back");
        Await.result(ordinary.write(0, random(3, 10)));
        assertArrayEquals(complete, contentAt(first));
        assertEquals(List.of(), problems(ordinary));
        Await.result(ordinary.close());
    }

    /** Random deltas, user snapshots, resizes and discards; every snapshot keeps its content throughout. */
    @Test
    void randomReplaysKeepEverySnapshotsContent() throws Exception {
        Random rnd = new Random(61);
        Map<Long, byte[]> expected = new HashMap<>();
        Image replay = replay();
        for (int round = 0; round < 12; round++) {
            long mirror = Await.result(replay.mirrorCreateNonPrimarySnapshot("primary-uuid", 100 + round, Map.of()));
            int steps = 1 + rnd.nextInt(6);
            for (int i = 0; i < steps; i++) {
                long size = Await.result(replay.info()).size();
                switch (rnd.nextInt(5)) {
                    case 0, 1 -> {
                        int len = 1 + rnd.nextInt(2 * OBJ);
                        long off = rnd.nextLong(Math.max(1, size - len));
                        if (off + len <= size) {
                            Await.result(replay.write(off, random(rnd.nextLong(), len)));
                        }
                    }
                    case 2 -> {
                        long off = rnd.nextLong(size);
                        Await.result(replay.discard(off, Math.min(size - off, rnd.nextInt(2 * OBJ))));
                    }
                    case 3 -> Await.result(replay.resize((1 + rnd.nextInt(6)) * (long) OBJ - rnd.nextInt(OBJ)));
                    default -> {
                        long id = Await.result(replay.createSnap("u" + round + "." + i));
                        expected.put(id, head(replay));
                    }
                }
            }
            Await.result(replay.mirrorSnapshotSetCopyProgress(mirror, true, 0));
            expected.put(mirror, head(replay));
            List<SnapInfo> snaps = Await.result(replay.listSnaps());
            if (snaps.size() > 6) {
                // prune the oldest, as the replayer does with copied snapshots
                Await.result(replay.removeSnapById(snaps.get(0).id()));
                expected.remove(snaps.get(0).id());
            }
            for (Map.Entry<Long, byte[]> e : expected.entrySet()) {
                assertTrue(Arrays.equals(e.getValue(), contentAt(e.getKey())), "snapshot " + e.getKey() + " round " + round);
            }
            assertEquals(List.of(), problems(replay));
        }
        Await.result(replay.close());
        reopen();
        List<Long> ids = new ArrayList<>(expected.keySet());
        for (long id : ids) {
            assertArrayEquals(expected.get(id), contentAt(id), "snapshot " + id + " after reopen");
        }
    }
}
