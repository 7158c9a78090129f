package io.mirrorhost.embedded;

import static io.mirrorhost.embedded.ObjectState.EXISTS;
import static io.mirrorhost.embedded.ObjectState.EXISTS_CLEAN;
import static io.mirrorhost.embedded.ObjectState.NONEXISTENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageIoTest extends StoreTestBase {
    private static final int OBJ = 64 * 1024; // order 16

    @Test
    void writesAcrossObjectsReadBackAndHolesReadAsZeros() {
        Image img = create("a", 10L * OBJ, 16, ImageFeature.defaults());
        Buffer data = random(1, 3 * OBJ + 777);
        Await.result(img.write(OBJ - 100, data));
        assertArrayEquals(data.getBytes(), bytes(img, OBJ - 100, data.length()));
        assertArrayEquals(new byte[OBJ - 100], bytes(img, 0, OBJ - 100));
        assertArrayEquals(new byte[OBJ], bytes(img, 9L * OBJ, OBJ));
        // a read past the end is cut at the end; one starting past it is refused
        assertEquals(OBJ / 2, Await.result(img.read(10L * OBJ - OBJ / 2, OBJ)).length());
        assertEquals(0, Await.result(img.read(10L * OBJ, 10)).length());
        Await.failure(Errno.EINVAL, img.read(10L * OBJ + 1, 10));
        Await.failure(Errno.EINVAL, img.write(10L * OBJ - 10, random(2, 20)));
        Await.failure(Errno.EINVAL, img.write(-1, random(2, 20)));
        Await.result(img.close());
    }

    @Test
    void pipelinedWritesApplyInOrder() {
        Image img = create("a", 4L * OBJ, 16, ImageFeature.defaults());
        List<Future<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            writes.add(img.write(100, random(i, 5000)));
        }
        writes.add(img.flush());
        Future.all(writes).toCompletionStage().toCompletableFuture().join();
        assertArrayEquals(random(49, 5000).getBytes(), bytes(img, 100, 5000));
        Await.result(img.close());
    }

    @Test
    void discardPartialWholeAndSpanning() {
        Image img = create("a", 4L * OBJ, 16, ImageFeature.defaults());
        byte[] all = random(5, 4 * OBJ).getBytes();
        Await.result(img.write(0, Buffer.buffer(all)));
        Await.result(img.discard(100, 200));               // middle of object 0
        Await.result(img.discard(OBJ - 50, 2L * OBJ + 100)); // tail of 0, all of 1 and 2, head of 3 ... see below
        Await.result(img.discard(4L * OBJ - 10, 10));      // tail of the last object: truncates
        byte[] expected = all.clone();
        java.util.Arrays.fill(expected, 100, 300, (byte) 0);
        java.util.Arrays.fill(expected, OBJ - 50, 3 * OBJ + 50, (byte) 0);
        java.util.Arrays.fill(expected, 4 * OBJ - 10, 4 * OBJ, (byte) 0);
        assertArrayEquals(expected, bytes(img, 0, 4 * OBJ));
        EmbeddedImage e = (EmbeddedImage) img;
        assertEquals(List.of(EXISTS, NONEXISTENT, NONEXISTENT, EXISTS), Await.result(e.objectMap()),
            "wholly discarded objects no longer exist");
        Await.result(img.flush());
        assertEquals(List.of(), Await.result(e.check()));
        Await.result(img.close());
    }

    @Test
    void resizeShrinkDropsDataAndGrowReadsZeros() throws Exception {
        Image img = create("a", 4L * OBJ, 16, ImageFeature.defaults());
        byte[] all = random(6, 4 * OBJ).getBytes();
        Await.result(img.write(0, Buffer.buffer(all)));
        Await.result(img.resize(OBJ + 1000));
        assertEquals(OBJ + 1000, Await.result(img.info()).size());
        assertEquals(2, Await.result(img.info()).objectCount());
        Await.result(img.resize(4L * OBJ));
        byte[] expected = new byte[4 * OBJ];
        System.arraycopy(all, 0, expected, 0, OBJ + 1000);
        assertArrayEquals(expected, bytes(img, 0, 4 * OBJ));
        Await.failure(Errno.EINVAL, img.resize(-1));
        Await.result(img.close());
        reopen();
        img = Await.result(cluster.openImage(spec("a")));
        assertArrayEquals(expected, bytes(img, 0, 4 * OBJ));
        assertEquals(List.of(), Await.result(((EmbeddedImage) img).check()));
        Await.result(img.close());
    }

    @Test
    void objectMapTracksWritesSinceTheLastSnapshot() {
        Image img = create("a", 4L * OBJ, 16, ImageFeature.defaults());
        EmbeddedImage e = (EmbeddedImage) img;
        assertEquals(List.of(NONEXISTENT, NONEXISTENT, NONEXISTENT, NONEXISTENT), Await.result(e.objectMap()));
        Await.result(img.write(0, random(1, 10)));
        Await.result(img.write(2L * OBJ, random(2, 10)));
        long s1 = Await.result(img.createSnap("s1"));
        assertEquals(List.of(EXISTS_CLEAN, NONEXISTENT, EXISTS_CLEAN, NONEXISTENT), Await.result(e.objectMap()));
        Await.result(img.write(OBJ, random(3, 10)));
        Await.result(img.write(0, random(4, 10)));
        Await.result(img.discard(2L * OBJ, OBJ));
        assertEquals(List.of(EXISTS, EXISTS, NONEXISTENT, NONEXISTENT), Await.result(e.objectMap()));
        Image atS1 = Await.result(cluster.openImageAtSnap(img.spec().poolNamespace(), Await.result(img.info()).id(), s1));
        assertEquals(List.of(EXISTS, NONEXISTENT, EXISTS, NONEXISTENT), Await.result(((EmbeddedImage) atS1).objectMap()));
        long s2 = Await.result(img.createSnap("s2"));
        Image atS2 = Await.result(cluster.openImageAtSnap(img.spec().poolNamespace(), Await.result(img.info()).id(), s2));
        assertEquals(List.of(EXISTS, EXISTS, NONEXISTENT, NONEXISTENT), Await.result(((EmbeddedImage) atS2).objectMap()));
        Await.result(atS1.close());
        Await.result(atS2.close());
        Await.result(img.close());
    }

    @Test
    void diffIsExactAndWholeObjectDiffComesFromTheObjectMaps() {
        Image img = create("a", 4L * OBJ + 500, 16, ImageFeature.defaults());
        Await.result(img.write(10, random(1, 10)));
        Await.result(img.write(4L * OBJ, random(2, 100)));
        assertEquals(List.of(new DiffExtent(0, OBJ, true), new DiffExtent(4L * OBJ, 500, true)),
            Await.result(img.diff(null, 0, 4L * OBJ + 500, true)));
        // fast-diff serves whole-object diffs; otherwise extents are exact to the byte (what each
        // version wrote, as RADOS' clone overlaps give librbd), from the index without reading data
        assertEquals(List.of(new DiffExtent(10, 10, true), new DiffExtent(4L * OBJ, 100, true)),
            Await.result(img.diff(null, 0, 4L * OBJ + 500, false)));
        long s1 = Await.result(img.createSnap("s1"));
        assertEquals(List.of(), Await.result(img.diff(s1, 0, 4L * OBJ + 500, false)));
        assertEquals(List.of(), Await.result(img.diff(s1, 0, 4L * OBJ + 500, true)));
        Await.result(img.write(OBJ + 5, random(3, 10)));
        Await.result(img.discard(0, OBJ));
        assertEquals(List.of(new DiffExtent(0, OBJ, false), new DiffExtent(OBJ + 5, 10, true)),
            Await.result(img.diff(s1, 0, 4L * OBJ + 500, false)));
        assertEquals(List.of(new DiffExtent(0, OBJ, false), new DiffExtent(OBJ, OBJ, true)),
            Await.result(img.diff(s1, 0, 4L * OBJ + 500, true)));
        // a range cuts the extents unless whole objects are asked for
        assertEquals(List.of(new DiffExtent(OBJ + 5, 10, true)), Await.result(img.diff(s1, OBJ, 50, false)));
        assertEquals(List.of(new DiffExtent(OBJ + 5, 5, true)), Await.result(img.diff(s1, OBJ, 10, false)));
        assertEquals(List.of(), Await.result(img.diff(s1, OBJ + 100, 50, false)));
        assertEquals(List.of(new DiffExtent(OBJ, OBJ, true)), Await.result(img.diff(s1, OBJ + 100, 50, true)));
        long s2 = Await.result(img.createSnap("s2"));
        Image atS2 = Await.result(cluster.openImageAtSnap(img.spec().poolNamespace(), Await.result(img.info()).id(), s2));
        assertEquals(Await.result(img.diff(s1, 0, 4L * OBJ + 500, false)), Await.result(atS2.diff(s1, 0, 4L * OBJ + 500, false)));
        Image atS1 = Await.result(cluster.openImageAtSnap(img.spec().poolNamespace(), Await.result(img.info()).id(), s1));
        Await.failure(Errno.EINVAL, atS1.diff(s2, 0, OBJ, false));
        Await.failure(Errno.ENOENT, img.diff(12345L, 0, OBJ, false));
        Await.result(atS1.close());
        Await.result(atS2.close());
        Await.result(img.close());
    }

    @Test
    void withoutFastDiffTooExtentsAreWhatWasWritten() {
        Image img = create("a", 2L * OBJ, 16, Set.of(ImageFeature.LAYERING));
        Await.result(img.write(0, random(1, 2 * OBJ)));
        long s1 = Await.result(img.createSnap("s1"));
        Await.result(img.write(5000, random(2, 10)));
        Await.result(img.write(OBJ + 3 * 4096, random(3, 4096)));
        assertEquals(List.of(new DiffExtent(5000, 10, true), new DiffExtent(OBJ + 3 * 4096, 4096, true)),
            Await.result(img.diff(s1, 0, 2L * OBJ, false)));
        assertEquals(List.of(new DiffExtent(0, 2L * OBJ, true)), Await.result(img.diff(s1, 0, 2L * OBJ, true)));
        Await.result(img.close());
    }

    @Test
    void flushedDataSurvivesReopenAndTimestampsMove() throws Exception {
        Image img = create("a", 4L * OBJ, 16, ImageFeature.defaults());
        ImageInfo before = Await.result(img.info());
        Await.result(img.write(0, random(11, 3 * OBJ)));
        Await.result(img.flush());
        ImageInfo after = Await.result(img.info());
        assertEquals(before.createTimestamp(), after.createTimestamp());
        assertEquals(true, !after.modifyTimestamp().isBefore(before.modifyTimestamp()));
        Await.result(img.close());
        reopen();
        img = Await.result(cluster.openImage(spec("a")));
        assertArrayEquals(random(11, 3 * OBJ).getBytes(), bytes(img, 0, 3 * OBJ));
        Await.result(img.close());
    }

    @Test
    void closedHandleRefusesCalls() {
        Image img = create("a", OBJ, 16, ImageFeature.defaults());
        Await.result(img.close());
        Await.failure(Errno.EINVAL, img.read(0, 10));
        Await.failure(Errno.EINVAL, img.write(0, random(1, 10)));
        Await.result(img.close());
    }
}
