package io.mirrorhost.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ImageFeature;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lines librbd 16.2.15 logged when rbd's feature updates and creates were refused (seen on a real cluster). */
class LibrbdLogTextsTest {
    private static long mask(ImageFeature... f) {
        return ImageFeature.mask(Set.of(f));
    }

    private static final long ALL = ImageFeature.mask(ImageFeature.defaults());
    private static final long GIB = 1L << 30;

    @Test
    void createRefusals() {
        assertEquals("librbd::image::CreateRequest: validate_features: cannot use journaling without exclusive lock",
                LibrbdLogTexts.createImage(Errno.EINVAL, mask(ImageFeature.JOURNALING), GIB, 22));
        assertEquals("librbd::image::CreateRequest: validate_features: cannot use object map without exclusive lock",
                LibrbdLogTexts.createImage(Errno.EINVAL, mask(ImageFeature.OBJECT_MAP, ImageFeature.JOURNALING), GIB, 22));
        assertNull(LibrbdLogTexts.createImage(Errno.EINVAL, mask(ImageFeature.LAYERING, ImageFeature.FAST_DIFF), GIB, 22));
        assertNull(LibrbdLogTexts.createImage(Errno.EEXIST, mask(ImageFeature.JOURNALING), GIB, 22));
        // librbd's object map holds at most 256,000,000 objects: 1 PiB in 4 MiB objects is 268,435,456
        assertEquals("librbd::image::CreateRequest: validate_layout: image size not compatible with object map",
                LibrbdLogTexts.createImage(Errno.EINVAL, ALL, 1L << 50, 22));
        assertNull(LibrbdLogTexts.createImage(Errno.EINVAL, ALL, 256_000_000L << 22, 22));
        assertEquals("librbd::image::CreateRequest: validate_layout: image size not compatible with object map",
                LibrbdLogTexts.createImage(Errno.EINVAL, ALL, (256_000_000L << 22) + 1, 22));
        assertNull(LibrbdLogTexts.createImage(Errno.EINVAL, mask(ImageFeature.LAYERING), 1L << 60, 22));
    }

    @Test
    void updateRefusals() {
        long locked = mask(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK);
        assertEquals("librbd::Operations: cannot update immutable features", LibrbdLogTexts.updateFeatures(Errno.EINVAL,
                ALL, mask(ImageFeature.LAYERING), true));
        assertEquals("librbd::Operations: one or more requested features are already enabled",
                LibrbdLogTexts.updateFeatures(Errno.EINVAL, ALL, mask(ImageFeature.FAST_DIFF), true));
        assertEquals("librbd::Operations: one or more requested features are already disabled",
                LibrbdLogTexts.updateFeatures(Errno.EINVAL, locked, mask(ImageFeature.FAST_DIFF), false));
        assertEquals("librbd::EnableFeaturesRequest: cannot enable object-map. exclusive-lock must be enabled before"
                + " enabling object-map.", LibrbdLogTexts.updateFeatures(Errno.EINVAL, mask(ImageFeature.LAYERING),
                mask(ImageFeature.FAST_DIFF), true));
        assertEquals("librbd::EnableFeaturesRequest: cannot enable journaling. exclusive-lock must be enabled before"
                + " enabling journaling.", LibrbdLogTexts.updateFeatures(Errno.EINVAL, mask(ImageFeature.LAYERING),
                mask(ImageFeature.JOURNALING), true));
        assertEquals("librbd::DisableFeaturesRequest: cannot disable exclusive-lock. object-map or journaling must be"
                + " disabled before disabling exclusive-lock.", LibrbdLogTexts.updateFeatures(Errno.EINVAL, ALL,
                mask(ImageFeature.EXCLUSIVE_LOCK), false));
        assertEquals("librbd::DisableFeaturesRequest: cannot disable journaling: journal-based mirroring enabled and"
                + " mirror pool mode set to image", LibrbdLogTexts.updateFeatures(Errno.EINVAL,
                locked | ImageFeature.JOURNALING.bit(), mask(ImageFeature.JOURNALING), false));
        assertNull(LibrbdLogTexts.updateFeatures(Errno.EROFS, ALL, mask(ImageFeature.FAST_DIFF), true));
    }

    @Test
    void rebuildRefusal() {
        assertEquals("librbd::Operations: image must support object-map feature",
                LibrbdLogTexts.rebuildObjectMap(Errno.EINVAL, mask(ImageFeature.LAYERING)));
        assertNull(LibrbdLogTexts.rebuildObjectMap(Errno.EINVAL, ALL));
    }
}
