package io.mirrorhost.embedded;

import static io.mirrorhost.api.cluster.ImageFeature.DATA_POOL;
import static io.mirrorhost.api.cluster.ImageFeature.DEEP_FLATTEN;
import static io.mirrorhost.api.cluster.ImageFeature.EXCLUSIVE_LOCK;
import static io.mirrorhost.api.cluster.ImageFeature.FAST_DIFF;
import static io.mirrorhost.api.cluster.ImageFeature.JOURNALING;
import static io.mirrorhost.api.cluster.ImageFeature.LAYERING;
import static io.mirrorhost.api.cluster.ImageFeature.MIGRATING;
import static io.mirrorhost.api.cluster.ImageFeature.NON_PRIMARY;
import static io.mirrorhost.api.cluster.ImageFeature.OBJECT_MAP;
import static io.mirrorhost.api.cluster.ImageFeature.OPERATIONS;
import static io.mirrorhost.api.cluster.ImageFeature.STRIPINGV2;
import static io.mirrorhost.embedded.ObjectMapFlags.FAST_DIFF_INVALID;
import static io.mirrorhost.embedded.ObjectMapFlags.OBJECT_MAP_INVALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageFeature;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The outcomes and log lines below were observed with rbd 16.2.15 on a one-node cluster. */
class FeatureRulesTest {
    private static final long BOTH_INVALID = OBJECT_MAP_INVALID | FAST_DIFF_INVALID;

    private static long mask(ImageFeature... f) {
        return ImageFeature.mask(Set.of(f));
    }

    private static void rejects(String message, Runnable call) {
        ClusterException e = assertThrows(ClusterException.class, call::run);
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(message, e.getMessage());
    }

    private static FeatureRules.Update enable(long current, ImageFeature... change) {
        return FeatureRules.update(current, Set.of(change), true);
    }

    private static FeatureRules.Update disable(long current, ImageFeature... change) {
        return FeatureRules.update(current, Set.of(change), false);
    }

    @Test
    void createAcceptsRbdDefaultsAndAddsDataPool() {
        assertEquals(ImageFeature.mask(ImageFeature.defaults()), FeatureRules.forCreate(ImageFeature.defaults(), false));
        assertEquals(mask(LAYERING, DATA_POOL), FeatureRules.forCreate(Set.of(LAYERING), true));
        assertEquals(0, FeatureRules.forCreate(Set.of(), false));
    }

    @Test
    void createGivesFastDiffExactlyToImagesWithObjectMap() {
        // `create --image-feature exclusive-lock,object-map` -> exclusive-lock, object-map, fast-diff
        assertEquals(mask(EXCLUSIVE_LOCK, OBJECT_MAP, FAST_DIFF),
            FeatureRules.forCreate(EnumSet.of(EXCLUSIVE_LOCK, OBJECT_MAP), false));
        // `create --image-feature layering,fast-diff` -> layering
        assertEquals(mask(LAYERING), FeatureRules.forCreate(EnumSet.of(LAYERING, FAST_DIFF), false));
    }

    @Test
    void createDropsTheFeaturesLibrbdSetsItself() {
        // data-pool without a data pool, operations, migrating, non-primary, striping: all silently dropped
        assertEquals(mask(LAYERING), FeatureRules.forCreate(EnumSet.of(LAYERING, DATA_POOL, OPERATIONS, MIGRATING,
            NON_PRIMARY, STRIPINGV2), false));
    }

    @Test
    void objectMapLimitsTheImageSizeAsLibrbd() {
        long withMap = mask(EXCLUSIVE_LOCK, OBJECT_MAP, FAST_DIFF);
        long largest = FeatureRules.MAX_OBJECT_MAP_OBJECTS << 22;
        FeatureRules.checkCreateLayout(withMap, largest, 22);
        rejects("librbd::image::CreateRequest: validate_layout: image size not compatible with object map",
            () -> FeatureRules.checkCreateLayout(withMap, largest + 1, 22));
        // 1 PiB in 4 MiB objects is 268,435,456 objects; in 32 MiB objects it fits
        rejects("librbd::image::CreateRequest: validate_layout: image size not compatible with object map",
            () -> FeatureRules.checkCreateLayout(withMap, 1L << 50, 22));
        FeatureRules.checkCreateLayout(withMap, 1L << 50, 25);
        FeatureRules.checkCreateLayout(mask(LAYERING, EXCLUSIVE_LOCK), 1L << 60, 22);
        rejects("librbd::Operations: New size not compatible with object map",
            () -> FeatureRules.checkResize(withMap, 1L << 50, 22));
        FeatureRules.checkResize(mask(LAYERING), 1L << 50, 22);
    }

    @Test
    void createEnforcesLibrbdDependencies() {
        rejects("librbd::image::CreateRequest: validate_features: cannot use object map without exclusive lock",
            () -> FeatureRules.forCreate(EnumSet.of(LAYERING, OBJECT_MAP), false));
        rejects("librbd::image::CreateRequest: validate_features: cannot use object map without exclusive lock",
            () -> FeatureRules.forCreate(EnumSet.of(FAST_DIFF, OBJECT_MAP, JOURNALING), false));
        rejects("librbd::image::CreateRequest: validate_features: cannot use journaling without exclusive lock",
            () -> FeatureRules.forCreate(EnumSet.of(JOURNALING), false));
        assertEquals(mask(EXCLUSIVE_LOCK, JOURNALING), FeatureRules.forCreate(EnumSet.of(EXCLUSIVE_LOCK, JOURNALING), false));
    }

    @Test
    void enablingObjectMapOrFastDiffEnablesBothWithInvalidMaps() {
        long locked = mask(LAYERING, EXCLUSIVE_LOCK);
        long both = mask(LAYERING, EXCLUSIVE_LOCK, OBJECT_MAP, FAST_DIFF);
        assertEquals(new FeatureRules.Update(both, BOTH_INVALID, 0), enable(locked, OBJECT_MAP));
        assertEquals(new FeatureRules.Update(both, BOTH_INVALID, 0), enable(locked, FAST_DIFF));
        assertEquals(new FeatureRules.Update(both, BOTH_INVALID, 0), enable(locked, OBJECT_MAP, FAST_DIFF));
        // with exclusive-lock in the same request, as `feature enable img exclusive-lock,object-map`
        assertEquals(new FeatureRules.Update(both, BOTH_INVALID, 0), enable(mask(LAYERING), EXCLUSIVE_LOCK, OBJECT_MAP));
        rejects("librbd::Operations: one or more requested features are already enabled",
            () -> enable(both, OBJECT_MAP, FAST_DIFF));
        rejects("librbd::Operations: one or more requested features are already enabled", () -> enable(both, FAST_DIFF));
    }

    @Test
    void enableNeedsExclusiveLock() {
        long base = mask(LAYERING);
        String objectMap = "librbd::EnableFeaturesRequest: cannot enable object-map. exclusive-lock must be enabled"
            + " before enabling object-map.";
        rejects(objectMap, () -> enable(base, OBJECT_MAP));
        rejects(objectMap, () -> enable(base, FAST_DIFF));
        rejects("librbd::EnableFeaturesRequest: cannot enable journaling. exclusive-lock must be enabled before"
            + " enabling journaling.", () -> enable(base, JOURNALING));
        assertEquals(new FeatureRules.Update(mask(LAYERING, EXCLUSIVE_LOCK, JOURNALING), 0, 0),
            enable(base, EXCLUSIVE_LOCK, JOURNALING));
        rejects("librbd::Operations: one or more requested features are already enabled",
            () -> enable(mask(LAYERING, EXCLUSIVE_LOCK), EXCLUSIVE_LOCK));
    }

    @Test
    void disablingObjectMapOrFastDiffDisablesBothAndClearsTheirFlags() {
        long all = ImageFeature.mask(ImageFeature.defaults());
        long rest = mask(LAYERING, EXCLUSIVE_LOCK, DEEP_FLATTEN);
        assertEquals(new FeatureRules.Update(rest, 0, BOTH_INVALID), disable(all, FAST_DIFF));
        assertEquals(new FeatureRules.Update(rest, 0, BOTH_INVALID), disable(all, OBJECT_MAP));
        assertEquals(new FeatureRules.Update(mask(LAYERING, DEEP_FLATTEN), 0, BOTH_INVALID),
            disable(all, EXCLUSIVE_LOCK, OBJECT_MAP));
        rejects("librbd::Operations: one or more requested features are already disabled", () -> disable(rest, OBJECT_MAP));
    }

    @Test
    void exclusiveLockGoesLast() {
        long all = ImageFeature.mask(ImageFeature.defaults());
        String message = "librbd::DisableFeaturesRequest: cannot disable exclusive-lock. object-map or journaling must be"
            + " disabled before disabling exclusive-lock.";
        rejects(message, () -> disable(all, EXCLUSIVE_LOCK));
        rejects(message, () -> disable(all | JOURNALING.bit(), EXCLUSIVE_LOCK, OBJECT_MAP, FAST_DIFF));
        assertEquals(new FeatureRules.Update(mask(LAYERING, DEEP_FLATTEN), 0, 0),
            disable(mask(LAYERING, EXCLUSIVE_LOCK, DEEP_FLATTEN), EXCLUSIVE_LOCK));
        assertEquals(new FeatureRules.Update(mask(LAYERING, EXCLUSIVE_LOCK), 0, 0),
            disable(mask(LAYERING, EXCLUSIVE_LOCK, DEEP_FLATTEN), DEEP_FLATTEN));
        assertEquals(new FeatureRules.Update(mask(EXCLUSIVE_LOCK, NON_PRIMARY), 0, 0),
            disable(mask(EXCLUSIVE_LOCK, JOURNALING, NON_PRIMARY), JOURNALING));
    }

    @Test
    void immutableFeaturesCannotChange() {
        String immutable = "librbd::Operations: cannot update immutable features";
        rejects(immutable, () -> enable(0, LAYERING));
        rejects(immutable, () -> disable(mask(LAYERING), LAYERING));
        rejects(immutable, () -> enable(0, DEEP_FLATTEN));
        rejects(immutable, () -> disable(mask(LAYERING, DEEP_FLATTEN), LAYERING, DEEP_FLATTEN));
        rejects(immutable, () -> disable(mask(NON_PRIMARY), NON_PRIMARY));
        rejects("librbd::Operations: update requires at least one feature", () -> enable(0));
    }
}
