package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorImages;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * {@link MirrorImages} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledMirrorImages extends MirrorImages {

    @Override
    default Future<Void> mirrorCreateNonPrimaryImage(ImageSpec spec, ImageOptions options, String globalId,
                                                     String primaryMirrorUuid) {
        return RoleFakes.notModelled("Cluster.mirrorCreateNonPrimaryImage");
    }

    @Override
    default Future<Map<String, MirrorImageInfo>> mirrorImageInfoList(PoolNamespace where) {
        return RoleFakes.notModelled("Cluster.mirrorImageInfoList");
    }

    @Override
    default Future<List<MirrorImageGlobalStatus>> mirrorImageGlobalStatusList(PoolNamespace where) {
        return RoleFakes.notModelled("Cluster.mirrorImageGlobalStatusList");
    }

    @Override
    default Future<Map<MirrorImageStatusState, Integer>> mirrorImageStatusSummary(PoolNamespace where) {
        return RoleFakes.notModelled("Cluster.mirrorImageStatusSummary");
    }

    @Override
    default Future<Void> mirrorImageStatusSet(PoolNamespace where, String globalId, MirrorImageSiteStatus status) {
        return RoleFakes.notModelled("Cluster.mirrorImageStatusSet");
    }

    @Override
    default Future<Void> mirrorImageStatusRemove(PoolNamespace where, String globalId, String mirrorUuid) {
        return RoleFakes.notModelled("Cluster.mirrorImageStatusRemove");
    }

    @Override
    default Future<Map<String, String>> mirrorImageInstanceIdList(PoolNamespace where) {
        return RoleFakes.notModelled("Cluster.mirrorImageInstanceIdList");
    }
}
