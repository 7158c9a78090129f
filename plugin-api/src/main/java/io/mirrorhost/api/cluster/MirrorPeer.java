package io.mirrorhost.api.cluster;

import java.time.Instant;

/**
 * A peer site of a pool ({@code rbd_mirror_peer_site_t}).
 *
 * @param uuid       the peer's id in this pool
 * @param direction  which way this site mirrors with it
 * @param siteName   the peer site's name (its cluster name for a manually added peer)
 * @param mirrorUuid the peer pool's mirror uuid, once a daemon has seen it (else empty)
 * @param clientName the client this site's daemon uses on the peer ({@code client.rbd-mirror-peer})
 * @param lastSeen   when the peer's daemon last pinged this pool, or null
 */
public record MirrorPeer(String uuid, MirrorPeerDirection direction, String siteName, String mirrorUuid,
                         String clientName, Instant lastSeen) {
}
