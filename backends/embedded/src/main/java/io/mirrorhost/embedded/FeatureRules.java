package io.mirrorhost.embedded;

import static io.mirrorhost.api.cluster.ImageFeature.DATA_POOL;
import static io.mirrorhost.api.cluster.ImageFeature.DEEP_FLATTEN;
import static io.mirrorhost.api.cluster.ImageFeature.EXCLUSIVE_LOCK;
import static io.mirrorhost.api.cluster.ImageFeature.FAST_DIFF;
import static io.mirrorhost.api.cluster.ImageFeature.JOURNALING;
import static io.mirrorhost.api.cluster.ImageFeature.MIGRATING;
import static io.mirrorhost.api.cluster.ImageFeature.NON_PRIMARY;
import static io.mirrorhost.api.cluster.ImageFeature.OBJECT_MAP;
import static io.mirrorhost.api.cluster.ImageFeature.OPERATIONS;

import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageFeature;
import java.util.EnumSet;
import java.util.Set;

/** librbd's rules for the features an image is created with and for {@code rbd_update_features}. */
final class FeatureRules {
    /** What {@code rbd feature enable} may add ({@code RBD_FEATURES_MUTABLE}). */
    static final Set<ImageFeature> MUTABLE = EnumSet.of(EXCLUSIVE_LOCK, OBJECT_MAP, FAST_DIFF, JOURNALING);
    /** What may only be removed ({@code RBD_FEATURES_DISABLE_ONLY}). */
    static final Set<ImageFeature> DISABLE_ONLY = EnumSet.of(DEEP_FLATTEN);
    static final Set<ImageFeature> INTERNAL = EnumSet.of(OPERATIONS, MIGRATING);

    private FeatureRules() {
    }

    /** The feature mask of a new image, or EINVAL with librbd's reason. */
    static long forCreate(Set<ImageFeature> requested, boolean withDataPool) {
        EnumSet<ImageFeature> f = requested.isEmpty() ? EnumSet.noneOf(ImageFeature.class) : EnumSet.copyOf(requested);
        if (f.stream().anyMatch(INTERNAL::contains)) {
            throw ClusterException.invalid("cannot use internally controlled features");
        }
        if (f.contains(DATA_POOL) && !withDataPool) {
            throw ClusterException.invalid("the data-pool feature is set by giving a data pool");
        }
        if (withDataPool) {
            f.add(DATA_POOL);
        }
        checkDependencies(f);
        return ImageFeature.mask(f);
    }

    private static void checkDependencies(Set<ImageFeature> f) {
        if (f.contains(FAST_DIFF) && !f.contains(OBJECT_MAP)) {
            throw ClusterException.invalid("cannot use fast diff without object map");
        }
        if (f.contains(OBJECT_MAP) && !f.contains(EXCLUSIVE_LOCK)) {
            throw ClusterException.invalid("cannot use object map without exclusive lock");
        }
        if (f.contains(JOURNALING) && !f.contains(EXCLUSIVE_LOCK)) {
            throw ClusterException.invalid("cannot use journaling without exclusive lock");
        }
    }

    /** The mask after enabling or disabling {@code change}, or EINVAL as librbd words it. */
    static long update(long current, Set<ImageFeature> change, boolean enable) {
        if (change.isEmpty()) {
            throw ClusterException.invalid("update requires at least one feature");
        }
        for (ImageFeature f : change) {
            boolean allowed = MUTABLE.contains(f) || (!enable && DISABLE_ONLY.contains(f));
            if (!allowed) {
                throw ClusterException.invalid("cannot update immutable features");
            }
        }
        Set<ImageFeature> now = ImageFeature.fromMask(current);
        EnumSet<ImageFeature> next = EnumSet.noneOf(ImageFeature.class);
        next.addAll(now);
        if (enable) {
            if (change.stream().anyMatch(now::contains)) {
                throw ClusterException.invalid("one or more requested features are already enabled");
            }
            next.addAll(change);
            if (change.contains(OBJECT_MAP) && !next.contains(EXCLUSIVE_LOCK)) {
                throw ClusterException.invalid("cannot enable object-map. exclusive-lock must be enabled"
                    + " before enabling object-map.");
            }
            if (change.contains(FAST_DIFF) && !next.contains(OBJECT_MAP)) {
                throw ClusterException.invalid("cannot enable fast-diff. object-map must be enabled"
                    + " before enabling fast-diff.");
            }
            if (change.contains(JOURNALING) && !next.contains(EXCLUSIVE_LOCK)) {
                throw ClusterException.invalid("cannot enable journaling. exclusive-lock must be enabled"
                    + " before enabling journaling.");
            }
        } else {
            if (!now.containsAll(change)) {
                throw ClusterException.invalid("one or more requested features are already disabled");
            }
            next.removeAll(change);
            if (change.contains(EXCLUSIVE_LOCK) && (next.contains(OBJECT_MAP) || next.contains(JOURNALING))) {
                throw ClusterException.invalid("cannot disable exclusive-lock. object-map or journaling must be"
                    + " disabled before disabling exclusive-lock.");
            }
            if (change.contains(OBJECT_MAP) && next.contains(FAST_DIFF)) {
                throw ClusterException.invalid("cannot disable object-map. fast-diff must be disabled"
                    + " before disabling object-map.");
            }
        }
        return ImageFeature.mask(next) | (current & NON_PRIMARY.bit());
    }
}
