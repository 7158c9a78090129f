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
import static io.mirrorhost.api.cluster.ImageFeature.STRIPINGV2;

import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageFeature;
import java.util.EnumSet;
import java.util.Set;

/**
 * librbd 16.2's rules for the features an image is created with ({@code image::CreateRequest}) and for
 * {@code rbd_update_features} ({@code Operations::update_features}, {@code EnableFeaturesRequest},
 * {@code DisableFeaturesRequest}). Refusals are EINVAL with the line librbd logs as their message.
 */
final class FeatureRules {
    /** What {@code rbd feature enable} may add ({@code RBD_FEATURES_MUTABLE}). */
    static final Set<ImageFeature> MUTABLE = EnumSet.of(EXCLUSIVE_LOCK, OBJECT_MAP, FAST_DIFF, JOURNALING);
    /** What may only be removed ({@code RBD_FEATURES_DISABLE_ONLY}). */
    static final Set<ImageFeature> DISABLE_ONLY = EnumSet.of(DEEP_FLATTEN);
    /** What librbd sets itself and drops from a create request ({@code RBD_FEATURES_IMPLICIT_ENABLE}). */
    static final Set<ImageFeature> IMPLICIT = EnumSet.of(STRIPINGV2, DATA_POOL, FAST_DIFF, OPERATIONS, MIGRATING,
        NON_PRIMARY);

    static final String CREATE = "librbd::image::CreateRequest: validate_features: ";
    static final String OPERATIONS_LOG = "librbd::Operations: ";
    static final String ENABLE = "librbd::EnableFeaturesRequest: ";
    static final String DISABLE = "librbd::DisableFeaturesRequest: ";

    private FeatureRules() {
    }

    /**
     * The feature mask of a new image, or EINVAL with librbd's reason. As librbd, it drops the features
     * it controls itself, then gives fast-diff to an image with object-map and data-pool to one with a
     * separate data pool.
     */
    static long forCreate(Set<ImageFeature> requested, boolean withDataPool) {
        EnumSet<ImageFeature> f = EnumSet.noneOf(ImageFeature.class);
        f.addAll(requested);
        f.removeAll(IMPLICIT);
        if (f.contains(OBJECT_MAP)) {
            f.add(FAST_DIFF);
        }
        if (withDataPool) {
            f.add(DATA_POOL);
        }
        if (f.contains(OBJECT_MAP) && !f.contains(EXCLUSIVE_LOCK)) {
            throw ClusterException.invalid(CREATE + "cannot use object map without exclusive lock");
        }
        if (f.contains(JOURNALING) && !f.contains(EXCLUSIVE_LOCK)) {
            throw ClusterException.invalid(CREATE + "cannot use journaling without exclusive lock");
        }
        return ImageFeature.mask(f);
    }

    /** The most objects an object map holds ({@code cls::rbd::MAX_OBJECT_MAP_OBJECT_COUNT}). */
    static final long MAX_OBJECT_MAP_OBJECTS = 256_000_000L;

    /** {@code CreateRequest::validate_layout}: an image with object-map may not outgrow its map. */
    static void checkCreateLayout(long features, long size, int order) {
        if (!objectMapFits(features, size, order)) {
            throw ClusterException.invalid("librbd::image::CreateRequest: validate_layout: image size not compatible"
                + " with object map");
        }
    }

    /** {@code Operations::resize}: the same limit for the new size (a negative one is refused elsewhere). */
    static void checkResize(long features, long newSize, int order) {
        if (newSize >= 0 && !objectMapFits(features, newSize, order)) {
            throw ClusterException.invalid(OPERATIONS_LOG + "New size not compatible with object map");
        }
    }

    /** {@code ObjectMap::is_compatible}, for images without object-map always true. */
    private static boolean objectMapFits(long features, long size, int order) {
        long objects = (size >>> order) + ((size & ((1L << order) - 1)) == 0 ? 0 : 1);
        return (features & OBJECT_MAP.bit()) == 0 || objects <= MAX_OBJECT_MAP_OBJECTS;
    }

    /**
     * The outcome of an accepted update: the new mask and the {@link ObjectMapFlags} to set (enabling
     * object-map leaves the new map invalid until it is rebuilt) or to clear (disabling it).
     */
    record Update(long features, long setFlags, long clearFlags) {
    }

    /** Enabling or disabling {@code change} on an image with {@code current}, or EINVAL as librbd words it. */
    static Update update(long current, Set<ImageFeature> change, boolean enable) {
        for (ImageFeature f : change) {
            boolean allowed = MUTABLE.contains(f) || (!enable && DISABLE_ONLY.contains(f));
            if (!allowed) {
                throw ClusterException.invalid(OPERATIONS_LOG + "cannot update immutable features");
            }
        }
        Set<ImageFeature> now = ImageFeature.fromMask(current);
        EnumSet<ImageFeature> requested = EnumSet.noneOf(ImageFeature.class);
        requested.addAll(change);
        if (interlocks(now, requested, enable)) {
            requested.addAll(EnumSet.of(OBJECT_MAP, FAST_DIFF));
        }
        if (requested.isEmpty()) {
            throw ClusterException.invalid(OPERATIONS_LOG + "update requires at least one feature");
        }
        if (enable && requested.stream().anyMatch(now::contains)) {
            throw ClusterException.invalid(OPERATIONS_LOG + "one or more requested features are already enabled");
        }
        if (!enable && !now.containsAll(requested)) {
            throw ClusterException.invalid(OPERATIONS_LOG + "one or more requested features are already disabled");
        }
        return enable ? enable(current, now, requested) : disable(current, now, requested);
    }

    /** {@code Operations::update_features}: object-map and fast-diff go on and off together. */
    private static boolean interlocks(Set<ImageFeature> now, Set<ImageFeature> requested, boolean enable) {
        if (enable) {
            return (requested.contains(OBJECT_MAP) && !now.contains(FAST_DIFF))
                || (requested.contains(FAST_DIFF) && !now.contains(OBJECT_MAP));
        }
        return requested.contains(OBJECT_MAP) && now.contains(FAST_DIFF);
    }

    /** {@code EnableFeaturesRequest::handle_get_mirror_mode}. */
    private static Update enable(long current, Set<ImageFeature> now, Set<ImageFeature> requested) {
        EnumSet<ImageFeature> added = EnumSet.copyOf(requested);
        added.removeAll(now);
        if (added.contains(OBJECT_MAP) || added.contains(FAST_DIFF)) {
            added.addAll(EnumSet.of(OBJECT_MAP, FAST_DIFF));
        }
        EnumSet<ImageFeature> next = EnumSet.copyOf(added);
        next.addAll(now);
        long flags = 0;
        if (added.contains(OBJECT_MAP)) {
            if (!next.contains(EXCLUSIVE_LOCK)) {
                throw ClusterException.invalid(ENABLE + "cannot enable object-map. exclusive-lock must be enabled"
                    + " before enabling object-map.");
            }
            flags |= ObjectMapFlags.OBJECT_MAP_INVALID;
        }
        if (added.contains(FAST_DIFF)) {
            flags |= ObjectMapFlags.FAST_DIFF_INVALID;
        }
        if (added.contains(JOURNALING) && !next.contains(EXCLUSIVE_LOCK)) {
            throw ClusterException.invalid(ENABLE + "cannot enable journaling. exclusive-lock must be enabled"
                + " before enabling journaling.");
        }
        return new Update(ImageFeature.mask(next) | (current & NON_PRIMARY.bit()), flags, 0);
    }

    /** {@code DisableFeaturesRequest::handle_acquire_exclusive_lock}. */
    private static Update disable(long current, Set<ImageFeature> now, Set<ImageFeature> requested) {
        EnumSet<ImageFeature> removed = EnumSet.copyOf(requested);
        if (removed.contains(OBJECT_MAP) || removed.contains(FAST_DIFF)) {
            removed.addAll(EnumSet.of(OBJECT_MAP, FAST_DIFF));
        }
        removed.retainAll(now);
        EnumSet<ImageFeature> next = EnumSet.noneOf(ImageFeature.class);
        next.addAll(now);
        next.removeAll(removed);
        if (removed.contains(EXCLUSIVE_LOCK) && (next.contains(OBJECT_MAP) || next.contains(JOURNALING))) {
            throw ClusterException.invalid(DISABLE + "cannot disable exclusive-lock. object-map or journaling must be"
                + " disabled before disabling exclusive-lock.");
        }
        long flags = 0;
        if (removed.contains(FAST_DIFF)) {
            flags |= ObjectMapFlags.FAST_DIFF_INVALID;
        }
        if (removed.contains(OBJECT_MAP)) {
            flags |= ObjectMapFlags.OBJECT_MAP_INVALID;
        }
        return new Update(ImageFeature.mask(next) | (current & NON_PRIMARY.bit()), 0, flags);
    }
}
