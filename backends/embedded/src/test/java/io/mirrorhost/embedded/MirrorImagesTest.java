package io.mirrorhost.embedded;

import static io.mirrorhost.embedded.MirrorPoolModesTest.JOURNALED;
import static io.mirrorhost.embedded.MirrorPoolModesTest.RBD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Image mirroring: enable, disable, promote, demote, resync, mirror-snapshots, as librbd 16.2 rules them. */
class MirrorImagesTest extends StoreTestBase {
    private static final String PROMOTE_FAILED = "\nlibrbd::api::Mirror: image_promote: failed to promote image";

    private String peer;

    private void imageModeWithPeer() {
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        peer = Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.rbd-mirror-peer",
            MirrorPeerDirection.RX_TX));
    }

    private List<MirrorSnapshotState> mirrorStates(Image img) {
        return Await.result(img.listSnaps()).stream().filter(s -> s.namespace() == SnapNamespace.MIRROR)
            .map(s -> s.mirror().state()).toList();
    }

    @Test
    void enableNeedsAnImageModePool() {
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        String refused = "librbd::api::Mirror: image_enable: cannot enable mirroring: pool is not in image mirror mode";
        ClusterExceptionText.assertMessage(refused, Await.failure(Errno.EINVAL, img.mirrorEnable(MirrorImageMode.SNAPSHOT)));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.POOL));
        ClusterExceptionText.assertMessage(refused, Await.failure(Errno.EINVAL, img.mirrorEnable(MirrorImageMode.JOURNAL)));
        assertFalse(Await.result(img.info()).features().contains(ImageFeature.JOURNALING), "nothing changed");
        ClusterExceptionText.assertMessage("librbd::api::Mirror: image_disable: cannot disable mirroring in the current"
            + " pool mirroring mode", Await.failure(Errno.EINVAL, img.mirrorDisable(false)));
        assertEquals(new MirrorImageInfo("", MirrorImageState.DISABLED, MirrorImageMode.JOURNAL, true),
            Await.result(img.mirrorInfo()));
        Await.result(img.close());
    }

    @Test
    void snapshotModeStartsWithAPrimarySnapshot() {
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        MirrorImageInfo info = Await.result(img.mirrorInfo());
        assertEquals(MirrorImageState.ENABLED, info.state());
        assertEquals(MirrorImageMode.SNAPSHOT, info.mode());
        assertTrue(info.primary());
        assertEquals(36, info.globalId().length());
        List<SnapInfo> snaps = Await.result(img.listSnaps());
        assertEquals(1, snaps.size());
        assertTrue(snaps.get(0).name().startsWith(".mirror.primary." + info.globalId() + "."));
        assertEquals(Set.of(), snaps.get(0).mirror().mirrorPeerUuids(), "no peers yet: librbd ignores that on enable");
        // enabling again in the same mode is a no-op; another mode is refused with librbd's two lines
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        assertEquals(info, Await.result(img.mirrorInfo()));
        ClusterExceptionText.assertMessage("librbd::mirror::EnableRequest: handle_get_mirror_image: invalid current image mirror mode\n"
                + "librbd::api::Mirror: image_enable: cannot enable mirroring: (22) Invalid argument",
            Await.failure(Errno.EINVAL, img.mirrorEnable(MirrorImageMode.JOURNAL)));
        assertEquals(Map.of(img.spec().name(), info), Map.of(img.spec().name(),
            Await.result(cluster.mirrorImageInfoList(RBD)).get(Await.result(img.info()).id())));
        // a manual snapshot needs a tx peer
        ClusterExceptionText.assertMessage("librbd::mirror::snapshot::CreatePrimaryRequest: no mirror tx peers"
            + " configured for the pool", Await.failure(Errno.EINVAL, img.mirrorCreateSnapshot()));
        Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.x", MirrorPeerDirection.RX_ONLY));
        Await.failure(Errno.EINVAL, img.mirrorCreateSnapshot());
        Await.result(img.close());
    }

    @Test
    void journalModeTurnsJournalingOnAndDisableTurnsItOff() {
        Image img = create("a", MIB, 22, Set.of(ImageFeature.LAYERING));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.result(img.mirrorEnable(MirrorImageMode.JOURNAL));
        Set<ImageFeature> features = Await.result(img.info()).features();
        assertTrue(features.containsAll(Set.of(ImageFeature.EXCLUSIVE_LOCK, ImageFeature.JOURNALING)), features.toString());
        assertEquals(MirrorImageMode.JOURNAL, Await.result(img.mirrorInfo()).mode());
        ClusterExceptionText.assertMessage("librbd::operation::DisableFeaturesRequest: cannot disable journaling: image"
                + " mirroring enabled and mirror pool mode set to image",
            Await.failure(Errno.EINVAL, img.updateFeatures(Set.of(ImageFeature.JOURNALING), false)));
        Await.result(img.mirrorDisable(false));
        assertEquals(MirrorImageState.DISABLED, Await.result(img.mirrorInfo()).state());
        assertFalse(Await.result(img.info()).features().contains(ImageFeature.JOURNALING));
        Await.result(img.mirrorDisable(false)); // not mirrored: ignored
        Await.result(img.close());
    }

    @Test
    void journalingFollowsMirroringInPoolMode() {
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.POOL));
        Await.result(img.updateFeatures(Set.of(ImageFeature.JOURNALING), true));
        assertEquals(MirrorImageState.ENABLED, Await.result(img.mirrorInfo()).state());
        Await.result(img.updateFeatures(Set.of(ImageFeature.JOURNALING), false));
        assertEquals(MirrorImageState.DISABLED, Await.result(img.mirrorInfo()).state());
        Await.result(img.close());
    }

    @Test
    void demotedSnapshotImagesAreReadOnlyUntilPromoted() {
        imageModeWithPeer();
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        Await.result(img.write(0, random(1, 4096)));
        ClusterExceptionText.assertMessage("librbd::mirror::PromoteRequest: handle_get_info: image is already primary" + PROMOTE_FAILED,
            Await.failure(Errno.EINVAL, img.mirrorPromote(false)));
        ClusterExceptionText.assertMessage("librbd::api::Mirror: image_resync: image is primary, cannot resync to"
            + " itself", Await.failure(Errno.EINVAL, img.mirrorResync()));
        Await.result(img.mirrorDemote());
        assertEquals(List.of(MirrorSnapshotState.PRIMARY, MirrorSnapshotState.PRIMARY_DEMOTED), mirrorStates(img));
        assertFalse(Await.result(img.mirrorInfo()).primary());
        assertTrue(Await.result(img.info()).features().contains(ImageFeature.NON_PRIMARY), "rbd info lists non-primary");
        Await.failure(Errno.EROFS, img.write(0, random(2, 10)));
        Await.failure(Errno.EROFS, img.resize(2 * MIB));
        Await.failure(Errno.EROFS, img.createSnap("user"));
        ClusterExceptionText.assertMessage("librbd::mirror::DemoteRequest: handle_get_info: image is not primary\n"
            + "librbd::api::Mirror: image_demote: failed to demote image", Await.failure(Errno.EINVAL, img.mirrorDemote()));
        ClusterExceptionText.assertMessage("librbd::mirror::snapshot::util:  can_create_primary_snapshot: trying to"
                + " create primary snapshot without force when previous primary snapshot is demoted",
            Await.failure(Errno.EINVAL, img.mirrorCreateSnapshot()));
        // a demoted image is an orphan: promoting it needs no force
        Await.result(img.mirrorPromote(false));
        assertTrue(Await.result(img.mirrorInfo()).primary());
        assertFalse(Await.result(img.info()).features().contains(ImageFeature.NON_PRIMARY));
        Await.result(img.write(0, random(3, 10)));
        Await.result(img.close());
    }

    @Test
    void aNonPrimaryCopyNeedsForceAndRollsBackAnIncompleteSync() {
        imageModeWithPeer();
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        Await.result(img.write(0, random(1, 4096)));
        Await.result(img.mirrorDemote());
        // the replayer starts copying a newer primary snapshot and is cut off (incomplete)
        Await.result(img.mirrorCreateNonPrimarySnapshot("remote-pool-uuid", 7, Map.of()));
        assertFalse(Await.result(img.mirrorInfo()).primary());
        ClusterExceptionText.assertMessage("librbd::mirror::PromoteRequest: handle_get_info: image is primary within a remote cluster or"
            + " demotion is not propagated yet" + PROMOTE_FAILED, Await.failure(Errno.EBUSY, img.mirrorPromote(false)));
        ClusterExceptionText.assertMessage("librbd::mirror::snapshot::util:  can_create_primary_snapshot: trying to"
                + " create primary snapshot without force when previous snapshot is non-primary",
            Await.failure(Errno.EINVAL, img.mirrorCreateSnapshot()));
        ClusterExceptionText.assertMessage(ImageMirroring.notPrimaryToDisable("librbd::api::Mirror: image_disable:"
            + " cannot disable mirroring: (22) Invalid argument"), Await.failure(Errno.EINVAL, img.mirrorDisable(false)));
        Await.result(img.mirrorPromote(true));
        // an orphan snapshot was taken, then the new primary one; linked to no peer, the non-primary and
        // orphan snapshots were then pruned (CreatePrimaryRequest::unlink_peer)
        assertEquals(List.of(MirrorSnapshotState.PRIMARY, MirrorSnapshotState.PRIMARY_DEMOTED,
            MirrorSnapshotState.PRIMARY), mirrorStates(img));
        assertArrayEquals(random(1, 4096).getBytes(), bytes(img, 0, 4096), "rolled back to the last complete snapshot");
        assertTrue(Await.result(img.mirrorInfo()).primary());
        Await.result(img.write(0, random(2, 10)));
        Await.result(img.close());
    }

    @Test
    void resyncFlagsANonPrimaryImage() throws Exception {
        imageModeWithPeer();
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        ClusterExceptionText.assertMessage("librbd::api::Mirror: image_resync: mirroring is not enabled, cannot resync",
            Await.failure(Errno.EINVAL, img.mirrorResync()));
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        Await.result(img.mirrorDemote());
        Await.result(img.mirrorResync());
        String id = Await.result(img.info()).id();
        assertTrue(cluster.store().metadata.transaction(t -> MirrorRecords.image(t, id)).orElseThrow().resyncRequested());
        Await.result(img.close());
    }

    @Test
    void journalDemotionAndForcedPromotion() throws Exception {
        imageModeWithPeer();
        Image img = create("a", MIB, 22, JOURNALED);
        Await.result(img.mirrorEnable(MirrorImageMode.JOURNAL));
        Await.result(img.mirrorDemote());
        Await.failure(Errno.EROFS, img.write(0, random(1, 10)));
        assertEquals(List.of(), Await.result(img.listSnaps()), "journal mode takes no snapshots");
        Await.result(img.mirrorPromote(false));
        Await.result(img.write(0, random(1, 10)));
        // as the replayer leaves a journal copy: the tag owner is the remote
        String id = Await.result(img.info()).id();
        cluster.store().metadata.transaction(t -> {
            MirrorRecords.setJournalPromotion(t, id, MirrorRecords.Promotion.NON_PRIMARY);
            return null;
        });
        Await.result(img.close());
        ClusterExceptionText.assertMessage(ImageMirroring.notPrimaryToDisable("librbd::image::RemoveRequest: error"
            + " disabling image mirroring: (22) Invalid argument"), Await.failure(Errno.EINVAL, cluster.removeImage(spec("a"))));
        img = Await.result(cluster.openImage(spec("a")));
        Await.failure(Errno.EROFS, img.write(0, random(1, 10)));
        Await.failure(Errno.EBUSY, img.mirrorPromote(false));
        Await.result(img.mirrorPromote(true));
        Await.result(img.write(0, random(1, 10)));
        Await.result(img.close());
    }

    @Test
    void disablingRemovesTheMirrorSnapshotsAndForceDisablesACopy() {
        imageModeWithPeer();
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        Await.result(img.createSnap("user"));
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        Await.result(img.mirrorCreateSnapshot());
        Await.result(img.mirrorDemote());
        Await.result(img.mirrorDisable(true));
        assertEquals(List.of("user"), Await.result(img.listSnaps()).stream().map(SnapInfo::name).toList());
        assertEquals(MirrorImageState.DISABLED, Await.result(img.mirrorInfo()).state());
        Await.result(img.write(0, random(1, 10)));
        assertEquals(Map.of(), Await.result(cluster.mirrorImageInfoList(RBD)));
        Await.result(img.close());
    }

    @Test
    void primarySnapshotsArePrunedAsLibrbdDoes() {
        imageModeWithPeer();
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        long first = Await.result(img.listSnaps()).get(0).id();
        List<Long> created = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(Await.result(img.mirrorCreateSnapshot()));
        }
        List<Long> ids = Await.result(img.listSnaps()).stream().map(SnapInfo::id).toList();
        // the enable snapshot is linked to the peer too; the newest pre-existing ones go at capacity
        assertEquals(List.of(first, created.get(0), created.get(1), created.get(2), created.get(6)), ids);
        Await.result(img.mirrorSnapshotUnlinkPeer(first, peer));
        assertFalse(Await.result(img.listSnaps()).stream().anyMatch(s -> s.id() == first),
            "unlinking the last peer of a snapshot that has newer ones removes it");
        // removing the peer unlinks it everywhere
        Await.result(cluster.mirrorPeerSiteRemove("rbd", peer));
        List<SnapInfo> left = Await.result(img.listSnaps());
        assertEquals(1, left.size(), "only the newest survives losing its peers");
        assertEquals(Set.of(), left.get(0).mirror().mirrorPeerUuids());
        Await.result(img.close());
    }

    @Test
    void removingAnImageForgetsItsMirroring() {
        imageModeWithPeer();
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        String globalId = Await.result(img.mirrorInfo()).globalId();
        Await.result(cluster.mirrorImageStatusSet(RBD, globalId, new io.mirrorhost.api.cluster.MirrorImageSiteStatus(
            "", io.mirrorhost.api.cluster.MirrorImageStatusState.STOPPED, "local image is primary",
            java.time.Instant.now(), true)));
        Await.result(img.close());
        Await.result(cluster.removeImage(spec("a")));
        assertEquals(List.of(), Await.result(cluster.mirrorImageGlobalStatusList(RBD)));
        // a late report of the removed image is kept by global id (as cls_rbd does) but lists with no image
        Await.result(cluster.mirrorImageStatusSet(RBD, globalId,
            new io.mirrorhost.api.cluster.MirrorImageSiteStatus("", io.mirrorhost.api.cluster.MirrorImageStatusState.STOPPED,
                "", java.time.Instant.now(), true)));
        assertEquals(List.of(), Await.result(cluster.mirrorImageGlobalStatusList(RBD)));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.POOL));
        Await.result(cluster.createImage(spec("j"), new ImageOptions(MIB, 22, JOURNALED, null)));
        Await.result(cluster.removeImage(spec("j")));
        assertEquals(Map.of(), Await.result(cluster.mirrorImageInfoList(RBD)));
    }

    @Test
    void removingASnapshotMirroredImageLeavesNoRowsOrFiles() throws Exception {
        imageModeWithPeer();
        Image img = create("a", 8 * MIB, 22, ImageFeature.defaults());
        String id = Await.result(img.info()).id();
        Await.result(img.write(0, random(1, MIB)));
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        Await.result(img.write(0, random(2, MIB)));
        Await.result(img.mirrorCreateSnapshot());
        Await.result(img.write(4 * MIB, random(3, MIB)));
        Await.result(img.close());
        assertTrue(rowsOf(id) > 0);

        Await.result(cluster.removeImage(spec("a")));
        reopen();
        assertEquals(0, rowsOf(id), "rows naming the image after its removal");
        try (var files = Files.walk(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains(id)).toList());
        }
    }

    /** The rows of the store's metadata that belong to the image (its mirror status is kept by global id). */
    private long rowsOf(String imageId) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Metadata.FILE_NAME));
             Statement s = c.createStatement()) {
            long rows = 0;
            for (String table : List.of("snaps", "object_versions", "object_extents", "mirror_images")) {
                rows += count(s, "SELECT COUNT(*) FROM " + table + " WHERE image_id = '" + imageId + "'");
            }
            rows += count(s, "SELECT COUNT(*) FROM images WHERE id = '" + imageId + "'");
            return rows + count(s, "SELECT COUNT(*) FROM omap WHERE object LIKE '%" + imageId + "%'");
        }
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            return r.getLong(1);
        }
    }

    @Test
    void mirroringChangesReachWatchers() throws Exception {
        imageModeWithPeer();
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        LinkedBlockingQueue<JsonObject> pool = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> header = new LinkedBlockingQueue<>();
        Watch poolWatch = Await.result(cluster.watch(RBD, "rbd_mirroring", b -> pool.add(b.toJsonObject())));
        Watch headerWatch = Await.result(img.updateWatch(() -> header.add("update")));
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        JsonObject enabled = pool.poll(10, TimeUnit.SECONDS);
        assertEquals("image_updated", enabled.getString("type"));
        assertEquals("enabled", enabled.getString("state"));
        assertEquals(Await.result(img.mirrorInfo()).globalId(), enabled.getString("global_image_id"));
        assertEquals("update", header.poll(10, TimeUnit.SECONDS));
        Await.result(img.mirrorDemote());
        assertEquals("image_updated", pool.poll(10, TimeUnit.SECONDS).getString("type"));
        Await.result(img.mirrorDisable(true));
        JsonObject disabled = pool.poll(10, TimeUnit.SECONDS);
        assertEquals("disabled", disabled.getString("state"));
        Await.result(poolWatch.close());
        Await.result(headerWatch.close());
        Await.result(img.close());
    }
}
