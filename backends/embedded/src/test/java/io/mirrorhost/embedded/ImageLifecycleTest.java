package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolNamespace;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageLifecycleTest extends StoreTestBase {

    @Test
    void createListInfoAndRemove() throws Exception {
        Await.result(cluster.createImage(spec("b"), ImageOptions.of(10 * MIB)));
        Await.result(cluster.createImage(spec("a"), new ImageOptions(MIB, 20, Set.of(ImageFeature.LAYERING), null)));
        List<ImageEntry> images = Await.result(cluster.listImages(PoolNamespace.of("rbd")));
        assertEquals(List.of("a", "b"), images.stream().map(ImageEntry::name).toList());
        assertTrue(images.get(0).id().matches("[0-9a-f]{12}"));

        Image b = Await.result(cluster.openImage(spec("b")));
        ImageInfo info = Await.result(b.info());
        assertEquals("b", info.name());
        assertEquals(images.get(1).id(), info.id());
        assertEquals(10 * MIB, info.size());
        assertEquals(22, info.order());
        assertEquals(3, info.objectCount());
        assertEquals(ImageFeature.defaults(), info.features());
        assertEquals(Set.of(), info.flags());
        assertNull(info.dataPool());
        assertEquals(0, info.snapshotCount());
        assertEquals("rbd_data." + info.id(), info.blockNamePrefix());
        assertEquals(spec("b"), b.spec());
        assertNull(b.snapId());
        Image byId = Await.result(cluster.openImageById(PoolNamespace.of("rbd"), info.id()));
        assertEquals("b", Await.result(byId.info()).name());

        ClusterExceptionText.assertMessage("librbd::image::PreRemoveRequest: check_image_watchers: image has watchers"
            + " - not removing", Await.failure(Errno.EBUSY, cluster.removeImage(spec("b"))));
        Await.result(b.close());
        Await.result(byId.close());
        Await.result(cluster.removeImage(spec("b")));
        Await.failure(Errno.ENOENT, cluster.openImage(spec("b")));
        Await.failure(Errno.ENOENT, cluster.openImageById(PoolNamespace.of("rbd"), info.id()));
        Await.failure(Errno.ENOENT, cluster.removeImage(spec("b")));
        assertEquals(List.of("a"), Await.result(cluster.listImages(PoolNamespace.of("rbd"))).stream()
            .map(ImageEntry::name).toList());
    }

    @Test
    void createRejectsBadInput() {
        Await.result(cluster.createImage(spec("a"), ImageOptions.of(MIB)));
        ClusterExceptionText.assertMessage("librbd: rbd image a already exists",
            Await.failure(Errno.EEXIST, cluster.createImage(spec("a"), ImageOptions.of(MIB))));
        Await.failure(Errno.ENOENT, cluster.createImage(ImageSpec.of("nopool", "", "a"), ImageOptions.of(MIB)));
        Await.failure(Errno.ENOENT, cluster.createImage(ImageSpec.of("rbd", "nons", "a"), ImageOptions.of(MIB)));
        Await.failure(Errno.EINVAL, cluster.createImage(spec(""), ImageOptions.of(MIB)));
        Await.failure(Errno.EINVAL, cluster.createImage(spec("x@y"), ImageOptions.of(MIB)));
        ClusterExceptionText.assertMessage("librbd::image::CreateRequest: validate_features: cannot use object map"
            + " without exclusive lock", Await.failure(Errno.EINVAL,
            cluster.createImage(spec("c"), new ImageOptions(MIB, 22, EnumSet.of(ImageFeature.OBJECT_MAP), null))));
        Await.failure(Errno.ENOENT, cluster.createImage(spec("c"), new ImageOptions(MIB, 22, Set.of(), "nodatapool")));
        Await.failure(Errno.ENOENT, cluster.listImages(PoolNamespace.of("nopool")));
        // nothing half-created
        assertEquals(1, Await.result(cluster.listImages(PoolNamespace.of("rbd"))).size());
    }

    @Test
    void renameKeepsIdAndData() throws Exception {
        Image img = create("old", 4 * MIB, 22, ImageFeature.defaults());
        Await.result(img.write(0, random(3, 4096)));
        String id = Await.result(img.info()).id();
        Await.result(cluster.createImage(spec("taken"), ImageOptions.of(MIB)));
        ClusterExceptionText.assertMessage("librbd::Operations: rbd image taken already exists",
            Await.failure(Errno.EEXIST, cluster.renameImage(spec("old"), "taken")));
        Await.result(cluster.renameImage(spec("old"), "new"));
        assertEquals(spec("new"), img.spec());
        assertEquals("new", Await.result(img.info()).name());
        Await.failure(Errno.ENOENT, cluster.openImage(spec("old")));
        ClusterExceptionText.assertMessage("librbd: error opening source image: (2) No such file or directory",
            Await.failure(Errno.ENOENT, cluster.renameImage(spec("old"), "other")));
        ClusterExceptionText.assertMessage("librbd::Operations: rbd image new already exists",
            Await.failure(Errno.EEXIST, cluster.renameImage(spec("new"), "new")));
        Await.result(img.close());
        reopen();
        Image renamed = Await.result(cluster.openImage(spec("new")));
        assertEquals(id, Await.result(renamed.info()).id());
        assertArrayEquals(random(3, 4096).getBytes(), bytes(renamed, 0, 4096));
        Await.result(renamed.close());
    }

    @Test
    void removeRefusedWhileSnapshotsExist() {
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        Await.result(img.createSnap("s"));
        Await.result(img.close());
        ClusterExceptionText.assertMessage("image has snapshots - these must be deleted with 'rbd snap purge' before"
            + " the image can be removed.", Await.failure(Errno.ENOTEMPTY, cluster.removeImage(spec("a"))));
        Image again = Await.result(cluster.openImage(spec("a")));
        Await.result(again.removeSnap("s"));
        Await.result(again.close());
        Await.result(cluster.removeImage(spec("a")));
    }

    @Test
    void removeDeletesTheObjectFiles() throws Exception {
        Image img = create("a", 8 * MIB, 22, ImageFeature.defaults());
        Await.result(img.write(0, random(1, 8 * MIB)));
        Await.result(img.flush());
        String id = Await.result(img.info()).id();
        Await.result(img.close());
        assertTrue(Files.isDirectory(dir.resolve("objects/1/" + id)));
        Await.result(cluster.removeImage(spec("a")));
        assertFalse(Files.exists(dir.resolve("objects/1/" + id)));
    }

    @Test
    void imagesInNamespacesAreSeparate() {
        PoolNamespace ns = new PoolNamespace("rbd", "tenant");
        Await.result(cluster.createNamespace(ns));
        Await.result(cluster.createImage(spec("a"), ImageOptions.of(MIB)));
        Await.result(cluster.createImage(new ImageSpec(ns, "a"), ImageOptions.of(2 * MIB)));
        Image inNs = Await.result(cluster.openImage(new ImageSpec(ns, "a")));
        assertEquals(2 * MIB, Await.result(inNs.info()).size());
        assertEquals(new ImageSpec(ns, "a"), inNs.spec());
        String nsId = Await.result(inNs.info()).id();
        Await.failure(Errno.ENOENT, cluster.openImageById(PoolNamespace.of("rbd"), nsId));
        Await.result(inNs.close());
        Await.failure(Errno.EBUSY, cluster.removeNamespace(ns));
        Await.result(cluster.removeImage(new ImageSpec(ns, "a")));
        Await.result(cluster.removeNamespace(ns));
        assertEquals(1, Await.result(cluster.listImages(PoolNamespace.of("rbd"))).size());
    }

    @Test
    void dataPoolHoldsTheObjects() throws Exception {
        Await.result(cluster.createPool("data"));
        Await.result(cluster.createImage(spec("a"), new ImageOptions(8 * MIB, 22, ImageFeature.defaults(), "data")));
        Image img = Await.result(cluster.openImage(spec("a")));
        ImageInfo info = Await.result(img.info());
        assertEquals("data", info.dataPool());
        assertTrue(info.features().contains(ImageFeature.DATA_POOL));
        Await.result(img.write(0, random(9, MIB)));
        Await.result(img.flush());
        assertTrue(Files.isDirectory(dir.resolve("objects/2/" + info.id())), "objects live in the data pool");
        assertFalse(Files.exists(dir.resolve("objects/1/" + info.id())));
        Await.result(img.close());
        Await.failure(Errno.EBUSY, cluster.removePool("data"));
        reopen();
        img = Await.result(cluster.openImage(spec("a")));
        assertArrayEquals(random(9, MIB).getBytes(), bytes(img, 0, MIB));
        Await.result(img.close());
        Await.result(cluster.removeImage(spec("a")));
        Await.result(cluster.removePool("data"));
        // a data pool equal to the image's pool is no separate data pool
        Await.result(cluster.createImage(spec("b"), new ImageOptions(MIB, 22, Set.of(ImageFeature.LAYERING), "rbd")));
        Image b = Await.result(cluster.openImage(spec("b")));
        assertNull(Await.result(b.info()).dataPool());
        assertEquals(Set.of(ImageFeature.LAYERING), Await.result(b.info()).features());
        Await.result(b.close());
    }

    @Test
    void removePoolRefusedWhileItHasImages() {
        Await.result(cluster.createImage(spec("a"), ImageOptions.of(MIB)));
        Await.failure(Errno.EBUSY, cluster.removePool("rbd"));
        Await.result(cluster.removeImage(spec("a")));
        Await.result(cluster.removePool("rbd"));
        assertEquals(List.of(), Await.result(cluster.listPools()));
    }

    @Test
    void updateFeaturesFollowsLibrbdRulesAndPersists() throws Exception {
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        ClusterExceptionText.assertMessage("librbd::DisableFeaturesRequest: cannot disable exclusive-lock. object-map"
                + " or journaling must be disabled before disabling exclusive-lock.",
            Await.failure(Errno.EINVAL, img.updateFeatures(Set.of(ImageFeature.EXCLUSIVE_LOCK), false)));
        Await.result(img.updateFeatures(Set.of(ImageFeature.OBJECT_MAP), false));
        Await.result(img.updateFeatures(Set.of(ImageFeature.EXCLUSIVE_LOCK), false));
        assertEquals(EnumSet.of(ImageFeature.LAYERING, ImageFeature.DEEP_FLATTEN), Await.result(img.info()).features());
        Await.failure(Errno.EINVAL, img.updateFeatures(Set.of(ImageFeature.JOURNALING), true));
        Await.failure(Errno.EINVAL, img.updateFeatures(Set.of(ImageFeature.LAYERING), false));
        Await.result(img.updateFeatures(Set.of(ImageFeature.EXCLUSIVE_LOCK, ImageFeature.JOURNALING), true));
        Await.result(img.close());
        reopen();
        img = Await.result(cluster.openImage(spec("a")));
        assertEquals(EnumSet.of(ImageFeature.LAYERING, ImageFeature.DEEP_FLATTEN, ImageFeature.EXCLUSIVE_LOCK,
            ImageFeature.JOURNALING), Await.result(img.info()).features());
        Await.result(img.close());
    }
}
