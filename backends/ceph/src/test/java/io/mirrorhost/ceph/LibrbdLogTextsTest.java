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

    @Test
    void createRefusals() {
        assertEquals("librbd::image::CreateRequest: validate_features: cannot use journaling without exclusive lock",
                LibrbdLogTexts.createFeatures(Errno.EINVAL, mask(ImageFeature.JOURNALING)));
        assertEquals("librbd::image::CreateRequest: validate_features: cannot use object map without exclusive lock",
                LibrbdLogTexts.createFeatures(Errno.EINVAL, mask(ImageFeature.OBJECT_MAP, ImageFeature.JOURNALING)));
        assertNull(LibrbdLogTexts.createFeatures(Errno.EINVAL, mask(ImageFeature.LAYERING, ImageFeature.FAST_DIFF)));
        assertNull(LibrbdLogTexts.createFeatures(Errno.EEXIST, mask(ImageFeature.JOURNALING)));
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
