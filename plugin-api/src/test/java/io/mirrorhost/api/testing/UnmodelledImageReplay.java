package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.ImageReplay;
import io.vertx.core.Future;
import java.util.Map;

/**
 * {@link ImageReplay} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledImageReplay extends ImageReplay {

    @Override
    default Future<Long> mirrorCreateNonPrimarySnapshot(String primaryMirrorUuid, long primarySnapId,
                                                        Map<Long, Long> snapSeqs, boolean demoted) {
        return RoleFakes.notModelled("Image.mirrorCreateNonPrimarySnapshot");
    }

    @Override
    default Future<Boolean> mirrorResyncRequested() {
        return RoleFakes.notModelled("Image.mirrorResyncRequested");
    }

    @Override
    default Future<Void> mirrorSnapshotSetCopyProgress(long snapId, boolean complete, long lastCopiedObjectNumber) {
        return RoleFakes.notModelled("Image.mirrorSnapshotSetCopyProgress");
    }

    @Override
    default Future<Void> mirrorSnapshotUnlinkPeer(long snapId, String peerUuid) {
        return RoleFakes.notModelled("Image.mirrorSnapshotUnlinkPeer");
    }
}
