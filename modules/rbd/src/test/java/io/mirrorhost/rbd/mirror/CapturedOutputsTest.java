package io.mirrorhost.rbd.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The formatters given the state the real clusters were in when rbd 16.2 printed the captured outputs
 * (it/reference/rbd-outputs.md, section c) print those outputs byte for byte. The capture ran in UTC.
 */
class CapturedOutputsTest {
    private static final MirrorStatusFormatter FORMATTER = new MirrorStatusFormatter(ZoneOffset.UTC);
    private static final String A = "rbd --cluster site-a ";
    private static final String B = "rbd --cluster site-b ";
    private static final String PEER_OF_A = "28f4fb70-f68a-4841-bc76-4809168a197e";
    private static final String B_MIRROR_UUID = "0d9d06c8-6dda-4e66-9be5-460f457c25a1";
    private static final String[] IMAGES = {"image-1", "image-2", "image-3"};
    private static final String[] GLOBAL_IDS = {"980c4c15-3e6d-495b-afb6-d691212834bd",
        "fe023878-b09e-416b-8615-a9cbbeeda463", "ecf246c0-f6e5-4d2e-b57b-39b7e7631ba5"};
    private static final String SNAPSHOT_REPLAY = "replaying, {\"bytes_per_second\":0.0,\"bytes_per_snapshot\":0.0,"
            + "\"last_snapshot_bytes\":0,\"last_snapshot_sync_seconds\":0,\"local_snapshot_timestamp\":1795605818,"
            + "\"remote_snapshot_timestamp\":1795605818,\"replay_state\":\"idle\"}";
    private static final String JOURNAL_REPLAY = "replaying, {\"bytes_per_second\":17.5,\"entries_behind_primary\":0,"
            + "\"entries_per_second\":0.2,\"non_primary_position\":{\"entry_tid\":3,\"object_number\":3,\"tag_tid\":1},"
            + "\"primary_position\":{\"entry_tid\":3,\"object_number\":3,\"tag_tid\":1}}";

    private static Instant at(String time) {
        return Instant.parse("2026-11-25T" + time + "Z");
    }

    // --- mirror pool info ---

    private static MirrorPoolInfoFormatter.PoolInfo siteBAfterRxOnlyImport(boolean all) {
        String uuid = "29c36581-a8dc-4809-9c6b-499256fb5a67";
        return new MirrorPoolInfoFormatter.PoolInfo(MirrorMode.IMAGE, "site-b", false,
                List.of(new MirrorPeer(uuid, MirrorPeerDirection.RX_ONLY, "site-a", "", "client.rbd-mirror-peer", null)),
                all ? Map.of(uuid, Map.of("mon_host", "[v2:127.0.0.1:28660/0,v1:127.0.0.1:28661/0]",
                        "key", "<key>")) : null);  // the capture redacts cephx keys
    }

    @Test
    void poolInfoOfAnRxOnlyPeer() {
        assertEquals(ReferenceOutputs.stdout(B + "mirror pool info image-pool", 1),
                MirrorPoolInfoFormatter.plain(siteBAfterRxOnlyImport(false)));
        assertEquals(ReferenceOutputs.stdout(B + "mirror pool info image-pool --all", 1),
                MirrorPoolInfoFormatter.plain(siteBAfterRxOnlyImport(true)));
        assertEquals(ReferenceOutputs.stdout(B + "mirror pool info image-pool --format json --pretty-format", 1),
                MirrorPoolInfoFormatter.json(siteBAfterRxOnlyImport(false), true));
        assertEquals(ReferenceOutputs.stdout(B + "mirror pool info image-pool --all --format json --pretty-format", 1),
                MirrorPoolInfoFormatter.json(siteBAfterRxOnlyImport(true), true));
    }

    @Test
    void poolInfoWithoutPeers() {
        var info = new MirrorPoolInfoFormatter.PoolInfo(MirrorMode.IMAGE, "site-a", false, List.of(), null);
        assertEquals(ReferenceOutputs.stdout(A + "mirror pool info image-pool", 3), MirrorPoolInfoFormatter.plain(info));
        assertEquals(ReferenceOutputs.stdout(A + "mirror pool info image-pool --format json", 2),
                MirrorPoolInfoFormatter.json(info, false));
        var disabled = new MirrorPoolInfoFormatter.PoolInfo(MirrorMode.DISABLED, "site-a", false, List.of(), null);
        assertEquals(ReferenceOutputs.stdout(A + "mirror pool info image-pool --format json", 1),
                MirrorPoolInfoFormatter.json(disabled, false));
    }

    // --- before the daemons ran: no statuses, the peer's mirror uuid still unknown ---

    private static final List<MirrorPeer> PEERS_BEFORE = List.of(new MirrorPeer(PEER_OF_A, MirrorPeerDirection.RX_TX,
            "site-b", "", "client.rbd-mirror-peer", null));

    private static MirrorStatusFormatter.ImageStatus noStatus(int image, List<SnapInfo> snaps) {
        MirrorImageGlobalStatus status = new MirrorImageGlobalStatus(IMAGES[image], "id" + image,
                new MirrorImageInfo(GLOBAL_IDS[image], MirrorImageState.ENABLED, MirrorImageMode.SNAPSHOT, true),
                List.of());
        return new MirrorStatusFormatter.ImageStatus(IMAGES[image], GLOBAL_IDS[image],
                SiteStatuses.of(status, PEERS_BEFORE), SiteStatuses.peerNames(PEERS_BEFORE), null, snaps);
    }

    @Test
    void imageStatusWithoutADaemon() {
        SnapInfo snap = new SnapInfo(4, ".mirror.primary.980c4c15-3e6d-495b-afb6-d691212834bd."
                + "ccbc85ba-7fa9-4f65-9263-ec2e040c9037", 1L << 30, at("11:23:31"), SnapNamespace.MIRROR, false,
                MirrorSnapshotInfo.primary(Set.of(PEER_OF_A), false));
        assertEquals(ReferenceOutputs.stdout(A + "mirror image status image-pool/image-1", 2),
                FORMATTER.imagePlain(noStatus(0, List.of(snap))));
        assertEquals(ReferenceOutputs.stdout(A + "mirror image status image-pool/image-1 --format json --pretty-format", 1),
                FORMATTER.imageJson(noStatus(0, List.of(snap)), true));
        assertEquals(ReferenceOutputs.stdout(A + "mirror image status image-pool/image-2", 1),
                FORMATTER.imagePlain(noStatus(1, List.of())));
    }

    @Test
    void verbosePoolStatusWithoutADaemon() {
        List<MirrorStatusFormatter.ImageStatus> images = List.of(noStatus(0, List.of()), noStatus(1, List.of()),
                noStatus(2, List.of()));
        var pool = new MirrorStatusFormatter.PoolStatus(Map.of(MirrorImageStatusState.UNKNOWN, 3),
                MirrorDaemons.Report.NONE, images);
        assertEquals(ReferenceOutputs.stdout(A + "mirror pool status image-pool --verbose", 1), FORMATTER.poolPlain(pool));
        assertEquals(ReferenceOutputs.stdout(A + "mirror pool status image-pool --verbose --format json --pretty-format", 1),
                FORMATTER.poolJson(pool, true));
        var summary = new MirrorStatusFormatter.PoolStatus(Map.of(MirrorImageStatusState.UNKNOWN, 3),
                MirrorDaemons.Report.NONE, null);
        assertEquals(ReferenceOutputs.stdout(A + "mirror pool status image-pool", 1), FORMATTER.poolPlain(summary));
        var empty = new MirrorStatusFormatter.PoolStatus(Map.of(), MirrorDaemons.Report.NONE, List.of());
        assertEquals(ReferenceOutputs.stdout(B + "mirror pool status image-pool --verbose", 1), FORMATTER.poolPlain(empty));
    }

    // --- both daemons replaying ---

    private static final List<MirrorPeer> PEERS_RUNNING = List.of(new MirrorPeer(PEER_OF_A, MirrorPeerDirection.RX_TX,
            "site-b", B_MIRROR_UUID, "client.rbd-mirror-peer", at("11:24:10")));
    private static final MirrorService SITE_A_DAEMON = new MirrorService("6196", "6198", "admin", "vm", "16.2.15", true,
            MirrorHealth.OK, List.of());

    private static MirrorStatusFormatter.ImageStatus replayedFromB(int image) {
        MirrorImageGlobalStatus status = new MirrorImageGlobalStatus(IMAGES[image], "id" + image,
                new MirrorImageInfo(GLOBAL_IDS[image], MirrorImageState.ENABLED,
                        image == 0 ? MirrorImageMode.SNAPSHOT : MirrorImageMode.JOURNAL, true),
                List.of(new MirrorImageSiteStatus("", MirrorImageStatusState.STOPPED, "local image is primary",
                                at("11:24:10"), true),
                        new MirrorImageSiteStatus(B_MIRROR_UUID, MirrorImageStatusState.REPLAYING,
                                image == 0 ? SNAPSHOT_REPLAY : JOURNAL_REPLAY, at("11:24:12"), true)));
        return new MirrorStatusFormatter.ImageStatus(IMAGES[image], GLOBAL_IDS[image],
                SiteStatuses.of(status, PEERS_RUNNING), SiteStatuses.peerNames(PEERS_RUNNING), SITE_A_DAEMON, List.of());
    }

    @Test
    void verbosePoolStatusWithTheDaemonsReplaying() {
        var report = new MirrorDaemons.Report(List.of(SITE_A_DAEMON), MirrorHealth.OK,
                Map.of("id0", "6198", "id1", "6198", "id2", "6198"));
        var pool = new MirrorStatusFormatter.PoolStatus(Map.of(MirrorImageStatusState.REPLAYING, 3), report,
                List.of(replayedFromB(0), replayedFromB(1), replayedFromB(2)));
        assertEquals(ReferenceOutputs.stdout(A + "mirror pool status image-pool --verbose", 2), FORMATTER.poolPlain(pool));
        assertEquals(ReferenceOutputs.stdout(A + "mirror pool status image-pool --verbose --format json --pretty-format", 2),
                FORMATTER.poolJson(pool, true));
        assertEquals(ReferenceOutputs.stdout(A + "mirror image status image-pool/image-2", 2),
                FORMATTER.imagePlain(replayedFromB(1)));
    }
}
