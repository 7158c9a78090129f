package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * A pool's mirror peers ({@code rbd_mirror_peer_*}): the sites it mirrors with, how to reach them
 * and which way. Changed by {@code rbd mirror pool peer} commands and bootstrap; listed by the
 * replayer each time it decides which peers to replay from, and pinged by its daemon.
 */
public interface MirrorPeers {

    /** Creates the peer client with its capabilities and returns the bootstrap token (base64 JSON). */
    Future<String> mirrorPeerBootstrapCreate(String pool);

    Future<Void> mirrorPeerBootstrapImport(String pool, MirrorPeerDirection direction, String token);

    /** Adds a peer; returns its uuid. */
    Future<String> mirrorPeerSiteAdd(String pool, String siteName, String clientName,
                                     MirrorPeerDirection direction);

    Future<Void> mirrorPeerSiteRemove(String pool, String uuid);

    /** Renames a peer site ({@code rbd_mirror_peer_site_set_name}); ENOENT for an unknown uuid. */
    Future<Void> mirrorPeerSiteSetName(String pool, String uuid, String siteName);

    /** Changes the client a peer is reached as ({@code rbd_mirror_peer_site_set_client_name}). */
    Future<Void> mirrorPeerSiteSetClientName(String pool, String uuid, String clientName);

    /** Changes which way this site mirrors with a peer ({@code rbd_mirror_peer_site_set_direction}). */
    Future<Void> mirrorPeerSiteSetDirection(String pool, String uuid, MirrorPeerDirection direction);

    Future<List<MirrorPeer>> mirrorPeerSiteList(String pool);

    /** Peer attributes ({@code mon_host}, {@code key}), kept in the config-key store. */
    Future<Map<String, String>> mirrorPeerSiteGetAttributes(String pool, String uuid);

    Future<Void> mirrorPeerSiteSetAttributes(String pool, String uuid, Map<String, String> attributes);

    /** A peer daemon announces itself ({@code mirror_peer_ping}); adds a tx-only peer if unknown. */
    Future<Void> mirrorPeerPing(String pool, String siteName, String mirrorUuid);
}
