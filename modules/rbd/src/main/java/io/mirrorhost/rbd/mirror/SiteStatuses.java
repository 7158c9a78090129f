package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An image's site statuses arranged as rbd shows them (rbd's {@code Utils.cc}:
 * {@code populate_unknown_mirror_image_site_statuses}, {@code get_local_mirror_image_status},
 * {@code get_mirror_peer_mirror_uuids_to_names}, {@code mirror_image_site_status_state}, {@code timestr}).
 *
 * @param local the local site's status (mirror uuid ""), if any is expected or recorded
 * @param peers the statuses of the peer sites, in rbd's order
 */
public record SiteStatuses(Optional<MirrorImageSiteStatus> local, List<MirrorImageSiteStatus> peers) {

    /** The mirror uuid under which a site records the status of its own copy. */
    public static final String LOCAL_MIRROR_UUID = "";
    static final String STATUS_NOT_FOUND = "status not found";
    private static final DateTimeFormatter TIMESTR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /**
     * Keeps the statuses of the sites that should report (every peer that receives, by mirror uuid, and
     * the local site unless every peer is tx-only) and adds {@code down+unknown} "status not found" for
     * those that did not, in mirror-uuid order after the recorded ones.
     */
    public static SiteStatuses of(MirrorImageGlobalStatus status, List<MirrorPeer> poolPeers) {
        TreeSet<String> missing = new TreeSet<>();
        MirrorPeerDirection direction = MirrorPeerDirection.RX_TX;
        for (MirrorPeer peer : poolPeers) {
            if (peer == poolPeers.get(0)) {
                direction = peer.direction();
            } else if (direction != MirrorPeerDirection.RX_TX && direction != peer.direction()) {
                direction = MirrorPeerDirection.RX_TX;
            }
            if (!peer.mirrorUuid().isEmpty() && peer.direction() != MirrorPeerDirection.TX_ONLY) {
                missing.add(peer.mirrorUuid());
            }
        }
        if (direction != MirrorPeerDirection.TX_ONLY) {
            missing.add(LOCAL_MIRROR_UUID);
        }
        List<MirrorImageSiteStatus> kept = new ArrayList<>();
        for (MirrorImageSiteStatus site : status.siteStatuses()) {
            if (missing.remove(site.mirrorUuid())) {
                kept.add(site);
            }
        }
        for (String mirrorUuid : missing) {
            kept.add(new MirrorImageSiteStatus(mirrorUuid, MirrorImageStatusState.UNKNOWN, STATUS_NOT_FOUND, null,
                    false));
        }
        Optional<MirrorImageSiteStatus> local = kept.stream()
                .filter(s -> s.mirrorUuid().equals(LOCAL_MIRROR_UUID)).findFirst();
        List<MirrorImageSiteStatus> peers = kept.stream()
                .filter(s -> !s.mirrorUuid().equals(LOCAL_MIRROR_UUID)).toList();
        return new SiteStatuses(local, peers);
    }

    /** Peer mirror uuid to site name, for peers that have both. */
    public static Map<String, String> peerNames(List<MirrorPeer> poolPeers) {
        Map<String, String> names = new HashMap<>();
        for (MirrorPeer peer : poolPeers) {
            if (!peer.mirrorUuid().isEmpty() && !peer.siteName().isEmpty()) {
                names.put(peer.mirrorUuid(), peer.siteName());
            }
        }
        return names;
    }

    /** {@code up+replaying}, {@code down+unknown}. */
    public static String state(MirrorImageSiteStatus status) {
        return (status.up() ? "up+" : "down+") + status.state().label();
    }

    /** {@code 2026-11-25 11:11:15} in local time; empty for no time, as rbd's {@code timestr}. */
    public static String timestr(Instant time, ZoneId zone) {
        if (time == null || time.getEpochSecond() == 0) {
            return "";
        }
        return TIMESTR.format(time.atZone(zone));
    }
}
