package io.mirrorhost.api.cluster;

import java.util.Set;

/**
 * What {@code rbd_create4} takes: size in bytes, object size as a power of two ({@code order}, 22 =
 * 4 MiB), features, and an optional data pool that holds the data objects.
 */
public record ImageOptions(long size, int order, Set<ImageFeature> features, String dataPool) {

    public static final int DEFAULT_ORDER = 22;

    public ImageOptions {
        features = Set.copyOf(features);
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        if (order < 12 || order > 25) {
            throw new IllegalArgumentException("order must be between 12 and 25");
        }
    }

    public static ImageOptions of(long size) {
        return new ImageOptions(size, DEFAULT_ORDER, ImageFeature.defaults(), null);
    }
}
