package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The mirror-enabled images of a pool or namespace and their replay statuses
 * ({@code rbd_mirror_image_info_list}, {@code rbd_mirror_image_status_*}): listed on every scan by
 * the replayer and the schedule module, summarised by status commands and collectors; the replayer
 * creates its non-primary copies here and records each image's status as it replays.
 */
public interface MirrorImages {

    /**
     * Creates {@code spec} as the snapshot-mode, non-primary mirror copy of the image with
     * {@code globalId} whose primary lives in the pool with mirror uuid {@code primaryMirrorUuid}
     * (rbd-mirror's {@code CreateImageRequest}; librbd's {@code mirror::EnableRequest} with a
     * non-primary global id). EEXIST if the pool already has a copy of that global id.
     */
    Future<Void> mirrorCreateNonPrimaryImage(ImageSpec spec, ImageOptions options, String globalId,
                                             String primaryMirrorUuid);

    /** Every mirror-enabled image of a pool or namespace, by image id. */
    Future<Map<String, MirrorImageInfo>> mirrorImageInfoList(PoolNamespace where);

    Future<List<MirrorImageGlobalStatus>> mirrorImageGlobalStatusList(PoolNamespace where);

    /** Counts of images by replay state, as {@code rbd mirror pool status} summarises them. */
    Future<Map<MirrorImageStatusState, Integer>> mirrorImageStatusSummary(PoolNamespace where);

    /** A daemon records an image's status for its site (rbd-mirror's {@code mirror_image_status_set}). */
    Future<Void> mirrorImageStatusSet(PoolNamespace where, String globalId, MirrorImageSiteStatus status);

    Future<Void> mirrorImageStatusRemove(PoolNamespace where, String globalId, String mirrorUuid);

    /**
     * Image id to the instance id of the client whose local status for it is up
     * ({@code rbd_mirror_image_instance_id_list}); see {@link ServiceMap#instanceId}.
     */
    Future<Map<String, String>> mirrorImageInstanceIdList(PoolNamespace where);
}
