package io.mirrorhost.rbd.mirror;

import static io.mirrorhost.rbd.mirror.FakeMirrorCluster.call;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageMirroring;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.testing.RoleFakes;
import io.mirrorhost.api.testing.UnmodelledImageHandle;
import io.mirrorhost.api.testing.UnmodelledImageSnapshots;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An image of {@link FakeMirrorCluster}, with librbd's mirroring rules (16.2, {@code librbd/api/Mirror.cc}). */
final class FakeMirrorImage {
    /** {@code rbd_mirroring_max_mirroring_snapshots}. */
    static final int MAX_MIRROR_SNAPSHOTS = 5;

    final FakeMirrorCluster cluster;
    final ImageSpec spec;
    final String id;
    final EnumSet<ImageFeature> features;
    /** null while mirroring was never enabled (cls_rbd has no mirror image record then). */
    MirrorImageState mirrorState;
    MirrorImageMode mirrorMode = MirrorImageMode.JOURNAL;
    String globalId = "";
    boolean primary = true;
    /**
     * For a non-primary image: whether it replays a primary elsewhere (librbd's NON_PRIMARY promotion state)
     * rather than having been demoted here or by a demotion that reached it (ORPHAN).
     */
    boolean remotePrimary;
    boolean resyncRequested;
    final List<SnapInfo> snaps = new ArrayList<>();
    final Map<String, MirrorImageSiteStatus> statuses = new LinkedHashMap<>();
    private long nextSnapId = 1;
    /** Handles opened and not closed yet. */
    int openHandles;

    FakeMirrorImage(FakeMirrorCluster cluster, ImageSpec spec, String id, Set<ImageFeature> features) {
        this.cluster = cluster;
        this.spec = spec;
        this.id = id;
        this.features = features.isEmpty() ? EnumSet.noneOf(ImageFeature.class) : EnumSet.copyOf(features);
    }

    Image asImage() {
        openHandles++;
        return RoleFakes.image(new Handle());
    }

    // --- state changes shared with the pool rules ---

    void enableMirroring(MirrorImageMode mode) {
        mirrorState = MirrorImageState.ENABLED;
        mirrorMode = mode;
        globalId = cluster.nextUuid();
        primary = true;
        if (mode == MirrorImageMode.SNAPSHOT) {
            createMirrorSnapshot(false);
        }
    }

    void disableMirroring() {
        if (mirrorState == null) {
            return;
        }
        if (mirrorMode == MirrorImageMode.JOURNAL) {
            features.remove(ImageFeature.JOURNALING);
        }
        snaps.removeIf(s -> s.namespace() == SnapNamespace.MIRROR);
        mirrorState = null;
        globalId = "";
        primary = true;
        statuses.clear();
    }

    /** A primary (or demoted primary) mirror-snapshot, pruning the oldest beyond the limit. */
    long createMirrorSnapshot(boolean demoted) {
        long snapId = nextSnapId++;
        String name = ".mirror.primary." + globalId + "." + cluster.nextUuid();
        snaps.add(new SnapInfo(snapId, name, 1L << 30, Instant.EPOCH.plusSeconds(snapId), SnapNamespace.MIRROR,
                false, MirrorSnapshotInfo.primary(cluster.txPeerUuids(spec.pool()), demoted)));
        List<SnapInfo> mirrorSnaps = snaps.stream().filter(s -> s.namespace() == SnapNamespace.MIRROR).toList();
        if (mirrorSnaps.size() > MAX_MIRROR_SNAPSHOTS) {
            snaps.remove(mirrorSnaps.get(0));
        }
        return snapId;
    }

    MirrorImageInfo mirrorInfoNow() {
        // a never-mirrored image reads as disabled with no global id (C_ImageGetInfo on ENOENT)
        return mirrorState == null ? new MirrorImageInfo("", MirrorImageState.DISABLED, MirrorImageMode.JOURNAL, true)
                : new MirrorImageInfo(globalId, mirrorState, mirrorMode, primary);
    }

    MirrorImageGlobalStatus globalStatusNow() {
        return new MirrorImageGlobalStatus(spec.name(), id, mirrorInfoNow(), List.copyOf(statuses.values()));
    }

    private MirrorMode poolMode() {
        return cluster.namespace(spec.poolNamespace()).mode;
    }

    /** The open handle: the roles of Image the commands use. */
    final class Handle implements UnmodelledImageHandle, UnmodelledImageSnapshots, ImageMirroring {
        @Override
        public ImageSpec spec() {
            return spec;
        }

        /** librbd {@code Mirror::image_enable} and {@code mirror::EnableRequest}. */
        @Override
        public Future<Void> mirrorEnable(MirrorImageMode mode) {
            return call(() -> {
                if (poolMode() != MirrorMode.IMAGE) {
                    throw ClusterException.invalid("librbd::api::Mirror: image_enable: "
                            + "cannot enable mirroring: pool is not in image mirror mode");
                }
                if (mode == MirrorImageMode.JOURNAL) {
                    // librbd turns journaling (and exclusive-lock) on before EnableRequest checks the current
                    // mode, so a refused switch from snapshot to journal mode leaves journaling enabled (16.2)
                    features.add(ImageFeature.EXCLUSIVE_LOCK);
                    features.add(ImageFeature.JOURNALING);
                }
                if (mirrorState == MirrorImageState.ENABLED) {
                    if (mirrorMode != mode) {
                        throw ClusterException.invalid("librbd::mirror::EnableRequest: handle_get_mirror_image: invalid current image mirror mode\n"
                                + "librbd::api::Mirror: image_enable: cannot enable mirroring: "
                                + Errno.EINVAL.describe());
                    }
                    return null; // already enabled: nothing to do
                }
                enableMirroring(mode);
                return null;
            });
        }

        /** librbd {@code Mirror::image_disable} and {@code mirror::DisableRequest}. */
        @Override
        public Future<Void> mirrorDisable(boolean force) {
            return call(() -> {
                if (poolMode() != MirrorMode.IMAGE) {
                    throw ClusterException.invalid("librbd::api::Mirror: image_disable: "
                            + "cannot disable mirroring in the current pool mirroring mode");
                }
                if (mirrorState == null) {
                    return null; // not mirrored: ignored
                }
                if (!primary && !force) {
                    throw ClusterException.invalid("librbd::mirror::DisableRequest: handle_get_mirror_info: "
                            + "mirrored image is not primary, add force option to disable mirroring\n"
                            + "librbd::api::Mirror: image_disable: cannot disable mirroring: "
                            + Errno.EINVAL.describe());
                }
                disableMirroring();
                return null;
            });
        }

        /** librbd {@code mirror::PromoteRequest}. */
        @Override
        public Future<Void> mirrorPromote(boolean force) {
            return call(() -> {
                if (primary) {
                    throw ClusterException.invalid("librbd::mirror::PromoteRequest: handle_get_info: image is already primary\n"
                            + "librbd::api::Mirror: image_promote: failed to promote image");
                }
                // an orphan (demoted, here or there) promotes without force; a replica of a live primary does not
                if (!force && remotePrimary) {
                    throw new ClusterException(Errno.EBUSY, "librbd::mirror::PromoteRequest: handle_get_info: "
                            + "image is primary within a remote cluster or demotion is not propagated yet\n"
                            + "librbd::api::Mirror: image_promote: failed to promote image");
                }
                primary = true;
                remotePrimary = false;
                if (mirrorMode == MirrorImageMode.SNAPSHOT) {
                    createMirrorSnapshot(false);
                }
                return null;
            });
        }

        /** librbd {@code mirror::DemoteRequest}. */
        @Override
        public Future<Void> mirrorDemote() {
            return call(() -> {
                if (!primary) {
                    throw ClusterException.invalid("librbd::mirror::DemoteRequest: handle_get_info: image is not primary\n"
                            + "librbd::api::Mirror: image_demote: failed to demote image");
                }
                if (mirrorMode == MirrorImageMode.SNAPSHOT) {
                    createMirrorSnapshot(true);
                }
                primary = false;
                remotePrimary = false;
                return null;
            });
        }

        /** librbd {@code Mirror::image_resync}. */
        @Override
        public Future<Void> mirrorResync() {
            return call(() -> {
                if (primary) {
                    throw ClusterException.invalid(
                            "librbd::api::Mirror: image_resync: image is primary, cannot resync to itself");
                }
                resyncRequested = true;
                return null;
            });
        }

        /** librbd {@code Mirror::image_snapshot_create}: only a primary can take one. */
        @Override
        public Future<Long> mirrorCreateSnapshot() {
            return call(() -> {
                if (!primary) {
                    // librbd mirror::snapshot::util::can_create_primary_snapshot (the double space is librbd's)
                    throw ClusterException.invalid("librbd::mirror::snapshot::util:  can_create_primary_snapshot: "
                            + "trying to create primary snapshot without force when previous "
                            + (remotePrimary ? "snapshot is non-primary" : "primary snapshot is demoted"));
                }
                return createMirrorSnapshot(false);
            });
        }

        @Override
        public Future<MirrorImageInfo> mirrorInfo() {
            return call(FakeMirrorImage.this::mirrorInfoNow);
        }

        @Override
        public Future<MirrorImageGlobalStatus> mirrorGlobalStatus() {
            return call(FakeMirrorImage.this::globalStatusNow);
        }

        @Override
        public Future<List<SnapInfo>> listSnaps() {
            return call(() -> List.copyOf(snaps));
        }

        @Override
        public Future<io.mirrorhost.api.cluster.ImageInfo> info() {
            return call(() -> new io.mirrorhost.api.cluster.ImageInfo(spec.name(), id, 1L << 30, 22, features,
                    Set.of(), null, snaps.size(), Instant.EPOCH, Instant.EPOCH, Instant.EPOCH));
        }

        @Override
        public Future<Void> close() {
            openHandles--;
            return Future.succeededFuture();
        }
    }
}
