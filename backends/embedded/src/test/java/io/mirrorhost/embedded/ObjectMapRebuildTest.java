package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.PoolNamespace;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code Image.objectMapRebuild} contract and the object-map flags {@code rbd info} shows, through the
 * SPI and across a restart, in the sequence observed with rbd 16.2.15.
 */
class ObjectMapRebuildTest extends StoreTestBase {
    private static final Set<String> INVALID = Set.of("object map invalid", "fast diff invalid");

    private Image atSnap(Image head, long snapId) {
        return Await.result(cluster.openImageAtSnap(head.spec().poolNamespace(), Await.result(head.info()).id(), snapId));
    }

    private static Set<String> flags(Image image) {
        return Await.result(image.info()).flags();
    }

    @Test
    void enablingObjectMapLeavesHeadAndSnapshotsInvalidUntilEachIsRebuilt() throws Exception {
        Image img = create("a", 64L * MIB, 22, EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK));
        long before = Await.result(img.createSnap("before"));
        Await.result(img.updateFeatures(Set.of(ImageFeature.OBJECT_MAP), true));
        assertEquals(EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK, ImageFeature.OBJECT_MAP,
            ImageFeature.FAST_DIFF), Await.result(img.info()).features());
        assertEquals(INVALID, flags(img));
        long during = Await.result(img.createSnap("during"));
        Await.result(img.close());
        reopen();

        img = Await.result(cluster.openImage(spec("a")));
        assertEquals(INVALID, flags(img));
        Await.result(img.objectMapRebuild());
        assertEquals(Set.of(), flags(img));
        Image snapBefore = atSnap(img, before);
        Image snapDuring = atSnap(img, during);
        assertEquals(INVALID, flags(snapBefore));
        assertEquals(INVALID, flags(snapDuring), "a snapshot taken while the head was invalid inherits its flags");
        Await.result(snapDuring.objectMapRebuild());
        assertEquals(Set.of(), flags(snapDuring));
        assertEquals(INVALID, flags(snapBefore));
        long after = Await.result(img.createSnap("after"));
        Image snapAfter = atSnap(img, after);
        assertEquals(Set.of(), flags(snapAfter));
        for (Image i : List.of(snapBefore, snapDuring, snapAfter, img)) {
            Await.result(i.close());
        }
    }

    @Test
    void disablingObjectMapClearsEveryFlag() {
        Image img = create("a", 64L * MIB, 22, EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK));
        long snap = Await.result(img.createSnap("s"));
        Await.result(img.updateFeatures(Set.of(ImageFeature.FAST_DIFF), true));
        assertEquals(INVALID, flags(img));
        Await.result(img.updateFeatures(Set.of(ImageFeature.FAST_DIFF), false));
        assertEquals(EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK), Await.result(img.info()).features());
        assertEquals(Set.of(), flags(img));
        Image atSnap = atSnap(img, snap);
        assertEquals(Set.of(), flags(atSnap));
        Await.result(atSnap.close());
        Await.result(img.close());
    }

    @Test
    void theFlagsGoWithTheImage() {
        Image img = create("a", 64L * MIB, 22, EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK));
        String header = "rbd_header." + Await.result(img.info()).id();
        Await.result(img.updateFeatures(Set.of(ImageFeature.OBJECT_MAP), true));
        assertEquals(Set.of("flags"), Await.result(cluster.omapGet(PoolNamespace.of("rbd"), header)).keySet());
        Await.result(img.close());
        Await.result(cluster.removeImage(spec("a")));
        assertEquals(Map.of(), Await.result(cluster.omapGet(PoolNamespace.of("rbd"), header)));
    }

    @Test
    void rebuildNeedsTheObjectMapFeature() {
        Image img = create("a", 64L * MIB, 22, EnumSet.of(ImageFeature.LAYERING));
        ClusterExceptionText.assertMessage("librbd::Operations: image must support object-map feature",
            Await.failure(Errno.EINVAL, img.objectMapRebuild()));
        Await.result(img.close());
        Image fresh = create("b", 64L * MIB, 22, ImageFeature.defaults());
        assertEquals(Set.of(), flags(fresh), "a new image's map is valid");
        Await.result(fresh.objectMapRebuild());
        assertEquals(Set.of(), flags(fresh));
        Await.result(fresh.close());
    }
}
