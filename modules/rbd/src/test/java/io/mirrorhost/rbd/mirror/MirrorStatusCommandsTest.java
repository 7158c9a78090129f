package io.mirrorhost.rbd.mirror;

import static io.mirrorhost.rbd.mirror.MirrorHarness.POOL;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertOk;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertResult;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.SnapInfo;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code rbd mirror image status} and {@code rbd mirror pool status [--verbose]}. */
class MirrorStatusCommandsTest {
    private static final String PEER_MIRROR_UUID = "bbbbbbbb-0000-4000-8000-00000000000b";
    private static final Instant T1 = Instant.parse("2026-11-25T11:05:00Z");
    private static final Instant T2 = Instant.parse("2026-11-25T11:05:30Z");

    private final MirrorHarness rbd = MirrorHarness.siteA();
    private final ImageSpec image = rbd.createImage("image-1", ImageFeature.defaults());
    private String peerUuid;

    MirrorStatusCommandsTest() {
        rbd.setSiteName("site-a");
        assertOk(rbd.run("mirror pool enable", POOL, "image"), "");
    }

    @AfterEach
    void close() throws Exception {
        rbd.close();
    }

    private void addPeer() {
        peerUuid = rbd.addPeer("site-b", MirrorPeerDirection.RX_TX, PEER_MIRROR_UUID);
    }

    private String globalId() {
        return rbd.mirrorInfo(image).globalId();
    }

    private void recordStatuses() {
        rbd.setStatus(image, new MirrorImageSiteStatus("", MirrorImageStatusState.REPLAYING, "replaying", T1, true));
        rbd.setStatus(image, new MirrorImageSiteStatus(PEER_MIRROR_UUID, MirrorImageStatusState.STOPPED,
                "local image is primary", T2, true));
    }

    @Test
    void imageStatusWithoutAnyRecordedStatus() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        assertOk(rbd.run("mirror image status", "image-pool/image-1"), "image-1:\n"
                + "  global_id:   " + globalId() + "\n"
                + "  state:       down+unknown\n"
                + "  description: status not found\n"
                + "  last_update: \n");
        assertOk(rbd.json("mirror image status", "image-pool/image-1"), "{\"name\":\"image-1\",\"global_id\":\""
                + globalId() + "\",\"state\":\"down+unknown\",\"description\":\"status not found\","
                + "\"last_update\":\"\"}\n");
    }

    @Test
    void imageStatusListsMissingPeerSitesAsUnknown() {
        addPeer();
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        assertOk(rbd.run("mirror image status", "image-pool/image-1"), "image-1:\n"
                + "  global_id:   " + globalId() + "\n"
                + "  state:       down+unknown\n"
                + "  description: status not found\n"
                + "  last_update: \n"
                + "  peer_sites:\n"
                + "    name: site-b\n"
                + "    state: down+unknown\n"
                + "    description: status not found\n"
                + "    last_update: \n");
    }

    @Test
    void imageStatusOfAPrimarySnapshotImageShowsItsMirrorSnapshots() {
        addPeer();
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "snapshot"), "Mirroring enabled\n");
        assertTrue(rbd.run("mirror image snapshot", "image-pool/image-1").stdout().startsWith("Snapshot ID: "));
        recordStatuses();
        List<SnapInfo> snaps = rbd.mirrorSnapshots(image);
        SnapInfo first = snaps.get(0);
        SnapInfo second = snaps.get(1);
        assertOk(rbd.run("mirror image status", "image-pool/image-1"), "image-1:\n"
                + "  global_id:   " + globalId() + "\n"
                + "  state:       up+replaying\n"
                + "  description: replaying\n"
                + "  last_update: 2026-11-25 11:05:00\n"
                + "  peer_sites:\n"
                + "    name: site-b\n"
                + "    state: up+stopped\n"
                + "    description: local image is primary\n"
                + "    last_update: 2026-11-25 11:05:30\n"
                + "  snapshots:\n"
                + "    " + first.id() + " " + first.name() + " (peer_uuids:[" + peerUuid + "])\n"
                + "    " + second.id() + " " + second.name() + " (peer_uuids:[" + peerUuid + "])\n");
        assertOk(rbd.json("mirror image status", "image-pool/image-1"), "{\"name\":\"image-1\",\"global_id\":\""
                + globalId() + "\",\"state\":\"up+replaying\",\"description\":\"replaying\","
                + "\"last_update\":\"2026-11-25 11:05:00\",\"peer_sites\":[{\"site_name\":\"site-b\","
                + "\"mirror_uuids\":\"" + PEER_MIRROR_UUID + "\",\"state\":\"up+stopped\","
                + "\"description\":\"local image is primary\",\"last_update\":\"2026-11-25 11:05:30\"}],"
                + "\"snapshots\":[{\"id\":" + first.id() + ",\"name\":\"" + first.name() + "\",\"demoted\":false,"
                + "\"mirror_peer_uuids\":[\"" + peerUuid + "\"]},{\"id\":" + second.id() + ",\"name\":\""
                + second.name() + "\",\"demoted\":false,\"mirror_peer_uuids\":[\"" + peerUuid + "\"]}]}\n");
    }

    @Test
    void aDemotedImageShowsNoSnapshots() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "snapshot"), "Mirroring enabled\n");
        assertOk(rbd.run("mirror image demote", "image-pool/image-1"), "Image demoted to non-primary\n");
        assertOk(rbd.run("mirror image status", "image-pool/image-1"), "image-1:\n"
                + "  global_id:   " + globalId() + "\n"
                + "  state:       down+unknown\n"
                + "  description: status not found\n"
                + "  last_update: \n");
    }

    @Test
    void imageStatusErrors() {
        assertResult(rbd.run("mirror image status", "image-pool/image-1"), -22, "",
                "rbd: mirroring not enabled on the image\n");
        assertResult(rbd.run("mirror image status", "image-pool/nope"), -2, "",
                "rbd: error opening image nope: (2) No such file or directory\n");
    }

    @Test
    void poolStatusSummary() {
        assertOk(rbd.run("mirror pool status", POOL), "health: UNKNOWN\ndaemon health: UNKNOWN\n"
                + "image health: OK\nimages: 0 total\n");
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        assertOk(rbd.run("mirror pool status", POOL), "health: WARNING\ndaemon health: UNKNOWN\n"
                + "image health: WARNING\nimages: 1 total\n    1 unknown\n");
        recordStatuses();
        assertOk(rbd.run("mirror pool status", POOL), "health: UNKNOWN\ndaemon health: UNKNOWN\n"
                + "image health: OK\nimages: 1 total\n    1 replaying\n");
        assertOk(rbd.json("mirror pool status", POOL), "{\"summary\":{\"health\":\"UNKNOWN\","
                + "\"daemon_health\":\"UNKNOWN\",\"image_health\":\"OK\",\"states\":{\"replaying\":1}}}\n");
        assertOk(rbd.pretty("mirror pool status", POOL), """
                {
                    "summary": {
                        "health": "UNKNOWN",
                        "daemon_health": "UNKNOWN",
                        "image_health": "OK",
                        "states": {
                            "replaying": 1
                        }
                    }
                }
                """);
    }

    @Test
    void aPrimarysSummaryCountsHowThePeerReplaysIt() {
        addPeer();
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        rbd.setStatus(image, new MirrorImageSiteStatus("", MirrorImageStatusState.STOPPED, "local image is primary",
                T1, true));
        assertOk(rbd.run("mirror pool status", POOL), "health: UNKNOWN\ndaemon health: UNKNOWN\n"
                + "image health: OK\nimages: 1 total\n    1 stopped\n");
        rbd.setStatus(image, new MirrorImageSiteStatus(PEER_MIRROR_UUID, MirrorImageStatusState.REPLAYING,
                "replaying", T2, true));
        assertOk(rbd.run("mirror pool status", POOL), "health: UNKNOWN\ndaemon health: UNKNOWN\n"
                + "image health: OK\nimages: 1 total\n    1 replaying\n");
    }

    @Test
    void poolStatusImageHealthFollowsTheWorstState() {
        ImageSpec image2 = rbd.createImage("image-2", ImageFeature.defaults());
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        assertOk(rbd.run("mirror image enable", "image-pool/image-2", "journal"), "Mirroring enabled\n");
        recordStatuses();
        rbd.setStatus(image2, new MirrorImageSiteStatus("", MirrorImageStatusState.ERROR, "split-brain", T1, true));
        assertOk(rbd.run("mirror pool status", POOL), "health: ERROR\ndaemon health: UNKNOWN\n"
                + "image health: ERROR\nimages: 2 total\n    1 error\n    1 replaying\n");
    }

    @Test
    void verbosePoolStatusListsDaemonsAndImages() {
        addPeer();
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        rbd.createImage("not-mirrored", ImageFeature.defaults());
        recordStatuses();
        assertOk(rbd.run("mirror pool status", POOL, "--verbose"), "health: UNKNOWN\n"
                + "daemon health: UNKNOWN\n"
                + "image health: OK\n"
                + "images: 1 total\n"
                + "    1 replaying\n"
                + "\n"
                + "DAEMONS\n"
                + "  none\n"
                + "\n"
                + "IMAGES\n"
                + "image-1:\n"
                + "  global_id:   " + globalId() + "\n"
                + "  state:       up+replaying\n"
                + "  description: replaying\n"
                + "  last_update: 2026-11-25 11:05:00\n"
                + "  peer_sites:\n"
                + "    name: site-b\n"
                + "    state: up+stopped\n"
                + "    description: local image is primary\n"
                + "    last_update: 2026-11-25 11:05:30\n");
        assertOk(rbd.json("mirror pool status", POOL, "--verbose"), "{\"summary\":{\"health\":\"UNKNOWN\","
                + "\"daemon_health\":\"UNKNOWN\",\"image_health\":\"OK\",\"states\":{\"replaying\":1}},"
                + "\"daemons\":[],\"images\":[{\"name\":\"image-1\",\"global_id\":\"" + globalId() + "\","
                + "\"state\":\"up+replaying\",\"description\":\"replaying\",\"last_update\":\"2026-11-25 11:05:00\","
                + "\"peer_sites\":[{\"site_name\":\"site-b\",\"mirror_uuids\":\"" + PEER_MIRROR_UUID + "\","
                + "\"state\":\"up+stopped\",\"description\":\"local image is primary\","
                + "\"last_update\":\"2026-11-25 11:05:30\"}]}]}\n");
    }

    @Test
    void verbosePoolStatusWithAReportingDaemon() {
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        recordStatuses();
        MirrorService service = new MirrorService("4157", "4160", "mirror.site-a", "host-a", "16.2.15", true,
                MirrorHealth.OK, List.of());
        MirrorService lagging = new MirrorService("4170", "", "mirror.site-a2", "host-b", "16.2.15", false,
                MirrorHealth.WARNING, List.of("not reporting status"));
        String imageId = rbd.imageId(image);
        rbd.daemons = where -> Future.succeededFuture(new MirrorDaemons.Report(List.of(service, lagging),
                MirrorHealth.WARNING, Map.of(imageId, "4160")));
        assertOk(rbd.run("mirror pool status", POOL, "--verbose"), "health: WARNING\n"
                + "daemon health: WARNING\n"
                + "image health: OK\n"
                + "images: 1 total\n"
                + "    1 replaying\n"
                + "\n"
                + "DAEMONS\n"
                + "service 4157:\n"
                + "  instance_id: 4160\n"
                + "  client_id: mirror.site-a\n"
                + "  hostname: host-a\n"
                + "  version: 16.2.15\n"
                + "  leader: true\n"
                + "  health: OK\n"
                + "\n"
                + "service 4170:\n"
                + "  instance_id: \n"
                + "  client_id: mirror.site-a2\n"
                + "  hostname: host-b\n"
                + "  version: 16.2.15\n"
                + "  leader: false\n"
                + "  health: WARNING\n"
                + "  callouts: not reporting status\n"
                + "\n"
                + "\n"
                + "IMAGES\n"
                + "image-1:\n"
                + "  global_id:   " + globalId() + "\n"
                + "  state:       up+replaying\n"
                + "  description: replaying\n"
                + "  service:     mirror.site-a on host-a\n"
                + "  last_update: 2026-11-25 11:05:00\n");
        assertOk(rbd.json("mirror image status", "image-pool/image-1"), "{\"name\":\"image-1\",\"global_id\":\""
                + globalId() + "\",\"state\":\"up+replaying\",\"description\":\"replaying\","
                + "\"daemon_service\":{\"service_id\":\"4157\",\"instance_id\":\"4160\","
                + "\"daemon_id\":\"mirror.site-a\",\"hostname\":\"host-a\"},"
                + "\"last_update\":\"2026-11-25 11:05:00\"}\n");
        String json = rbd.json("mirror pool status", POOL, "--verbose").stdout();
        assertTrue(json.contains("\"daemons\":[{\"service_id\":\"4157\","
                + "\"instance_id\":\"4160\",\"client_id\":\"mirror.site-a\",\"hostname\":\"host-a\","
                + "\"ceph_version\":\"16.2.15\",\"leader\":true,\"health\":\"OK\"},{\"service_id\":\"4170\","
                + "\"instance_id\":\"\",\"client_id\":\"mirror.site-a2\",\"hostname\":\"host-b\","
                + "\"ceph_version\":\"16.2.15\",\"leader\":false,\"health\":\"WARNING\","
                + "\"callouts\":[\"not reporting status\"]}]"), json);
    }

    @Test
    void verbosePoolStatusWithoutMirroredImagesEndsWithTheBareHeading() {
        assertOk(rbd.run("mirror pool status", POOL, "--verbose"), "health: UNKNOWN\n"
                + "daemon health: UNKNOWN\nimage health: OK\nimages: 0 total\n\nDAEMONS\n  none\n\nIMAGES");
    }

    @Test
    void poolStatusErrors() {
        assertOk(rbd.run("mirror pool disable", POOL), "");
        assertResult(rbd.run("mirror pool status", POOL), -22, "", "rbd: mirroring not enabled on the pool\n");
        assertResult(rbd.run("mirror pool status", "no-such-pool"), -2, "",
                "rbd: error opening pool 'no-such-pool': (2) No such file or directory\n");
    }
}
