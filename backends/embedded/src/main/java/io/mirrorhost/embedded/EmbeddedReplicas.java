package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.embedded.MirrorRecords.ImageRow;
import io.vertx.core.Future;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The librbd internals rbd-mirror uses on the replica side, behind the SPI's replay calls
 * ({@code Cluster.mirrorCreateNonPrimaryImage}, {@code Image.mirrorResyncRequested},
 * {@code Image.mirrorCreateNonPrimarySnapshot(..., demoted)}): creating an image as the non-primary
 * copy of a global id, reading the resync flag, creating a non-primary mirror-snapshot that copies a
 * demotion. The static entry points take an in-process {@link EmbeddedCluster} or image.
 */
public final class EmbeddedReplicas {
    private static final String UTIL = "librbd::mirror::snapshot::util:  can_create_non_primary_snapshot: ";

    private EmbeddedReplicas() {
    }

    /**
     * Creates {@code spec} as the snapshot-mode mirror copy of {@code globalId}; it becomes
     * non-primary with its first non-primary snapshot (librbd's CREATING state until then).
     */
    public static Future<Void> createNonPrimaryImage(Cluster cluster, ImageSpec spec, ImageOptions options,
                                                     String globalId) {
        if (!(cluster instanceof EmbeddedCluster embedded)) {
            return unsupported();
        }
        ClusterStore store = embedded.store();
        return store.executor.run(store.lane, () -> store.metadata.transaction(t -> {
            long poolId = ClusterStore.poolNamespace(t, spec.pool(), spec.namespace());
            if (MirrorRecords.mode(t, poolId, spec.namespace()) == MirrorMode.DISABLED) {
                throw ClusterException.invalid("mirroring is not enabled on " + spec.poolNamespace());
            }
            if (globalId == null || globalId.isBlank()) {
                throw ClusterException.invalid("a mirror copy needs the global id of its primary");
            }
            if (MirrorRecords.imageByGlobalId(t, poolId, spec.namespace(), globalId).isPresent()) {
                throw ClusterException.exists("an image with global id " + globalId + " already exists in "
                    + spec.poolNamespace());
            }
            String imageId = ImageCatalog.create(t, spec, options);
            // librbd's EnableRequest marks a copy rbd-mirror creates with the non-primary feature
            t.update("UPDATE images SET features = features | ? WHERE id = ?", ImageFeature.NON_PRIMARY.bit(), imageId);
            t.update("INSERT OR REPLACE INTO mirror_images (image_id, global_id, mode, state, is_primary,"
                + " resync_requested, promotion) VALUES (?, ?, 'SNAPSHOT', 'ENABLED', 0, 0, 'NON_PRIMARY')",
                imageId, globalId);
            return null;
        }));
    }

    /** Whether {@code rbd mirror image resync} flagged the image. */
    public static Future<Boolean> resyncRequested(Image image) {
        if (!(image instanceof EmbeddedImage embedded)) {
            return unsupported();
        }
        ImageStore store = embedded.store();
        return store.cluster().executor.run(store.lane(), () -> store.cluster().metadata.transaction(t ->
            MirrorRecords.image(t, store.imageId()).map(ImageRow::resyncRequested).orElse(false)));
    }

    /**
     * librbd's {@code CreateNonPrimaryRequest}: an incomplete non-primary snapshot copying
     * {@code primarySnapId}; with {@code demoted} it records a copied demotion (the image then reads
     * as an orphan and may be promoted without force) and is linked to the pool's tx peers.
     */
    public static Future<Long> createNonPrimarySnapshot(Image image, String primaryMirrorUuid, long primarySnapId,
                                                        Map<Long, Long> snapSeqs, boolean demoted) {
        if (!(image instanceof EmbeddedImage embedded)) {
            return unsupported();
        }
        ImageStore store = embedded.store();
        return store.cluster().executor.run(store.lane(), () -> {
            embedded.checkOpen();
            canCreateNonPrimary(store.snapshots());
            String globalId = store.cluster().metadata.transaction(t -> MirrorRecords.image(t, store.imageId())
                .map(ImageRow::globalId)
                .orElseThrow(() -> ClusterException.invalid("mirroring is not enabled on image " + store.spec())));
            Set<String> peers = demoted ? txPeers(store) : Set.of();
            MirrorSnapshotInfo info = new MirrorSnapshotInfo(demoted ? MirrorSnapshotState.NON_PRIMARY_DEMOTED
                : MirrorSnapshotState.NON_PRIMARY, false, peers, primaryMirrorUuid, primarySnapId, 0, snapSeqs);
            return store.createMirrorSnap(MirrorSnapshots.nonPrimaryName(globalId), info);
        });
    }

    /** librbd's {@code can_create_non_primary_snapshot}. */
    static void canCreateNonPrimary(List<Snap> oldestFirst) {
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            MirrorSnapshotInfo m = oldestFirst.get(i).mirror();
            if (m == null) {
                continue;
            }
            if (m.state() == MirrorSnapshotState.NON_PRIMARY && !m.complete()) {
                throw ClusterException.invalid(UTIL + "trying to create non-primary snapshot when previous"
                    + " non-primary snapshot is not copied yet");
            }
            if (m.state() == MirrorSnapshotState.PRIMARY) {
                throw ClusterException.invalid(UTIL + "trying to create non-primary snapshot when previous primary"
                    + " snapshot is not in demoted state");
            }
            return;
        }
    }

    private static Set<String> txPeers(ImageStore store) throws SQLException {
        return store.cluster().metadata.transaction(t -> {
            Set<String> uuids = new TreeSet<>();
            MirrorRecords.peers(t, store.poolId()).stream().filter(p -> p.direction() != MirrorPeerDirection.RX_ONLY)
                .forEach(p -> uuids.add(p.uuid()));
            return uuids;
        });
    }

    private static <T> Future<T> unsupported() {
        return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP,
            "replica operations need an in-process embedded cluster"));
    }
}
