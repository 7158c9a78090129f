package io.mirrorhost.rbd.mirror;

import static io.mirrorhost.rbd.mirror.MirrorHarness.POOL;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertOk;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.SnapInfo;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code rbd mirror image enable|disable|promote|demote|resync|snapshot} and {@code mirror pool promote|demote}. */
class MirrorImageCommandsTest {
    private static final String BUSY_PROMOTION = "librbd::mirror::PromoteRequest: handle_get_info: image is primary within a remote "
            + "cluster or demotion is not propagated yet\n\nlibrbd::api::Mirror: image_promote: failed to promote image\n\n";

    private final MirrorHarness rbd = MirrorHarness.siteA();
    private final ImageSpec image1 = rbd.createImage("image-1", EnumSet.of(ImageFeature.LAYERING));
    private final ImageSpec image2 = rbd.createImage("image-2", ImageFeature.defaults());

    MirrorImageCommandsTest() {
        assertOk(rbd.run("mirror pool enable", POOL, "image"), "");
    }

    @AfterEach
    void close() throws Exception {
        assertEquals(0, rbd.site.openImageHandles(), "every opened image is closed");
        rbd.close();
    }

    private List<SnapInfo> mirrorSnapshots(ImageSpec image) {
        return rbd.mirrorSnapshots(image);
    }

    @Test
    void journalIsTheDefaultModeAndBringsJournalingWithExclusiveLock() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1"), "Mirroring enabled\n");
        assertEquals(MirrorImageState.ENABLED, rbd.mirrorInfo(image1).state());
        assertEquals(MirrorImageMode.JOURNAL, rbd.mirrorInfo(image1).mode());
        assertTrue(rbd.features(image1).containsAll(EnumSet.of(ImageFeature.EXCLUSIVE_LOCK, ImageFeature.JOURNALING)));
        String globalId = rbd.mirrorInfo(image1).globalId();
        assertFalse(globalId.isEmpty());
        // enabling again in the same mode changes nothing
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        assertEquals(globalId, rbd.mirrorInfo(image1).globalId());
    }

    @Test
    void snapshotModeTakesAFirstMirrorSnapshot() {
        assertOk(rbd.run("mirror image enable", "--pool", POOL, "--image", "image-2", "snapshot"),
                "Mirroring enabled\n");
        assertEquals(MirrorImageMode.SNAPSHOT, rbd.mirrorInfo(image2).mode());
        assertEquals(1, mirrorSnapshots(image2).size());
        assertFalse(rbd.features(image2).contains(ImageFeature.JOURNALING));
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
        assertEquals(MirrorImageState.DISABLED, rbd.mirrorInfo(image1).state());
    }

    @Test
    void switchingASnapshotImageToJournalIsRefusedButKeepsLibrbdsJournaling() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), "Mirroring enabled\n");
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), "Mirroring enabled\n");
        String globalId = rbd.mirrorInfo(image2).globalId();
        assertResult(rbd.run("mirror image enable", "image-pool/image-2", "journal"), -22, "",
                "librbd::mirror::EnableRequest: handle_get_mirror_image: invalid current image mirror mode\n\n"
                        + "librbd::api::Mirror: image_enable: cannot enable mirroring: (22) Invalid argument\n\n");
        assertEquals(MirrorImageMode.SNAPSHOT, rbd.mirrorInfo(image2).mode());
        assertEquals(globalId, rbd.mirrorInfo(image2).globalId());
        // as captured from 16.2: librbd had already turned journaling on
        assertTrue(rbd.features(image2).contains(ImageFeature.JOURNALING));
    }

    @Test
    void enablingAnImageInAPoolModePoolIsRefused() {
        assertOk(rbd.run("mirror pool enable", POOL, "pool"), "note: changing mirroring mode from image to pool\n");
        assertResult(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), -22, "",
                "librbd::api::Mirror: image_enable: cannot enable mirroring: pool is not in image mirror mode\n\n");
        assertEquals(MirrorImageState.DISABLED, rbd.mirrorInfo(image2).state());
        assertEquals(0, mirrorSnapshots(image2).size());
    }

    @Test
    void disable() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1"), "Mirroring enabled\n");
        assertOk(rbd.run("mirror image disable", "image-pool/image-1"), "Mirroring disabled\n");
        assertEquals(MirrorImageState.DISABLED, rbd.mirrorInfo(image1).state());
        assertFalse(rbd.features(image1).contains(ImageFeature.JOURNALING));
        // disabling an image that is not mirrored is ignored
        assertOk(rbd.run("mirror image disable", "image-pool/image-1"), "Mirroring disabled\n");
    }

    @Test
    void disablingANonPrimaryNeedsForce() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), "Mirroring enabled\n");
        rbd.demote(image2);
        assertResult(rbd.run("mirror image disable", "image-pool/image-2"), -22, "",
                "librbd::mirror::DisableRequest: handle_get_mirror_info: mirrored image is not primary, add force option to disable "
                        + "mirroring\n\nlibrbd::api::Mirror: image_disable: cannot disable mirroring: (22) Invalid "
                        + "argument\n\n");
        assertEquals(MirrorImageState.ENABLED, rbd.mirrorInfo(image2).state());
        assertOk(rbd.run("mirror image disable", "--force", "image-pool/image-2"), "Mirroring disabled\n");
        assertEquals(0, mirrorSnapshots(image2).size());
    }

    @Test
    void disablingInAPoolModePoolIsRefused() {
        assertOk(rbd.run("mirror pool enable", POOL, "pool"), "note: changing mirroring mode from image to pool\n");
        ImageSpec journaled = rbd.createImage("journaled", EnumSet.of(ImageFeature.EXCLUSIVE_LOCK,
                ImageFeature.JOURNALING));
        assertResult(rbd.run("mirror image disable", "image-pool/journaled"), -22, "",
                "librbd::api::Mirror: image_disable: cannot disable mirroring in the current pool mirroring mode\n\n");
        assertEquals(MirrorImageState.ENABLED, rbd.mirrorInfo(journaled).state());
    }

    @Test
    void promoteAndDemote() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), "Mirroring enabled\n");
        assertResult(rbd.run("mirror image promote", "image-pool/image-2"), -22, "",
                "librbd::mirror::PromoteRequest: handle_get_info: image is already primary\n\n"
                        + "librbd::api::Mirror: image_promote: failed to promote image\n\n"
                        + "rbd: error promoting image to primary\n");
        assertOk(rbd.run("mirror image demote", "image-pool/image-2"), "Image demoted to non-primary\n");
        assertFalse(rbd.mirrorInfo(image2).primary());
        assertEquals(2, mirrorSnapshots(image2).size());
        assertResult(rbd.run("mirror image demote", "image-pool/image-2"), -22, "",
                "librbd::mirror::DemoteRequest: handle_get_info: image is not primary\n\n"
                        + "librbd::api::Mirror: image_demote: failed to demote image\n\n"
                        + "rbd: error demoting image to non-primary\n");
        // demoted here: an orphan, promoted again without force
        assertOk(rbd.run("mirror image promote", "image-pool/image-2"), "Image promoted to primary\n");
        assertTrue(rbd.mirrorInfo(image2).primary());
    }

    @Test
    void promotingAReplicaOfALivePrimaryNeedsForce() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1"), "Mirroring enabled\n");
        rbd.site.replicaOfARemotePrimary(image1);
        assertResult(rbd.run("mirror image promote", "image-pool/image-1"), -16, "",
                BUSY_PROMOTION + "rbd: error promoting image to primary\n");
        assertFalse(rbd.mirrorInfo(image1).primary());
        assertOk(rbd.run("mirror image promote", "--force", "image-pool/image-1"), "Image promoted to primary\n");
        assertTrue(rbd.mirrorInfo(image1).primary());
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
        assertFalse(rbd.site.resyncRequested(image1));
        rbd.demote(image1);
        assertOk(rbd.run("mirror image resync", "image-pool/image-1"), "Flagged image for resync from primary\n");
        assertTrue(rbd.site.resyncRequested(image1));
    }

    @Test
    void mirrorSnapshots() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        assertResult(rbd.run("mirror image snapshot", "image-pool/image-1"), -22, "",
                "rbd: snapshot based mirroring not enabled on the image\n");
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), "Mirroring enabled\n");
        String first = rbd.run("mirror image snapshot", "image-pool/image-2").stdout();
        assertEquals("Snapshot ID: " + mirrorSnapshots(image2).get(1).id() + "\n", first);
        assertOk(rbd.run("mirror image snapshot", "--skip-quiesce", "image-pool/image-2"),
                "Snapshot ID: " + (mirrorSnapshots(image2).get(2).id()) + "\n");
        assertEquals(3, mirrorSnapshots(image2).size());
        rbd.site.replicaOfARemotePrimary(image2);
        assertResult(rbd.run("mirror image snapshot", "image-pool/image-2"), -22, "",
                "librbd::mirror::snapshot::util:  can_create_primary_snapshot: trying to create primary snapshot "
                        + "without force when previous snapshot is non-primary\n\n"
                        + "rbd: error creating snapshot: (22) Invalid argument\n");
        assertEquals(3, mirrorSnapshots(image2).size());
    }

    @Test
    void poolDemoteAndPromoteCountTheImagesTheyChanged() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1"), "Mirroring enabled\n");
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "snapshot"), "Mirroring enabled\n");
        rbd.createImage("image-3", ImageFeature.defaults());

        assertOk(rbd.run("mirror pool demote", POOL), "Demoted 2 mirrored images\n");
        assertFalse(rbd.mirrorInfo(image1).primary() || rbd.mirrorInfo(image2).primary());
        assertOk(rbd.run("mirror pool demote", POOL), "Demoted 0 mirrored images\n");
        assertOk(rbd.run("mirror pool promote", POOL), "Promoted 2 mirrored images\n");

        assertOk(rbd.run("mirror pool demote", POOL), "Demoted 2 mirrored images\n");
        rbd.site.replicaOfARemotePrimary(image2);
        assertResult(rbd.run("mirror pool promote", POOL), -16, "Promoted 1 mirrored images\n",
                BUSY_PROMOTION + "rbd: failed to promote image image-2: (16) Device or resource busy\n");
        assertFalse(rbd.mirrorInfo(image2).primary());
        assertOk(rbd.run("mirror pool promote", "--force", POOL), "Promoted 1 mirrored images\n");
        assertTrue(rbd.mirrorInfo(image1).primary() && rbd.mirrorInfo(image2).primary());
        assertOk(rbd.run("mirror pool promote", "--force", POOL), "Promoted 0 mirrored images\n");
    }

    @Test
    void poolPromoteAndDemoteNeedMirroring() {
        assertOk(rbd.run("mirror pool disable", POOL), "");
        assertResult(rbd.run("mirror pool demote", POOL), -22, "", "rbd: mirroring not enabled on the pool\n");
        assertResult(rbd.run("mirror pool promote", POOL), -22, "", "rbd: mirroring not enabled on the pool\n");
        assertResult(rbd.run("mirror pool promote", "no-such-pool"), -2, "",
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory\n");
    }
}
