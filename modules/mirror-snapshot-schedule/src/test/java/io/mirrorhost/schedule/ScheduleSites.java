package io.mirrorhost.schedule;

import static io.mirrorhost.api.testing.Deadlines.await;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.embedded.testing.TwoEmbeddedSites;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The two sites of {@link TwoEmbeddedSites}, with the images a schedule test arranges on them. */
final class ScheduleSites extends TwoEmbeddedSites {
    ScheduleSites(Path dir) {
        super(dir);
    }

    /** An image on site-a, mirrored in {@code mode} (null: not mirrored); returns its id. */
    String primary(ImageSpec spec, MirrorImageMode mode) {
        await(siteA.createImage(spec, ImageOptions.of(4L << 20)));
        Image image = await(siteA.openImage(spec));
        try {
            if (mode != null) {
                await(image.mirrorEnable(mode));
            }
            return await(image.info()).id();
        } finally {
            await(image.close());
        }
    }

    /**
     * The non-primary copy of a site-a image on site-b, made through the SPI as rbd-mirror makes it
     * (the replayer is a module of its own, not run here): an image with the primary's global id,
     * then a complete non-primary mirror-snapshot of the primary's latest.
     */
    void replicaOnSiteB(ImageSpec spec) {
        List<SnapInfo> primarySnaps = mirrorSnaps(siteA, spec);
        long primarySnapId = primarySnaps.get(primarySnaps.size() - 1).id();
        Image primary = await(siteA.openImage(spec));
        String globalId;
        try {
            globalId = await(primary.mirrorInfo()).globalId();
        } finally {
            await(primary.close());
        }
        String primaryMirrorUuid = await(siteA.mirrorUuidGet(spec.pool()));
        await(siteB.mirrorCreateNonPrimaryImage(spec, ImageOptions.of(4L << 20), globalId, primaryMirrorUuid));
        Image replica = await(siteB.openImage(spec));
        try {
            long snap = await(replica.mirrorCreateNonPrimarySnapshot(primaryMirrorUuid, primarySnapId, Map.of()));
            await(replica.mirrorSnapshotSetCopyProgress(snap, true, 0));
        } finally {
            await(replica.close());
        }
    }
}
