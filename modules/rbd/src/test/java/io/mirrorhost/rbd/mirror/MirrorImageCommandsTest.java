package io.mirrorhost.rbd.mirror;

import static io.mirrorhost.rbd.mirror.MirrorHarness.assertOk;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.SnapNamespace;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code rbd mirror image enable|disable|promote|demote|resync|snapshot} and {@code mirror pool promote|demote}. */
class MirrorImageCommandsTest {
    private final MirrorHarness rbd = MirrorHarness.siteA();
    private final FakeMirrorCluster cluster = rbd.cluster;
    private final FakeMirrorImage image1 = cluster.addImage("image-pool", "", "image-1",
            EnumSet.of(ImageFeature.LAYERING));
    private final FakeMirrorImage image2 = cluster.addImage("image-pool", "", "image-2", FakeMirrorCluster.defaults());

    MirrorImageCommandsTest() {
        assertOk(rbd.run("mirror pool enable", "image-pool", "image"), "");
    }

    @AfterEach
    void close() throws Exception {
        rbd.close();
    }

    private long mirrorSnapshots(FakeMirrorImage image) {
        return image.snaps.stream().filter(s -> s.namespace() == SnapNamespace.MIRROR).count();
    }

    @Test
    void journalIsTheDefaultModeAndBringsJournalingWithExclusiveLock() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1"), "Mirroring enabled\n");
        assertEquals(MirrorImageState.ENABLED, image1.mirrorState);
        assertEquals(MirrorImageMode.JOURNAL, image1.mirrorMode);
        assertTrue(image1.features.containsAll(EnumSet.of(ImageFeature.EXCLUSIVE_LOCK, ImageFeature.JOURNALING)));
        assertFalse(image1.globalId.isEmpty());
        // enabling again in the same mode changes nothing
        String globalId = image1.globalId;
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        assertEquals(globalId, image1.globalId);
    }

    @Test
    void snapshotModeTakesAFirstMirrorSnapshot() {
        assertOk(rbd.run("mirror image enable", "--pool", "image-pool", "--image", "image-2", "snapshot"),
                "Mirroring enabled\n");
        assertEquals(MirrorImageMode.SNAPSHOT, image2.mirrorMode);
        assertEquals(1, mirrorSnapshots(image2));
        assertFalse(image2.features.contains(ImageFeature.JOURNALING));
    }

    @Test
    void enableErrors() {
        assertResult(rbd.run("mirror image enable", "image-pool/image-1", "bogus"), -22, "",
                "rbd: invalid mode name: bogus\n");
        assertResult(rbd.run("mirror image enable", "image-pool/no-such-image"), -2, "",
                "rbd: error opening image no-such-image: (2) No such file or directory\n");
        assertResult(rbd.run("mirror image enable"), -22, "", "rbd: image name was not specified\n");
        assertResult(rbd.run("mirror image enable", "image-pool/image-1@snap"), -22, "",
                "rbd: snapshot name specified for a command that doesn't use it\n");
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        assertResult(rbd.run("mirror image enable", "image-pool/image-1", "snapshot"), -22, "",
                "librbd::mirror::EnableRequest: invalid current image mirror mode\n\n"
                        + "librbd::api::Mirror: image_enable: cannot enable mirroring: (22) Invalid argument\n\n");
        assertEquals(MirrorImageMode.JOURNAL, image1.mirrorMode);
    }

    @Test
    void switchingASnapshotImageToJournalIsRefusedButKeepsLibrbdsJournaling() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), "Mirroring enabled\n");
        String globalId = image2.globalId;
        assertResult(rbd.run("mirror image enable", "image-pool/image-2", "journal"), -22, "",
                "librbd::mirror::EnableRequest: invalid current image mirror mode\n\n"
                        + "librbd::api::Mirror: image_enable: cannot enable mirroring: (22) Invalid argument\n\n");
        assertEquals(MirrorImageMode.SNAPSHOT, image2.mirrorMode);
        assertEquals(globalId, image2.globalId);
        // as captured from 16.2: librbd had already turned journaling on
        assertTrue(image2.features.contains(ImageFeature.JOURNALING));
    }

    @Test
    void enablingAnImageInAPoolModePoolIsRefused() {
        assertOk(rbd.run("mirror pool enable", "image-pool", "pool"), "note: changing mirroring mode from image to pool\n");
        assertResult(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), -22, "",
                "librbd::api::Mirror: image_enable: cannot enable mirroring: pool is not in image mirror mode\n\n");
        assertEquals(null, image2.mirrorState);
        assertEquals(0, mirrorSnapshots(image2));
    }

    @Test
    void disable() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1"), "Mirroring enabled\n");
        assertOk(rbd.run("mirror image disable", "image-pool/image-1"), "Mirroring disabled\n");
        assertEquals(null, image1.mirrorState);
        assertFalse(image1.features.contains(ImageFeature.JOURNALING));
        // disabling an image that is not mirrored is ignored
        assertOk(rbd.run("mirror image disable", "image-pool/image-1"), "Mirroring disabled\n");
    }

    @Test
    void disablingANonPrimaryNeedsForce() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), "Mirroring enabled\n");
        image2.primary = false;
        assertResult(rbd.run("mirror image disable", "image-pool/image-2"), -22, "",
                "librbd::mirror::DisableRequest: mirrored image is not primary, add force option to disable "
                        + "mirroring\n\nlibrbd::api::Mirror: image_disable: cannot disable mirroring: (22) Invalid argument\n\n");
        assertEquals(MirrorImageState.ENABLED, image2.mirrorState);
        assertOk(rbd.run("mirror image disable", "--force", "image-pool/image-2"), "Mirroring disabled\n");
        assertEquals(0, mirrorSnapshots(image2));
    }

    @Test
    void promoteAndDemote() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), "Mirroring enabled\n");
        assertResult(rbd.run("mirror image promote", "image-pool/image-2"), -22, "",
                "librbd::mirror::PromoteRequest: image is already primary\n\n"
                        + "librbd::api::Mirror: image_promote: failed to promote image\n\n"
                        + "rbd: error promoting image to primary\n");
        assertOk(rbd.run("mirror image demote", "image-pool/image-2"), "Image demoted to non-primary\n");
        assertFalse(image2.primary);
        assertEquals(2, mirrorSnapshots(image2));
        assertResult(rbd.run("mirror image demote", "image-pool/image-2"), -22, "",
                "librbd::mirror::DemoteRequest: image is not primary\n\n"
                        + "librbd::api::Mirror: image_demote: failed to demote image\n\n"
                        + "rbd: error demoting image to non-primary\n");

        // the peer has not demoted its copy (as far as this site knows): only --force promotes
        assertResult(rbd.run("mirror image promote", "image-pool/image-2"), -16, "",
                "librbd::mirror::PromoteRequest: image is primary within a remote cluster or demotion is not "
                        + "propagated yet\n\nlibrbd::api::Mirror: image_promote: failed to promote image\n\n"
                        + "rbd: error promoting image to primary\n");
        assertFalse(image2.primary);
        assertOk(rbd.run("mirror image promote", "--force", "image-pool/image-2"), "Image promoted to primary\n");
        assertTrue(image2.primary);
    }

    @Test
    void promoteAfterAPropagatedDemotionNeedsNoForce() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1"), "Mirroring enabled\n");
        image1.primary = false;
        image1.peerDemoted = true;
        assertOk(rbd.run("mirror image promote", "image-pool/image-1"), "Image promoted to primary\n");
    }

    @Test
    void commandsOnAnImageWithoutMirroring() {
        for (String command : new String[] {"mirror image promote", "mirror image demote", "mirror image resync",
            "mirror image snapshot", "mirror image status"}) {
            assertResult(rbd.run(command, "image-pool/image-1"), -22, "", "rbd: mirroring not enabled on the image\n");
        }
    }

    @Test
    void resyncOnlyOfANonPrimary() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1"), "Mirroring enabled\n");
        assertResult(rbd.run("mirror image resync", "image-pool/image-1"), -22, "",
                "librbd::api::Mirror: image_resync: image is primary, cannot resync to itself\n\n"
                        + "rbd: error flagging image resync\n");
        assertFalse(image1.resyncRequested);
        image1.primary = false;
        assertOk(rbd.run("mirror image resync", "image-pool/image-1"), "Flagged image for resync from primary\n");
        assertTrue(image1.resyncRequested);
    }

    @Test
    void mirrorSnapshots() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        assertResult(rbd.run("mirror image snapshot", "image-pool/image-1"), -22, "",
                "rbd: snapshot based mirroring not enabled on the image\n");
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), "Mirroring enabled\n");
        assertOk(rbd.run("mirror image snapshot", "image-pool/image-2"), "Snapshot ID: 2\n");
        assertOk(rbd.run("mirror image snapshot", "--skip-quiesce", "image-pool/image-2"), "Snapshot ID: 3\n");
        image2.primary = false;
        assertResult(rbd.run("mirror image snapshot", "image-pool/image-2"), -22, "",
                "librbd::mirror::snapshot::util:  can_create_primary_snapshot: trying to create primary snapshot "
                        + "without force when previous snapshot is non-primary\n\n"
                        + "rbd: error creating snapshot: (22) Invalid argument\n");
        assertEquals(3, mirrorSnapshots(image2));
    }

    @Test
    void poolDemoteAndPromoteCountTheImagesTheyChanged() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1"), "Mirroring enabled\n");
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), "Mirroring enabled\n");
        cluster.addImage("image-pool", "", "image-3", FakeMirrorCluster.defaults());

        assertOk(rbd.run("mirror pool demote", "image-pool"), "Demoted 2 mirrored images\n");
        assertFalse(image1.primary || image2.primary);
        assertOk(rbd.run("mirror pool demote", "image-pool"), "Demoted 0 mirrored images\n");

        assertResult(rbd.run("mirror pool promote", "image-pool"), -16, "Promoted 0 mirrored images\n",
                "librbd::mirror::PromoteRequest: image is primary within a remote cluster or demotion is not "
                        + "propagated yet\n\nlibrbd::api::Mirror: image_promote: failed to promote image\n\n"
                        + "rbd: failed to promote image image-1: (16) Device or resource busy\n"
                        + "librbd::mirror::PromoteRequest: image is primary within a remote cluster or demotion is not "
                        + "propagated yet\n\nlibrbd::api::Mirror: image_promote: failed to promote image\n\n"
                        + "rbd: failed to promote image image-2: (16) Device or resource busy\n");
        image1.peerDemoted = true;
        assertResult(rbd.run("mirror pool promote", "image-pool"), -16, "Promoted 1 mirrored images\n",
                "librbd::mirror::PromoteRequest: image is primary within a remote cluster or demotion is not "
                        + "propagated yet\n\nlibrbd::api::Mirror: image_promote: failed to promote image\n\n"
                        + "rbd: failed to promote image image-2: (16) Device or resource busy\n");
        assertOk(rbd.run("mirror pool promote", "--force", "image-pool"), "Promoted 1 mirrored images\n");
        assertTrue(image1.primary && image2.primary);
        assertOk(rbd.run("mirror pool promote", "--force", "image-pool"), "Promoted 0 mirrored images\n");
    }

    @Test
    void poolPromoteAndDemoteNeedMirroring() {
        assertOk(rbd.run("mirror pool disable", "image-pool"), "");
        assertResult(rbd.run("mirror pool demote", "image-pool"), -22, "", "rbd: mirroring not enabled on the pool\n");
        assertResult(rbd.run("mirror pool promote", "image-pool"), -22, "", "rbd: mirroring not enabled on the pool\n");
    }

    @Test
    void everyOpenedImageIsClosed() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1"), "Mirroring enabled\n");
        image1.closed = false;
        rbd.run("mirror image promote", "image-pool/image-1");
        assertTrue(image1.closed);
        image1.closed = false;
        rbd.run("mirror pool demote", "image-pool");
        assertTrue(image1.closed);
    }
}
