package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.Set;

/**
 * What the image's header says about its layout, and changing it: its size ({@code rbd_resize}),
 * features ({@code rbd_update_features}) and object map. Changed by {@code rbd resize} and
 * {@code rbd feature} commands, and by the replayer when the primary was resized.
 */
public interface ImageShape {

    Future<Void> resize(long newSize);

    /** Enables or disables features ({@code rbd_update_features}), with librbd's dependency rules. */
    Future<Void> updateFeatures(Set<ImageFeature> features, boolean enabled);

    /**
     * Rebuilds the object map of this handle's point, the head or its snapshot
     * ({@code rbd_rebuild_object_map}), clearing its invalid flags; EINVAL without the object-map feature.
     */
    Future<Void> objectMapRebuild();
}
