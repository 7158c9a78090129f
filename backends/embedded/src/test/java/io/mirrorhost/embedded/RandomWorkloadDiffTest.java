package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random writes, discards, snapshots, snapshot removals, resizes, rollbacks, flushes and reopens
 * against an in-memory model; diffs between random points are checked against brute-force
 * comparison of the contents: replaying a diff onto the older content must give the newer, and
 * only objects written in between may be reported.
 */
class RandomWorkloadDiffTest extends StoreTestBase {
    private static final int ORDER = 14;
    private static final int OBJ = 1 << ORDER;
    private static final int MAX_OBJECTS = 24;
    private static final int OPS = 350;

    /** A snapshot as the model knows it: its content and when in the op log it was taken. */
    private record SnapModel(long id, String name, byte[] content, int logIndex) {
    }

    private final List<Set<Long>> touchedLog = new ArrayList<>();
    private final List<SnapModel> snaps = new ArrayList<>();
    private byte[] head;
    private Image image;
    private String imageId;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void diffsMatchBruteForceComparison(long seed) throws Exception {
        Random random = new Random(seed);
        boolean fastDiff = seed % 2 == 1;
        Set<ImageFeature> features = fastDiff ? ImageFeature.defaults() : EnumSet.of(ImageFeature.LAYERING);
        long size = (long) (8 + random.nextInt(8)) * OBJ + random.nextInt(OBJ);
        Await.result(cluster.createImage(spec("img"), new ImageOptions(size, ORDER, features, null)));
        image = Await.result(cluster.openImage(spec("img")));
        imageId = Await.result(image.info()).id();
        head = new byte[(int) size];
        int snapCounter = 0;
        int diffsChecked = 0;
        for (int op = 0; op < OPS; op++) {
            int dice = random.nextInt(100);
            if (dice < 38) {
                write(random);
            } else if (dice < 52) {
                discard(random);
            } else if (dice < 61) {
                createSnap("s" + snapCounter++);
            } else if (dice < 65 && !snaps.isEmpty()) {
                removeSnap(random);
            } else if (dice < 71) {
                resize(random);
            } else if (dice < 75 && !snaps.isEmpty()) {
                rollback(random);
            } else if (dice < 79) {
                Await.result(image.flush());
                touchedLog.add(Set.of());
            } else if (dice < 81) {
                Await.result(image.close());
                reopen();
                image = Await.result(cluster.openImage(spec("img")));
                touchedLog.add(Set.of());
            } else {
                checkRandomDiff(random);
                diffsChecked++;
                touchedLog.add(Set.of());
            }
        }
        assertTrue(diffsChecked > 30, "enough diffs were checked");
        assertArrayEquals(head, bytes(image, 0, head.length));
        for (SnapModel s : snaps) {
            Image at = Await.result(cluster.openImageAtSnap(PoolNamespace.of("rbd"), imageId, s.id()));
            assertArrayEquals(s.content(), bytes(at, 0, s.content().length), "content of snapshot " + s.name());
            Await.result(at.close());
        }
        assertEquals(snaps.stream().map(SnapModel::id).toList(),
            Await.result(image.listSnaps()).stream().map(SnapInfo::id).toList());
        Await.result(image.flush());
        assertEquals(List.of(), Await.result(((EmbeddedImage) image).check()));
        Await.result(image.close());
    }

    private void write(Random random) {
        int length = 1 + random.nextInt(Math.min(head.length, 3 * OBJ));
        int offset = random.nextInt(head.length - length + 1);
        if (random.nextInt(4) == 0) {
            offset = offset / OBJ * OBJ;
            length = Math.min(OBJ, head.length - offset);
        }
        byte[] data = new byte[length];
        random.nextBytes(data);
        Await.result(image.write(offset, Buffer.buffer(data)));
        System.arraycopy(data, 0, head, offset, length);
        touchedLog.add(objects(offset, length));
    }

    private void discard(Random random) {
        int length = 1 + random.nextInt(Math.min(head.length, 3 * OBJ));
        int offset = random.nextInt(head.length - length + 1);
        Await.result(image.discard(offset, length));
        Arrays.fill(head, offset, offset + length, (byte) 0);
        touchedLog.add(objects(offset, length));
    }

    private void createSnap(String name) {
        long id = Await.result(image.createSnap(name));
        touchedLog.add(Set.of());
        snaps.add(new SnapModel(id, name, head.clone(), touchedLog.size() - 1));
    }

    private void removeSnap(Random random) {
        SnapModel s = snaps.remove(random.nextInt(snaps.size()));
        Await.result(image.removeSnap(s.name()));
        touchedLog.add(Set.of());
    }

    private void resize(Random random) {
        int newSize = (1 + random.nextInt(MAX_OBJECTS)) * OBJ - random.nextInt(OBJ / 2);
        Await.result(image.resize(newSize));
        Set<Long> touched = new HashSet<>();
        if (newSize < head.length) {
            touched.addAll(objects(newSize, head.length - newSize));
        }
        head = Arrays.copyOf(head, newSize);
        touchedLog.add(touched);
    }

    private void rollback(Random random) {
        SnapModel s = snaps.get(random.nextInt(snaps.size()));
        Await.result(image.rollbackSnap(s.name()));
        head = s.content().clone();
        touchedLog.add(touchedAfter(s.logIndex(), touchedLog.size()));
    }

    /** The objects any op in (from, to) touched. */
    private Set<Long> touchedAfter(int from, int to) {
        Set<Long> all = new HashSet<>();
        for (int i = from + 1; i < to; i++) {
            all.addAll(touchedLog.get(i));
        }
        return all;
    }

    private static Set<Long> objects(long offset, long length) {
        Set<Long> objs = new HashSet<>();
        for (long o = offset / OBJ; o <= (offset + length - 1) / OBJ; o++) {
            objs.add(o);
        }
        return objs;
    }

    private void checkRandomDiff(Random random) {
        int endChoice = random.nextInt(snaps.size() + 1);
        SnapModel end = endChoice == snaps.size() ? null : snaps.get(endChoice);
        List<SnapModel> olders = end == null ? snaps : snaps.subList(0, endChoice);
        int fromChoice = random.nextInt(olders.size() + 1);
        SnapModel from = fromChoice == olders.size() ? null : olders.get(fromChoice);
        byte[] to = end == null ? head : end.content();
        byte[] before = from == null ? new byte[0] : from.content();
        boolean wholeObject = random.nextBoolean();
        long offset = 0;
        long length = to.length;
        if (random.nextBoolean() && to.length > 1) {
            offset = random.nextInt(to.length);
            length = 1 + random.nextInt(to.length - (int) offset);
        }
        Image at = end == null ? image : Await.result(cluster.openImageAtSnap(PoolNamespace.of("rbd"), imageId, end.id()));
        List<DiffExtent> extents = Await.result(at.diff(from == null ? null : from.id(), offset, length, wholeObject));
        if (end != null) {
            Await.result(at.close());
        }
        String what = "diff " + (from == null ? "beginning" : from.name()) + ".." + (end == null ? "head" : end.name())
            + " range " + offset + "+" + length + (wholeObject ? " whole-object" : "") + ": " + extents;

        // Replaying the diff onto the older content gives the newer one, in the asked range.
        byte[] rebuilt = Arrays.copyOf(before, to.length);
        for (DiffExtent e : extents) {
            assertTrue(e.offset() >= 0 && e.offset() + e.length() <= to.length, "extent inside the image: " + what);
            if (wholeObject) {
                assertEquals(0, e.offset() % OBJ, "whole-object extents start at objects: " + what);
            } else {
                assertTrue(e.offset() >= offset && e.offset() + e.length() <= offset + length, "extent in range: " + what);
            }
            for (long i = e.offset(); i < e.offset() + e.length(); i++) {
                if (e.exists()) {
                    rebuilt[(int) i] = to[(int) i];
                } else {
                    if (to[(int) i] != 0) {
                        fail("extent reported as gone holds data at " + i + ": " + what);
                    }
                    rebuilt[(int) i] = 0;
                }
            }
        }
        for (long i = offset; i < offset + length; i++) {
            if (rebuilt[(int) i] != to[(int) i]) {
                fail("byte " + i + " differs but no extent covers it: " + what);
            }
        }
        // Only objects changed between the two points may be reported.
        Set<Long> mayChange = from == null ? null
            : touchedAfter(from.logIndex(), end == null ? touchedLog.size() : end.logIndex());
        for (DiffExtent e : extents) {
            for (long o : objects(e.offset(), e.length())) {
                if (mayChange != null && !mayChange.contains(o)) {
                    fail("object " + o + " reported but untouched between the points: " + what);
                }
            }
        }
    }
}
