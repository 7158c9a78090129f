package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.DiffExtent;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSmokeTest extends StoreTestBase {
    @Test
    void writeSnapOverwriteReadBoth() throws Exception {
        Image img = create("a", 16 * MIB, 22, ImageFeature.defaults());
        Buffer one = random(1, 6 * MIB);
        Await.result(img.write(MIB, one));
        assertArrayEquals(one.getBytes(), bytes(img, MIB, 6 * MIB));
        long snap = Await.result(img.createSnap("s1"));
        Buffer two = random(2, 4096);
        Await.result(img.write(MIB + 100, two));
        Await.result(img.flush());
        Image atSnap = Await.result(cluster.openImageAtSnap(img.spec().poolNamespace(), Await.result(img.info()).id(), snap));
        assertArrayEquals(one.getBytes(), bytes(atSnap, MIB, 6 * MIB));
        byte[] expected = one.getBytes();
        System.arraycopy(two.getBytes(), 0, expected, 100, 4096);
        assertArrayEquals(expected, bytes(img, MIB, 6 * MIB));
        assertEquals(List.of(new DiffExtent(MIB + 100, 4096, true)), Await.result(img.diff(snap, 0, 16 * MIB, false)));
        assertEquals(List.of(new DiffExtent(0, 4 * MIB, true)), Await.result(img.diff(snap, 0, 16 * MIB, true)));
        Await.result(atSnap.close());
        Await.result(img.close());
        reopen();
        img = Await.result(cluster.openImage(spec("a")));
        assertArrayEquals(expected, bytes(img, MIB, 6 * MIB));
        assertEquals(List.of(), Await.result(((EmbeddedImage) img).check()));
        Await.result(img.close());
    }
}
