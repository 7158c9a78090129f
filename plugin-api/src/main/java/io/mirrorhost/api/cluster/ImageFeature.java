package io.mirrorhost.api.cluster;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** RBD image features with librbd's bits ({@code RBD_FEATURE_*}) and names. */
public enum ImageFeature {
    LAYERING(1L, "layering"),
    STRIPINGV2(1L << 1, "striping"),
    EXCLUSIVE_LOCK(1L << 2, "exclusive-lock"),
    OBJECT_MAP(1L << 3, "object-map"),
    FAST_DIFF(1L << 4, "fast-diff"),
    DEEP_FLATTEN(1L << 5, "deep-flatten"),
    JOURNALING(1L << 6, "journaling"),
    DATA_POOL(1L << 7, "data-pool"),
    OPERATIONS(1L << 8, "operations"),
    MIGRATING(1L << 9, "migrating"),
    NON_PRIMARY(1L << 10, "non-primary");

    private final long bit;
    private final String featureName;

    ImageFeature(long bit, String featureName) {
        this.bit = bit;
        this.featureName = featureName;
    }

    public long bit() {
        return bit;
    }

    /** The name rbd prints and accepts ({@code exclusive-lock}). */
    public String featureName() {
        return featureName;
    }

    public static Optional<ImageFeature> byName(String name) {
        for (ImageFeature f : values()) {
            if (f.featureName.equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public static long mask(Collection<ImageFeature> features) {
        long mask = 0;
        for (ImageFeature f : features) {
            mask |= f.bit;
        }
        return mask;
    }

    public static Set<ImageFeature> fromMask(long mask) {
        EnumSet<ImageFeature> set = EnumSet.noneOf(ImageFeature.class);
        for (ImageFeature f : values()) {
            if ((mask & f.bit) != 0) {
                set.add(f);
            }
        }
        return set;
    }

    /** rbd's default for new images: layering, exclusive-lock, object-map, fast-diff, deep-flatten. */
    public static Set<ImageFeature> defaults() {
        return EnumSet.of(LAYERING, EXCLUSIVE_LOCK, OBJECT_MAP, FAST_DIFF, DEEP_FLATTEN);
    }
}
