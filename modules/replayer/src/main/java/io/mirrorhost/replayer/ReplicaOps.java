package io.mirrorhost.replayer;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.vertx.core.Future;

/**
 * The librbd internals rbd-mirror uses on the replica side that the cluster SPI does not offer yet:
 * creating an image as the non-primary copy of a given global id, reading the resync flag, and
 * recording a demotion when copying one. {@link #spi()} does what the SPI allows today; a backend
 * or a test can supply the rest.
 */
public interface ReplicaOps {
    /** Creates {@code spec} mirror-enabled in snapshot mode, non-primary, with {@code globalId}. */
    Future<Void> createNonPrimaryImage(Cluster local, ImageSpec spec, ImageOptions options, String globalId,
                                       String primaryMirrorUuid);

    /** Whether {@code rbd mirror image resync} flagged the local copy. */
    Future<Boolean> resyncRequested(Cluster local, Image image);

    /** Creates the incomplete non-primary snapshot that copies {@code primarySnapId}. */
    Future<Long> createNonPrimarySnapshot(Image image, String primaryMirrorUuid, long primarySnapId, boolean demoted);

    /** Only what the SPI has: no image creation by global id, no resync flag, no demoted copies. */
    static ReplicaOps spi() {
        return new ReplicaOps() {
            @Override
            public Future<Void> createNonPrimaryImage(Cluster local, ImageSpec spec, ImageOptions options,
                                                      String globalId, String primaryMirrorUuid) {
                return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP,
                        "the cluster SPI cannot create a non-primary image of global id " + globalId));
            }

            @Override
            public Future<Boolean> resyncRequested(Cluster local, Image image) {
                return Future.succeededFuture(false);
            }

            @Override
            public Future<Long> createNonPrimarySnapshot(Image image, String primaryMirrorUuid, long primarySnapId,
                                                         boolean demoted) {
                return image.mirrorCreateNonPrimarySnapshot(primaryMirrorUuid, primarySnapId, java.util.Map.of());
            }
        };
    }
}
