package io.mirrorhost.it;

import static io.mirrorhost.it.Await.failure;
import static io.mirrorhost.it.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Image mirroring through the ceph backend on a bootstrapped pool (no rbd-mirror running), checked
 * against rbd info, rbd snap ls --all and rbd mirror image/pool status.
 */
class MirrorImageOnCephTest {
    static final long MiB = 1L << 20;
    static TwoSites sites;
    static String pool;

    @BeforeAll
    static void setUp() {
        sites = new TwoSites();
        pool = CephClusters.unique("mimg");
        sites.mirroredPool(pool);
        sites.bootstrap(pool);
    }

    @AfterAll
    static void close() {
        if (sites != null) {
            sites.close();
        }
    }

    private static JsonObject rbdInfo(String image) {
        return sites.siteA.rbd("info", pool + "/" + image, "--format", "json").json();
    }

    private static Image created(String name) {
        ImageSpec spec = ImageSpec.of(pool, "", name);
        result(sites.a.createImage(spec, ImageOptions.of(8 * MiB)));
        return result(sites.a.openImage(spec));
    }

    @Test
    void enableSnapshotAndInfoMatchRbdInfo() {
        Image image = created("enable");
        assertEquals(MirrorImageState.DISABLED, result(image.mirrorInfo()).state());
        assertFalse(rbdInfo("enable").containsKey("mirroring"));

        result(image.mirrorEnable(MirrorImageMode.SNAPSHOT));
        JsonObject mirroring = rbdInfo("enable").getJsonObject("mirroring");
        MirrorImageInfo info = result(image.mirrorInfo());
        assertEquals(mirroring.getString("global_id"), info.globalId());
        assertEquals(mirroring.getString("mode"), info.mode().label());
        assertEquals(mirroring.getString("state"), info.state().label());
        assertEquals(mirroring.getBoolean("primary"), info.primary());
        assertEquals(new MirrorImageInfo(info.globalId(), MirrorImageState.ENABLED, MirrorImageMode.SNAPSHOT, true), info);

        String imageId = result(image.info()).id();
        assertEquals(info, result(sites.a.mirrorImageInfoList(PoolNamespace.of(pool))).get(imageId));

        result(image.mirrorDisable(false));
        assertFalse(rbdInfo("enable").containsKey("mirroring"));
        assertFalse(result(sites.a.mirrorImageInfoList(PoolNamespace.of(pool))).containsKey(imageId));
        result(image.close());
    }

    @Test
    void mirrorSnapshotsShowInRbdSnapLsAllWithTheirPeers() {
        Image image = created("snaps");
        result(image.mirrorEnable(MirrorImageMode.SNAPSHOT));
        result(image.write(0, Buffer.buffer("hello")));
        result(image.flush());
        long snapId = result(image.mirrorCreateSnapshot());

        JsonObject rbdSnap = sites.siteA.rbd("snap", "ls", "--all", pool + "/snaps", "--format", "json").jsonArray()
                .stream().map(JsonObject.class::cast).filter(s -> s.getLong("id") == snapId).findFirst().orElseThrow();
        JsonObject ns = rbdSnap.getJsonObject("namespace");
        assertEquals("mirror", ns.getString("type"));
        assertEquals("primary", ns.getString("state"));

        SnapInfo ours = result(image.listSnaps()).stream().filter(s -> s.id() == snapId).findFirst().orElseThrow();
        assertEquals(rbdSnap.getString("name"), ours.name());
        assertEquals(SnapNamespace.MIRROR, ours.namespace());
        assertEquals(MirrorSnapshotState.PRIMARY, ours.mirror().state());
        assertEquals(ns.getBoolean("complete"), ours.mirror().complete());
        Set<String> rbdPeers = ns.getJsonArray("mirror_peer_uuids").stream().map(String::valueOf)
                .collect(Collectors.toSet());
        assertEquals(rbdPeers, ours.mirror().mirrorPeerUuids());
        assertEquals(Set.of(result(sites.a.mirrorPeerSiteList(pool)).get(0).uuid()), rbdPeers);
        // the snapshot of enabling plus ours, as rbd info counts them
        assertEquals(rbdInfo("snaps").getLong("snapshot_count"), result(image.info()).snapshotCount());

        failure(Errno.EOPNOTSUPP, image.diff(snapId, 0, 8 * MiB, false));
        failure(Errno.EOPNOTSUPP, image.mirrorCreateNonPrimarySnapshot("uuid", 1, Map.of()));
        failure(Errno.EOPNOTSUPP, image.mirrorSnapshotSetCopyProgress(snapId, true, 0));

        String peer = ours.mirror().mirrorPeerUuids().iterator().next();
        result(image.mirrorSnapshotUnlinkPeer(snapId, peer));
        JsonObject after = sites.siteA.rbd("snap", "ls", "--all", pool + "/snaps", "--format", "json").jsonArray()
                .stream().map(JsonObject.class::cast).filter(s -> s.getLong("id") == snapId).findFirst().orElseThrow();
        assertTrue(after.getJsonObject("namespace").getJsonArray("mirror_peer_uuids").isEmpty());
        assertEquals("peer " + peer + " is not linked to snapshot id " + snapId,
                failure(Errno.ENOENT, image.mirrorSnapshotUnlinkPeer(snapId, peer)).getMessage());
        result(image.close());
    }

    @Test
    void demoteAndPromoteAsRbdInfoShows() {
        Image image = created("failover");
        result(image.mirrorEnable(MirrorImageMode.SNAPSHOT));
        failure(Errno.EINVAL, image.mirrorResync());

        result(image.mirrorDemote());
        assertFalse(rbdInfo("failover").getJsonObject("mirroring").getBoolean("primary"));
        assertFalse(result(image.mirrorInfo()).primary());
        failure(Errno.EROFS, image.write(0, Buffer.buffer("x")));
        List<SnapInfo> snaps = result(image.listSnaps());
        assertEquals(MirrorSnapshotState.PRIMARY_DEMOTED, snaps.get(snaps.size() - 1).mirror().state());

        assertFalse(result(image.mirrorResyncRequested()));
        result(image.mirrorResync());
        assertTrue(result(image.mirrorResyncRequested()));
        assertTrue(sites.siteA.rbd("image-meta", "list", pool + "/failover", "--format", "json").out()
                .contains("resync_requested"));

        result(image.mirrorPromote(false));
        assertTrue(rbdInfo("failover").getJsonObject("mirroring").getBoolean("primary"));
        assertTrue(result(image.mirrorInfo()).primary());
        result(image.write(0, Buffer.buffer("x")));
        result(image.close());
    }

    /**
     * The librbd log lines rbd printed on stderr, without timestamp, thread and level, and without the
     * request's address ({@code 0x7f21b804d960 }), as the backends word them.
     */
    private static String librbdLog(CephSite.Result rbd) {
        return rbd.err().lines().filter(l -> l.contains(" librbd::"))
                .map(l -> l.substring(l.indexOf("librbd::")).replaceFirst("^(librbd::[\\w:]+: )0x[0-9a-f]+ ", "$1"))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void librbdsRefusalsReadAsRbdPrintsThem() {
        Image image = created("refusals");
        result(image.mirrorEnable(MirrorImageMode.SNAPSHOT));

        CephSite.Result rbdResync = sites.siteA.tool("rbd", "mirror", "image", "resync", pool + "/refusals");
        assertEquals(22, rbdResync.exit());
        assertEquals(librbdLog(rbdResync), failure(Errno.EINVAL, image.mirrorResync()).getMessage());

        CephSite.Result rbdPromote = sites.siteA.tool("rbd", "mirror", "image", "promote", pool + "/refusals");
        assertEquals(22, rbdPromote.exit());
        assertEquals(librbdLog(rbdPromote), failure(Errno.EINVAL, image.mirrorPromote(false)).getMessage());

        result(image.mirrorDemote());
        CephSite.Result rbdDemote = sites.siteA.tool("rbd", "mirror", "image", "demote", pool + "/refusals");
        assertEquals(22, rbdDemote.exit());
        assertEquals(librbdLog(rbdDemote), failure(Errno.EINVAL, image.mirrorDemote()).getMessage());

        CephSite.Result rbdSnapshot = sites.siteA.tool("rbd", "mirror", "image", "snapshot", pool + "/refusals");
        assertEquals(22, rbdSnapshot.exit());
        assertEquals(librbdLog(rbdSnapshot), failure(Errno.EINVAL, image.mirrorCreateSnapshot()).getMessage());

        CephSite.Result rbdDisable = sites.siteA.tool("rbd", "mirror", "image", "disable", pool + "/refusals");
        assertEquals(22, rbdDisable.exit());
        assertEquals(librbdLog(rbdDisable), failure(Errno.EINVAL, image.mirrorDisable(false)).getMessage());

        // the pool still has its peer: EBUSY, "mirror peers still registered"
        CephSite.Result rbdPoolDisable = sites.siteA.tool("rbd", "mirror", "pool", "disable", pool);
        assertEquals(16, rbdPoolDisable.exit());
        assertEquals(librbdLog(rbdPoolDisable), failure(Errno.EBUSY,
                sites.a.mirrorModeSet(PoolNamespace.of(pool), io.mirrorhost.api.cluster.MirrorMode.DISABLED)).getMessage());
        result(image.mirrorPromote(false));
        result(image.close());
    }

    @Test
    void statusesAreWhatRbdMirrorStatusReports() {
        Image image = created("status");
        result(image.mirrorEnable(MirrorImageMode.SNAPSHOT));
        MirrorImageGlobalStatus ours = result(image.mirrorGlobalStatus());
        JsonObject rbdStatus = sites.siteA.rbd("mirror", "image", "status", pool + "/status", "--format", "json").json();
        assertEquals(rbdStatus.getString("name"), ours.name());
        assertEquals(rbdStatus.getString("global_id"), ours.info().globalId());
        MirrorImageSiteStatus local = ours.siteStatuses().stream().filter(s -> s.mirrorUuid().isEmpty()).findFirst()
                .orElseThrow();
        assertEquals(rbdStatus.getString("state"), (local.up() ? "up+" : "down+") + local.state().label());
        assertEquals(rbdStatus.getString("description"), local.description());
        assertEquals(result(image.info()).id(), ours.imageId());

        JsonObject poolStatus = sites.siteA.rbd("mirror", "pool", "status", pool, "--verbose", "--format", "json").json();
        JsonArray rbdImages = poolStatus.getJsonArray("images");
        List<MirrorImageGlobalStatus> list = result(sites.a.mirrorImageGlobalStatusList(PoolNamespace.of(pool)));
        assertEquals(rbdImages.stream().map(o -> ((JsonObject) o).getString("name")).collect(Collectors.toSet()),
                list.stream().map(MirrorImageGlobalStatus::name).collect(Collectors.toSet()));
        for (MirrorImageGlobalStatus s : list) {
            assertEquals(MirrorImageMode.SNAPSHOT, s.info().mode());
        }
        Map<MirrorImageStatusState, Integer> summary = result(sites.a.mirrorImageStatusSummary(PoolNamespace.of(pool)));
        JsonObject states = poolStatus.getJsonObject("summary").getJsonObject("states");
        assertEquals(states.getMap().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        e -> ((Number) e.getValue()).intValue())),
                summary.entrySet().stream().filter(e -> e.getValue() > 0).collect(Collectors.toMap(
                        e -> e.getKey().label(), Map.Entry::getValue)));
        result(image.close());
    }

    @Test
    void aNonMirroredImageHasNoGlobalStatusToShow() {
        Image image = created("plain");
        MirrorImageInfo info = result(image.mirrorInfo());
        assertEquals(MirrorImageState.DISABLED, info.state());
        assertNull(rbdInfo("plain").getJsonObject("mirroring"));
        assertEquals(22, sites.siteA.tool("rbd", "mirror", "image", "status", pool + "/plain").exit());
        result(image.close());
    }
}
