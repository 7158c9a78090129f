package io.mirrorhost.embedded;

import static io.mirrorhost.api.cluster.ImageFeature.DATA_POOL;
import static io.mirrorhost.api.cluster.ImageFeature.DEEP_FLATTEN;
import static io.mirrorhost.api.cluster.ImageFeature.EXCLUSIVE_LOCK;
import static io.mirrorhost.api.cluster.ImageFeature.FAST_DIFF;
import static io.mirrorhost.api.cluster.ImageFeature.JOURNALING;
import static io.mirrorhost.api.cluster.ImageFeature.LAYERING;
import static io.mirrorhost.api.cluster.ImageFeature.OBJECT_MAP;
import static io.mirrorhost.api.cluster.ImageFeature.OPERATIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageFeature;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FeatureRulesTest {
    private static long mask(ImageFeature... f) {
        return ImageFeature.mask(Set.of(f));
    }

    private static void rejects(String message, Runnable call) {
        ClusterException e = assertThrows(ClusterException.class, call::run);
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(message, e.getMessage());
    }

    @Test
    void createAcceptsRbdDefaultsAndAddsDataPool() {
        assertEquals(ImageFeature.mask(ImageFeature.defaults()), FeatureRules.forCreate(ImageFeature.defaults(), false));
        assertEquals(mask(LAYERING, DATA_POOL), FeatureRules.forCreate(Set.of(LAYERING), true));
        assertEquals(0, FeatureRules.forCreate(Set.of(), false));
    }

    @Test
    void createEnforcesLibrbdDependencies() {
        rejects("cannot use fast diff without object map",
            () -> FeatureRules.forCreate(EnumSet.of(EXCLUSIVE_LOCK, FAST_DIFF), false));
        rejects("cannot use object map without exclusive lock",
            () -> FeatureRules.forCreate(EnumSet.of(OBJECT_MAP), false));
        rejects("cannot use journaling without exclusive lock",
            () -> FeatureRules.forCreate(EnumSet.of(LAYERING, JOURNALING), false));
        rejects("cannot use internally controlled features",
            () -> FeatureRules.forCreate(EnumSet.of(OPERATIONS), false));
        assertEquals(mask(EXCLUSIVE_LOCK, JOURNALING), FeatureRules.forCreate(EnumSet.of(EXCLUSIVE_LOCK, JOURNALING), false));
    }

    @Test
    void enableNeedsTheFeaturesItDependsOn() {
        long base = mask(LAYERING);
        rejects("cannot enable object-map. exclusive-lock must be enabled before enabling object-map.",
            () -> FeatureRules.update(base, Set.of(OBJECT_MAP), true));
        rejects("cannot enable fast-diff. object-map must be enabled before enabling fast-diff.",
            () -> FeatureRules.update(mask(LAYERING, EXCLUSIVE_LOCK), Set.of(FAST_DIFF), true));
        rejects("cannot enable journaling. exclusive-lock must be enabled before enabling journaling.",
            () -> FeatureRules.update(base, Set.of(JOURNALING), true));
        // several at once, dependencies included, as `rbd feature enable img exclusive-lock object-map fast-diff`
        assertEquals(mask(LAYERING, EXCLUSIVE_LOCK, OBJECT_MAP, FAST_DIFF),
            FeatureRules.update(base, Set.of(EXCLUSIVE_LOCK, OBJECT_MAP, FAST_DIFF), true));
        rejects("one or more requested features are already enabled",
            () -> FeatureRules.update(mask(LAYERING, EXCLUSIVE_LOCK), Set.of(EXCLUSIVE_LOCK), true));
    }

    @Test
    void disableInReverseDependencyOrder() {
        long all = ImageFeature.mask(ImageFeature.defaults());
        rejects("cannot disable object-map. fast-diff must be disabled before disabling object-map.",
            () -> FeatureRules.update(all, Set.of(OBJECT_MAP), false));
        rejects("cannot disable exclusive-lock. object-map or journaling must be disabled before disabling exclusive-lock.",
            () -> FeatureRules.update(all, Set.of(EXCLUSIVE_LOCK), false));
        long noFastDiff = FeatureRules.update(all, Set.of(FAST_DIFF), false);
        long noObjectMap = FeatureRules.update(noFastDiff, Set.of(OBJECT_MAP), false);
        assertEquals(mask(LAYERING, DEEP_FLATTEN), FeatureRules.update(noObjectMap, Set.of(EXCLUSIVE_LOCK), false));
        assertEquals(mask(LAYERING, EXCLUSIVE_LOCK), FeatureRules.update(noObjectMap, Set.of(DEEP_FLATTEN), false));
        rejects("one or more requested features are already disabled",
            () -> FeatureRules.update(mask(LAYERING), Set.of(EXCLUSIVE_LOCK), false));
    }

    @Test
    void immutableFeaturesCannotChange() {
        rejects("cannot update immutable features", () -> FeatureRules.update(0, Set.of(LAYERING), true));
        rejects("cannot update immutable features", () -> FeatureRules.update(mask(LAYERING), Set.of(LAYERING), false));
        rejects("cannot update immutable features", () -> FeatureRules.update(0, Set.of(DEEP_FLATTEN), true));
        rejects("update requires at least one feature", () -> FeatureRules.update(0, Set.of(), true));
    }
}
