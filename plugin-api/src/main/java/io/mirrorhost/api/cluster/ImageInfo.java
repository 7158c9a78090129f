package io.mirrorhost.api.cluster;

import java.time.Instant;
import java.util.Set;

/** What {@code rbd info} shows about an image (librbd's {@code rbd_stat} and friends). */
public record ImageInfo(String name, String id, long size, int order, Set<ImageFeature> features,
                        Set<String> flags, String dataPool, long snapshotCount, Instant createTimestamp,
                        Instant accessTimestamp, Instant modifyTimestamp) {

    public ImageInfo {
        features = Set.copyOf(features);
        flags = Set.copyOf(flags);
    }

    public long objectSize() {
        return 1L << order;
    }

    public long objectCount() {
        return (size + objectSize() - 1) / objectSize();
    }

    /** {@code rbd_data.<id>}, the prefix of the image's data objects. */
    public String blockNamePrefix() {
        return "rbd_data." + id;
    }
}
