package io.mirrorhost.replayer.fake;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.replayer.ReplicaOps;
import io.vertx.core.Future;

/** The replica-side operations on a {@link FakeSite}, as librbd's internals do them. */
public final class FakeReplicaOps implements ReplicaOps {
    private final FakeSite site;

    public FakeReplicaOps(FakeSite site) {
        this.site = site;
    }

    @Override
    public Future<Void> createNonPrimaryImage(Cluster local, ImageSpec spec, ImageOptions options, String globalId,
                                              String primaryMirrorUuid) {
        synchronized (site) {
            FakeImage image = site.createImage(spec.namespace(), spec.name(), options.size(), options.order());
            image.dataPool = options.dataPool();
            site.records.put(image.id, new MirrorImageInfo(globalId, MirrorImageState.ENABLED,
                    MirrorImageMode.SNAPSHOT, false));
        }
        site.notifyMirroring();
        return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> resyncRequested(Cluster local, Image image) {
        return image.info().map(info -> {
            synchronized (site) {
                FakeImage fake = site.images.get(info.id());
                return fake != null && fake.resyncRequested;
            }
        });
    }

    @Override
    public Future<Long> createNonPrimarySnapshot(Image image, String primaryMirrorUuid, long primarySnapId,
                                                 boolean demoted) {
        return image.info().compose(info -> {
            FakeImage fake;
            synchronized (site) {
                fake = site.images.get(info.id());
            }
            try {
                long id = fake.createNonPrimary(primaryMirrorUuid, primarySnapId, demoted);
                fake.changed();
                return Future.succeededFuture(id);
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        });
    }
}
