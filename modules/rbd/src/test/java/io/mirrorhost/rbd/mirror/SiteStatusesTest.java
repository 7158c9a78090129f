package io.mirrorhost.rbd.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SiteStatusesTest {
    private static final MirrorImageInfo INFO = new MirrorImageInfo("g", MirrorImageState.ENABLED,
            MirrorImageMode.SNAPSHOT, true);

    private static MirrorPeer peer(String uuid, MirrorPeerDirection direction, String mirrorUuid) {
        return new MirrorPeer(uuid, direction, "site-" + uuid, mirrorUuid, "client.x", null);
    }

    private static MirrorImageSiteStatus status(String mirrorUuid, MirrorImageStatusState state) {
        return new MirrorImageSiteStatus(mirrorUuid, state, "d", Instant.EPOCH.plusSeconds(60), true);
    }

    @Test
    void onlyTxPeersMeanNoLocalStatusIsExpected() {
        SiteStatuses sites = SiteStatuses.of(new MirrorImageGlobalStatus("i", "id", INFO, List.of()),
                List.of(peer("b", MirrorPeerDirection.TX_ONLY, "mb")));
        assertEquals(Optional.empty(), sites.local());
        assertEquals(List.of(), sites.peers());
    }

    @Test
    void statusesOfUnknownSitesAreDroppedAndMissingOnesAddedInUuidOrder() {
        SiteStatuses sites = SiteStatuses.of(new MirrorImageGlobalStatus("i", "id", INFO,
                        List.of(status("stale", MirrorImageStatusState.ERROR), status("mc", MirrorImageStatusState.SYNCING))),
                List.of(peer("b", MirrorPeerDirection.RX_TX, "mb"), peer("c", MirrorPeerDirection.RX_ONLY, "mc"),
                        peer("d", MirrorPeerDirection.RX_TX, "")));
        assertEquals(List.of("mc", "mb"), sites.peers().stream().map(MirrorImageSiteStatus::mirrorUuid).toList());
        assertEquals("down+unknown", SiteStatuses.state(sites.local().orElseThrow()));
        assertEquals("status not found", sites.local().orElseThrow().description());
        assertEquals("up+syncing", SiteStatuses.state(sites.peers().get(0)));
    }

    @Test
    void namesAndTimes() {
        assertEquals(Map.of("mb", "site-b"), SiteStatuses.peerNames(List.of(peer("b", MirrorPeerDirection.RX_TX, "mb"),
                peer("c", MirrorPeerDirection.RX_TX, ""))));
        assertEquals("", SiteStatuses.timestr(null, ZoneId.of("UTC")));
        assertEquals("", SiteStatuses.timestr(Instant.EPOCH, ZoneId.of("UTC")));
        assertEquals("2026-11-25 12:05:00", SiteStatuses.timestr(Instant.parse("2026-11-25T11:05:00Z"),
                ZoneId.of("Europe/Berlin")));
    }

    @Test
    void healthOrder() {
        assertEquals(MirrorHealth.OK, MirrorHealth.ofImages(Map.of()));
        assertEquals(MirrorHealth.OK, MirrorHealth.ofImages(Map.of(MirrorImageStatusState.STOPPED, 2,
                MirrorImageStatusState.REPLAYING, 1)));
        assertEquals(MirrorHealth.WARNING, MirrorHealth.ofImages(Map.of(MirrorImageStatusState.SYNCING, 1)));
        assertEquals(MirrorHealth.ERROR, MirrorHealth.ofImages(Map.of(MirrorImageStatusState.ERROR, 1,
                MirrorImageStatusState.SYNCING, 1)));
        assertEquals(MirrorHealth.UNKNOWN, MirrorHealth.OK.worst(MirrorHealth.UNKNOWN));
        assertEquals(MirrorHealth.WARNING, MirrorHealth.WARNING.worst(MirrorHealth.UNKNOWN));
    }
}
