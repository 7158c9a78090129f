package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Mirror modes of pools and namespaces, the mirror uuid, remote namespaces and the site name (librbd 16.2). */
class MirrorPoolModesTest extends StoreTestBase {
    static final PoolNamespace RBD = PoolNamespace.of("rbd");
    static final Set<ImageFeature> JOURNALED = EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK,
        ImageFeature.JOURNALING);

    @Test
    void enablingCreatesTheMirrorUuidAndDisablingDropsIt() {
        assertEquals(MirrorMode.DISABLED, Await.result(cluster.mirrorModeGet(RBD)));
        Await.failure(Errno.ENOENT, cluster.mirrorUuidGet("rbd"));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        assertEquals(MirrorMode.IMAGE, Await.result(cluster.mirrorModeGet(RBD)));
        String uuid = Await.result(cluster.mirrorUuidGet("rbd"));
        assertEquals(36, uuid.length());
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.POOL));
        assertEquals(uuid, Await.result(cluster.mirrorUuidGet("rbd")), "a mode switch keeps the uuid");
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.DISABLED));
        Await.failure(Errno.ENOENT, cluster.mirrorUuidGet("rbd"));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        assertNotEquals(uuid, Await.result(cluster.mirrorUuidGet("rbd")));
        Await.failure(Errno.ENOENT, cluster.mirrorModeGet(PoolNamespace.of("nope")));
        Await.failure(Errno.ENOENT, cluster.mirrorModeSet(new PoolNamespace("rbd", "nope"), MirrorMode.IMAGE));
    }

    @Test
    void poolModeMirrorsJournaledImagesAndImageModeKeepsThem() {
        create("journaled", MIB, 22, JOURNALED).close();
        create("plain", MIB, 22, ImageFeature.defaults()).close();
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.POOL));
        var infos = Await.result(cluster.mirrorImageInfoList(RBD));
        assertEquals(1, infos.size());
        var info = infos.values().iterator().next();
        assertEquals(MirrorImageMode.JOURNAL, info.mode());
        assertTrue(info.primary());
        // pool -> image: images stay mirrored; image -> pool keeps them too
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        assertEquals(infos, Await.result(cluster.mirrorImageInfoList(RBD)));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.POOL));
        assertEquals(infos, Await.result(cluster.mirrorImageInfoList(RBD)));
        // a new image with journaling in a pool-mode pool is mirrored at once
        Await.result(cluster.createImage(spec("later"), new ImageOptions(MIB, 22, JOURNALED, null)));
        assertEquals(2, Await.result(cluster.mirrorImageInfoList(RBD)).size());
    }

    @Test
    void disablingAPoolModePoolDisablesItsImagesAndTheirJournaling() {
        Image img = create("journaled", MIB, 22, JOURNALED);
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.POOL));
        assertEquals(MirrorImageState.ENABLED, Await.result(img.mirrorInfo()).state());
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.DISABLED));
        assertEquals(MirrorImageState.DISABLED, Await.result(img.mirrorInfo()).state());
        assertFalse(Await.result(img.info()).features().contains(ImageFeature.JOURNALING),
            "librbd's image_disable turns journaling off");
        assertEquals(MirrorMode.DISABLED, Await.result(cluster.mirrorModeGet(RBD)));
        Await.result(img.close());
    }

    @Test
    void imageModeRefusesToBeDisabledWhileImagesAreMirrored() {
        Image img = create("a", MIB, 22, ImageFeature.defaults());
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        ClusterExceptionText.assertMessage("librbd::api::Mirror: mode_set: failed to disable mirror mode: there are"
            + " still images with mirroring enabled", Await.failure(Errno.EINVAL,
            cluster.mirrorModeSet(RBD, MirrorMode.DISABLED)));
        assertEquals(MirrorMode.IMAGE, Await.result(cluster.mirrorModeGet(RBD)), "nothing changed");
        Await.result(img.mirrorDisable(false));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.DISABLED));
        Await.result(img.close());
    }

    @Test
    void registeredPeersKeepThePoolEnabled() {
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        String peer = Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.rbd-mirror-peer",
            MirrorPeerDirection.RX_TX));
        ClusterExceptionText.assertMessage("librbd::api::Mirror: mode_set: mirror peers still registered",
            Await.failure(Errno.EBUSY, cluster.mirrorModeSet(RBD, MirrorMode.DISABLED)));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.POOL));
        Await.result(cluster.mirrorPeerSiteRemove("rbd", peer));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.DISABLED));
    }

    @Test
    void namespacesNeedThePoolEnabledFirst() {
        PoolNamespace ns = new PoolNamespace("rbd", "ns1");
        Await.result(cluster.createNamespace(ns));
        assertEquals(MirrorMode.DISABLED, Await.result(cluster.mirrorModeGet(ns)));
        var refused = Await.failure(Errno.EINVAL, cluster.mirrorModeSet(ns, MirrorMode.IMAGE));
        assertTrue(refused.getMessage().contains("cannot enable mirroring in namespace when pool mirroring is"
            + " disabled"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("librbd::api::Mirror: mode_set: failed to set mirror mode to image:"
            + " (22) Invalid argument"), refused.getMessage());
        assertEquals(MirrorMode.DISABLED, Await.result(cluster.mirrorModeGet(ns)));

        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.result(cluster.mirrorModeSet(ns, MirrorMode.IMAGE));
        assertEquals(MirrorMode.IMAGE, Await.result(cluster.mirrorModeGet(ns)));
        assertEquals(MirrorMode.IMAGE, Await.result(cluster.mirrorModeGet(RBD)));
        Await.failure(Errno.EBUSY, cluster.mirrorModeSet(RBD, MirrorMode.DISABLED));

        Await.result(cluster.createImage(new ImageSpec(ns, "img"), ImageOptions.of(MIB)));
        Image img = Await.result(cluster.openImage(new ImageSpec(ns, "img")));
        Await.result(img.mirrorEnable(MirrorImageMode.SNAPSHOT));
        assertEquals(1, Await.result(cluster.mirrorImageInfoList(ns)).size());
        assertEquals(0, Await.result(cluster.mirrorImageInfoList(RBD)).size(), "namespaces are apart");
        Await.failure(Errno.EINVAL, cluster.mirrorModeSet(ns, MirrorMode.DISABLED));
        Await.result(img.mirrorDisable(false));
        Await.result(img.close());
        Await.result(cluster.mirrorModeSet(ns, MirrorMode.DISABLED));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.DISABLED));
    }

    @Test
    void remoteNamespaceDefaultsToTheSameName() {
        PoolNamespace ns = new PoolNamespace("rbd", "ns-a");
        Await.result(cluster.createNamespace(ns));
        assertEquals("ns-a", Await.result(cluster.mirrorRemoteNamespaceGet(ns)));
        assertEquals("", Await.result(cluster.mirrorRemoteNamespaceGet(RBD)));
        Await.result(cluster.mirrorRemoteNamespaceSet(ns, "ns-b"));
        assertEquals("ns-b", Await.result(cluster.mirrorRemoteNamespaceGet(ns)));
        Await.result(cluster.mirrorRemoteNamespaceSet(RBD, "other"));
        assertEquals("other", Await.result(cluster.mirrorRemoteNamespaceGet(RBD)));
        Await.failure(Errno.EINVAL, cluster.mirrorRemoteNamespaceSet(ns, "bad/name"));
        assertEquals("ns-b", Await.result(cluster.mirrorRemoteNamespaceGet(ns)));
    }

    @Test
    void theRemoteNamespaceCannotChangeWhileTheNamespaceIsMirrored() {
        PoolNamespace ns = new PoolNamespace("rbd", "ns-a");
        Await.result(cluster.createNamespace(ns));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.result(cluster.mirrorRemoteNamespaceSet(ns, "ns-b"));
        Await.result(cluster.mirrorModeSet(ns, MirrorMode.IMAGE));
        ClusterExceptionText.assertMessage("librbd::api::Mirror: remote_namespace_set: failed to set remote mirror"
            + " namespace: (22) Invalid argument", Await.failure(Errno.EINVAL, cluster.mirrorRemoteNamespaceSet(ns, "ns-c")));
        assertEquals("ns-b", Await.result(cluster.mirrorRemoteNamespaceGet(ns)), "nothing changed");
        Await.result(cluster.mirrorModeSet(ns, MirrorMode.DISABLED));
        Await.result(cluster.mirrorRemoteNamespaceSet(ns, "ns-c"));
        assertEquals("ns-c", Await.result(cluster.mirrorRemoteNamespaceGet(ns)));
    }

    @Test
    void siteNameDefaultsToTheFsidAndIsTrimmed() throws Exception {
        assertEquals(cluster.fsid(), Await.result(cluster.mirrorSiteNameGet()));
        Await.result(cluster.mirrorSiteNameSet("  site-a \n"));
        assertEquals("site-a", Await.result(cluster.mirrorSiteNameGet()));
        assertEquals("site-a", Await.result(cluster.configKeyGet("rbd/mirror/site_name")).orElseThrow());
        reopen();
        assertEquals("site-a", Await.result(cluster.mirrorSiteNameGet()));
        Await.result(cluster.mirrorSiteNameSet(""));
        assertEquals(cluster.fsid(), Await.result(cluster.mirrorSiteNameGet()));
    }

    @Test
    void modeChangesAreAnnouncedOnRbdMirroring() throws Exception {
        LinkedBlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
        Watch watch = Await.result(cluster.watch(RBD, "rbd_mirroring", b -> events.add(b.toJsonObject())));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        JsonObject event = events.poll(10, TimeUnit.SECONDS);
        assertEquals("mode_updated", event.getString("type"));
        assertEquals("image", event.getString("mode"));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
        Await.failure(Errno.ENOENT, cluster.mirrorModeSet(new PoolNamespace("rbd", "missing"), MirrorMode.IMAGE));
        Await.result(cluster.mirrorModeSet(RBD, MirrorMode.DISABLED));
        assertEquals("disabled", events.poll(10, TimeUnit.SECONDS).getString("mode"),
            "no event for a call that changed nothing");
        Await.result(watch.close());
    }
}
