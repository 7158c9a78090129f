package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.embedded.MirrorRecords.ImageRow;
import io.mirrorhost.embedded.MirrorRecords.Promotion;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mirroring of one image, as librbd's {@code rbd_mirror_image_*} calls and the
 * {@code mirror::*Request}s behind them do it. Runs on the image's lane; each step that changes
 * metadata is one transaction, and every check that can refuse runs before the first change.
 * Failure messages are librbd's log lines (without timestamp and request address), one per line.
 */
final class ImageMirroring {
    private static final String API = "librbd::api::Mirror: ";

    private ImageMirroring() {
    }

    // --- enable / disable ---

    static void enable(ImageStore image, EmbeddedImage handle, MirrorImageMode mode) throws IOException, SQLException {
        checkHead(handle, "enable mirroring");
        MirrorMode poolMode = tx(image, t -> MirrorRecords.mode(t, image.poolId(), image.namespace()));
        if (poolMode != MirrorMode.IMAGE) {
            throw ClusterException.invalid(API + "image_enable: cannot enable mirroring: pool is not in image"
                + " mirror mode");
        }
        if (mode == MirrorImageMode.JOURNAL && !image.hasFeature(ImageFeature.JOURNALING)) {
            // librbd turns journaling on before EnableRequest looks at the current mirror record
            Set<ImageFeature> features = EnumSet.of(ImageFeature.JOURNALING);
            if (!image.hasFeature(ImageFeature.EXCLUSIVE_LOCK)) {
                features.add(ImageFeature.EXCLUSIVE_LOCK);
            }
            try {
                image.updateFeatures(handle, features, true);
            } catch (ClusterException e) {
                throw new ClusterException(e.errno(), e.getMessage() + "\n" + API + "image_enable: cannot enable"
                    + " journaling: " + e.errno().describe());
            }
        }
        String globalId = tx(image, t -> {
            Optional<ImageRow> current = MirrorRecords.image(t, image.imageId());
            if (current.isPresent()) {
                if (current.get().mode() != mode) {
                    throw ClusterException.invalid("librbd::mirror::EnableRequest: handle_get_mirror_image: invalid current image mirror mode\n"
                        + API + "image_enable: cannot enable mirroring: " + Errno.EINVAL.describe());
                }
                return null;
            }
            return MirrorRecords.enableImage(t, image.imageId(), mode);
        });
        if (globalId == null) {
            return;
        }
        if (mode == MirrorImageMode.SNAPSHOT) {
            try {
                createPrimary(image, globalId, false);
            } catch (IOException | SQLException | RuntimeException e) {
                tx(image, t -> t.update("DELETE FROM mirror_images WHERE image_id = ?", image.imageId()));
                throw e;
            }
        }
        notifyChanged(image, MirrorImageState.ENABLED, globalId);
    }

    /**
     * Disables mirroring ({@code rbd_mirror_image_disable}). {@code poolRule} is set when the pool's
     * mode change does it, which librbd allows whatever the pool's mode.
     */
    static void disable(ImageStore image, EmbeddedImage handle, boolean force, boolean poolRule) throws IOException, SQLException {
        handle.checkOpen();
        ImageRow row = tx(image, t -> {
            if (!poolRule && MirrorRecords.mode(t, image.poolId(), image.namespace()) != MirrorMode.IMAGE) {
                throw ClusterException.invalid(API + "image_disable: cannot disable mirroring in the current pool"
                    + " mirroring mode");
            }
            Optional<ImageRow> current = MirrorRecords.image(t, image.imageId());
            if (current.isPresent() && !force && MirrorRecords.promotion(t, current.get()) != Promotion.PRIMARY) {
                throw ClusterException.invalid(notPrimaryToDisable(API + "image_disable: cannot disable mirroring: "
                    + Errno.EINVAL.describe()));
            }
            return current.orElse(null);
        });
        if (row == null) {
            return; // librbd ignores the request on an image that is not mirrored
        }
        for (Snap s : image.snapshots()) {
            if (s.mirror() != null) {
                image.removeSnapshot(s.id());
            }
        }
        tx(image, t -> {
            MirrorRecords.disableImage(t, row);
            return null;
        });
        image.setJournalNonPrimary(false);
        // no longer a mirror copy: nothing but the feature would keep it read-only
        image.setNonPrimaryFeature(false);
        if (row.mode() == MirrorImageMode.JOURNAL && image.hasFeature(ImageFeature.JOURNALING)) {
            try {
                image.updateFeatures(handle, EnumSet.of(ImageFeature.JOURNALING), false);
            } catch (ClusterException e) {
                // librbd: "cannot disable journaling" is not fatal
            }
        }
        notifyChanged(image, MirrorImageState.DISABLED, row.globalId());
    }

    static String notPrimaryToDisable(String apiLine) {
        return "librbd::mirror::DisableRequest: handle_get_mirror_info: mirrored image is not primary, add force option to disable mirroring\n"
            + apiLine;
    }

    // --- promote / demote / resync ---

    static void promote(ImageStore image, EmbeddedImage handle, boolean force) throws IOException, SQLException {
        checkHead(handle, "promote");
        String failed = "\n" + API + "image_promote: failed to promote image";
        ImageRow row = tx(image, t -> {
            ImageRow current = enabledOrFail(t, image, "librbd::mirror::PromoteRequest: ", failed);
            Promotion promotion = MirrorRecords.promotion(t, current);
            if (promotion == Promotion.PRIMARY) {
                throw ClusterException.invalid("librbd::mirror::PromoteRequest: handle_get_info: image is already primary" + failed);
            }
            if (promotion == Promotion.NON_PRIMARY && !force) {
                throw new ClusterException(Errno.EBUSY, "librbd::mirror::PromoteRequest: handle_get_info: image is primary within a"
                    + " remote cluster or demotion is not propagated yet" + failed);
            }
            return current;
        });
        if (row.mode() == MirrorImageMode.JOURNAL) {
            tx(image, t -> {
                MirrorRecords.setJournalPromotion(t, image.imageId(), Promotion.PRIMARY);
                return null;
            });
            image.journalNewTag((current, next, position) -> JournalTags.promote(current, next, force));
            image.setJournalNonPrimary(false);
        } else {
            MirrorSnapshotRules.CreatePlan plan;
            try {
                plan = MirrorSnapshotRules.canCreatePrimary(image.snapshots(), false, true);
            } catch (ClusterException e) {
                throw new ClusterException(e.errno(), e.getMessage() + failed);
            }
            if (plan.requiresOrphan()) {
                image.createMirrorSnap(MirrorSnapshots.nonPrimaryName(row.globalId()), MirrorSnapshotRules.orphan());
            }
            if (plan.rollbackSnapId() != null) {
                image.rollbackTo(plan.rollbackSnapId());
            }
            createPrimary(image, row.globalId(), false);
            image.setNonPrimaryFeature(false);
        }
        notifyChanged(image, MirrorImageState.ENABLED, row.globalId());
    }

    static void demote(ImageStore image, EmbeddedImage handle) throws IOException, SQLException {
        checkHead(handle, "demote");
        String failed = "\n" + API + "image_demote: failed to demote image";
        ImageRow row = tx(image, t -> {
            ImageRow current = enabledOrFail(t, image, "librbd::mirror::DemoteRequest: ", failed);
            if (MirrorRecords.promotion(t, current) != Promotion.PRIMARY) {
                throw ClusterException.invalid("librbd::mirror::DemoteRequest: handle_get_info: image is not primary" + failed);
            }
            return current;
        });
        if (row.mode() == MirrorImageMode.JOURNAL) {
            tx(image, t -> {
                MirrorRecords.setJournalPromotion(t, image.imageId(), Promotion.ORPHAN);
                return null;
            });
            image.journalNewTag(JournalTags::demote);
            image.setJournalNonPrimary(true);
        } else {
            image.flush();
            createPrimary(image, row.globalId(), true);
            image.setNonPrimaryFeature(true);
        }
        notifyChanged(image, MirrorImageState.ENABLED, row.globalId());
    }

    static void resync(ImageStore image, EmbeddedImage handle) throws SQLException {
        handle.checkOpen();
        tx(image, t -> {
            Optional<ImageRow> row = MirrorRecords.image(t, image.imageId());
            if (row.isEmpty() || row.get().state() != MirrorImageState.ENABLED) {
                throw ClusterException.invalid(API + "image_resync: mirroring is not enabled, cannot resync");
            }
            if (MirrorRecords.promotion(t, row.get()) == Promotion.PRIMARY) {
                throw ClusterException.invalid(API + "image_resync: image is primary, cannot resync to itself");
            }
            MirrorRecords.setResyncRequested(t, image.imageId(), true);
            return null;
        });
        image.notifyUpdated();
    }

    // --- mirror-snapshots ---

    /**
     * {@code rbd_mirror_image_create_snapshot}: a primary snapshot of a primary snapshot-mode image.
     * The checks read metadata in the transaction that creates the snapshot (one transaction per
     * snapshot: a schedule's burst takes thousands).
     */
    static long createSnapshot(ImageStore image, EmbeddedImage handle) throws IOException, SQLException {
        checkHead(handle, "create a mirror snapshot");
        Set<String> linked = new TreeSet<>();
        long id = image.createMirrorSnap(t -> {
            ImageRow row = MirrorRecords.image(t, image.imageId())
                .filter(r -> r.mode() == MirrorImageMode.SNAPSHOT && r.state() == MirrorImageState.ENABLED)
                .orElseThrow(() -> ClusterException.invalid(API + "finish: snapshot based mirroring is not enabled"));
            MirrorSnapshotRules.canCreatePrimary(image.snapshots(), false, false);
            Set<String> peers = txPeers(t, image);
            if (peers.isEmpty()) {
                throw ClusterException.invalid("librbd::mirror::snapshot::CreatePrimaryRequest: no mirror tx peers"
                    + " configured for the pool");
            }
            linked.addAll(peers);
            return primaryPlan(row.globalId(), peers, false);
        });
        pruneAfterCreate(image, linked);
        return id;
    }

    /** Creates a (demoted) primary snapshot linked to the pool's tx peers, then prunes as librbd does. */
    private static long createPrimary(ImageStore image, String globalId, boolean demoted) throws IOException, SQLException {
        Set<String> linked = new TreeSet<>();
        long id = image.createMirrorSnap(t -> {
            linked.addAll(txPeers(t, image));
            return primaryPlan(globalId, linked, demoted);
        });
        pruneAfterCreate(image, linked);
        return id;
    }

    private static ImageStore.SnapPlan primaryPlan(String globalId, Set<String> peers, boolean demoted) {
        return new ImageStore.SnapPlan(MirrorSnapshots.primaryName(globalId), MirrorSnapshotInfo.primary(peers, demoted));
    }

    private static void pruneAfterCreate(ImageStore image, Set<String> peers) throws IOException, SQLException {
        while (true) {
            List<Snap> snaps = image.snapshots();
            Optional<MirrorSnapshotRules.Unlink> next = MirrorSnapshotRules.nextUnlink(snaps, peers,
                image.cluster().maxMirroringSnapshots);
            if (next.isEmpty()) {
                return;
            }
            unlink(image, snaps, next.get().snapId(), next.get().peerUuid());
        }
    }

    /** Unlinks a peer from a snapshot, removing the snapshot when nobody needs it and a newer one exists. */
    static void unlink(ImageStore image, List<Snap> snaps, long snapId, String peerUuid) throws IOException, SQLException {
        Snap target = snaps.stream().filter(s -> s.id() == snapId).findFirst()
            .orElseThrow(() -> ClusterException.notFound("snapshot id " + snapId + " does not exist"));
        Optional<MirrorSnapshotInfo> kept = MirrorSnapshotRules.afterUnlink(snaps, target, peerUuid);
        if (kept.isEmpty()) {
            image.removeSnapshot(snapId);
        } else {
            image.replaceMirror(snapId, kept.get());
        }
    }

    /** Unlinks a removed peer from every snapshot of the image ({@code Mirror::peer_site_remove}). */
    static void unlinkEverywhere(ImageStore image, EmbeddedImage handle, String peerUuid) throws IOException, SQLException {
        handle.checkOpen();
        for (Snap s : image.snapshots()) {
            if (s.mirror() != null && s.mirror().mirrorPeerUuids().contains(peerUuid)) {
                unlink(image, image.snapshots(), s.id(), peerUuid);
            }
        }
    }

    private static Set<String> txPeers(Metadata.Tx t, ImageStore image) throws SQLException {
        Set<String> uuids = new TreeSet<>();
        MirrorRecords.peers(t, image.poolId()).stream()
            .filter(p -> p.direction() != MirrorPeerDirection.RX_ONLY).forEach(p -> uuids.add(p.uuid()));
        return uuids;
    }

    // --- info and status ---

    /**
     * A snapshot-mode image's promotion comes from its newest mirror-snapshot, which the image's
     * store holds in memory (on this lane it is what the {@code snaps} table holds): no read and
     * decode of the snapshot's record.
     */
    static MirrorImageInfo info(ImageStore image, EmbeddedImage handle) throws SQLException {
        handle.checkOpen();
        ImageRow row = tx(image, t -> MirrorRecords.image(t, image.imageId()).orElse(null));
        if (row == null) {
            return infoOf(null, Promotion.UNKNOWN);
        }
        Promotion promotion = row.mode() == MirrorImageMode.SNAPSHOT
            ? MirrorRecords.promotionOf(newestMirror(image.snapshots())) : row.journalPromotion();
        return infoOf(row, promotion);
    }

    private static MirrorSnapshotInfo newestMirror(List<Snap> oldestFirst) {
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            if (oldestFirst.get(i).mirror() != null) {
                return oldestFirst.get(i).mirror();
            }
        }
        return null;
    }

    /** A never-mirrored image reads as disabled with no global id (librbd's C_ImageGetInfo on ENOENT). */
    static MirrorImageInfo infoOf(Metadata.Tx t, ImageRow row) throws SQLException {
        return infoOf(row, row == null ? Promotion.UNKNOWN : MirrorRecords.promotion(t, row));
    }

    private static MirrorImageInfo infoOf(ImageRow row, Promotion promotion) {
        if (row == null) {
            return new MirrorImageInfo("", MirrorImageState.DISABLED, MirrorImageMode.JOURNAL, true);
        }
        return new MirrorImageInfo(row.globalId(), row.state(), row.mode(), promotion == Promotion.PRIMARY);
    }

    static MirrorImageGlobalStatus globalStatus(ImageStore image, EmbeddedImage handle, Instant now) throws SQLException {
        handle.checkOpen();
        return tx(image, t -> {
            ImageRow row = MirrorRecords.image(t, image.imageId()).orElse(null);
            MirrorImageInfo info = infoOf(t, row);
            String name = image.spec().name();
            if (row == null) {
                return new MirrorImageGlobalStatus(name, image.imageId(), info, List.of());
            }
            return new MirrorImageGlobalStatus(name, image.imageId(), info,
                MirrorStatuses.of(t, row.poolId(), row.namespace(), row.globalId(), now));
        });
    }

    // --- hooks of the image store ---

    /**
     * Inside the transaction that changes an image's features: journaling turned on in a pool-mode
     * pool enables journal mirroring, turned off it disables it (refused while the pool is in image
     * mode and the image is journal-mirrored, as librbd refuses). Returns what to notify after commit.
     */
    static Runnable onFeaturesUpdate(Metadata.Tx t, ImageStore image, long before, long after) throws SQLException {
        long journaling = ImageFeature.JOURNALING.bit();
        boolean turnedOn = (before & journaling) == 0 && (after & journaling) != 0;
        boolean turnedOff = (before & journaling) != 0 && (after & journaling) == 0;
        if (!turnedOn && !turnedOff) {
            return () -> { };
        }
        MirrorMode poolMode = MirrorRecords.mode(t, image.poolId(), image.namespace());
        Optional<ImageRow> row = MirrorRecords.image(t, image.imageId());
        if (turnedOn && poolMode == MirrorMode.POOL && row.isEmpty()) {
            String globalId = MirrorRecords.enableImage(t, image.imageId(), MirrorImageMode.JOURNAL);
            return () -> notifyChanged(image, MirrorImageState.ENABLED, globalId);
        }
        if (turnedOff && row.isPresent() && row.get().mode() == MirrorImageMode.JOURNAL) {
            if (poolMode == MirrorMode.IMAGE) {
                throw ClusterException.invalid("librbd::operation::DisableFeaturesRequest: cannot disable journaling:"
                    + " image mirroring enabled and mirror pool mode set to image");
            }
            if (MirrorRecords.promotion(t, row.get()) != Promotion.PRIMARY) {
                throw ClusterException.invalid(notPrimaryToDisable("librbd::operation::DisableFeaturesRequest:"
                    + " cannot disable mirroring: " + Errno.EINVAL.describe()));
            }
            MirrorRecords.disableImage(t, row.get());
            return () -> notifyChanged(image, MirrorImageState.DISABLED, row.get().globalId());
        }
        return () -> { };
    }

    /** Whether the image is journal-mirrored and not primary (its writes are then refused). */
    static boolean isJournalNonPrimary(Metadata.Tx t, String imageId) throws SQLException {
        Optional<ImageRow> row = MirrorRecords.image(t, imageId);
        return row.isPresent() && row.get().mode() == MirrorImageMode.JOURNAL
            && row.get().journalPromotion() != Promotion.PRIMARY;
    }

    // --- helpers ---

    private static ImageRow enabledOrFail(Metadata.Tx t, ImageStore image, String request, String failed)
        throws SQLException {
        return MirrorRecords.image(t, image.imageId()).filter(r -> r.state() == MirrorImageState.ENABLED)
            .orElseThrow(() -> ClusterException.invalid(request + "mirroring is not currently enabled" + failed));
    }

    private static void checkHead(EmbeddedImage handle, String what) {
        handle.checkOpen();
        if (handle.snapId() != null) {
            throw new ClusterException(Errno.EROFS, "cannot " + what + ": the image is open at a snapshot");
        }
    }

    private static void notifyChanged(ImageStore image, MirrorImageState state, String globalId) {
        image.notifyUpdated();
        image.cluster().watches.notify(Watches.objectKey(image.poolId(), image.namespace(),
            MirrorRecords.MIRRORING_OBJECT), MirrorNotifications.imageUpdated(state, image.imageId(), globalId));
    }

    private static <T> T tx(ImageStore image, Metadata.SqlWork<T> work) throws SQLException {
        return image.cluster().metadata.transaction(work);
    }
}
