package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorPeers;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * {@link MirrorPeers} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledMirrorPeers extends MirrorPeers {

    @Override
    default Future<String> mirrorPeerBootstrapCreate(String pool) {
        return RoleFakes.notModelled("Cluster.mirrorPeerBootstrapCreate");
    }

    @Override
    default Future<Void> mirrorPeerBootstrapImport(String pool, MirrorPeerDirection direction, String token) {
        return RoleFakes.notModelled("Cluster.mirrorPeerBootstrapImport");
    }

    @Override
    default Future<String> mirrorPeerSiteAdd(String pool, String siteName, String clientName,
                                             MirrorPeerDirection direction) {
        return RoleFakes.notModelled("Cluster.mirrorPeerSiteAdd");
    }

    @Override
    default Future<Void> mirrorPeerSiteRemove(String pool, String uuid) {
        return RoleFakes.notModelled("Cluster.mirrorPeerSiteRemove");
    }

    @Override
    default Future<Void> mirrorPeerSiteSetName(String pool, String uuid, String siteName) {
        return RoleFakes.notModelled("Cluster.mirrorPeerSiteSetName");
    }

    @Override
    default Future<Void> mirrorPeerSiteSetClientName(String pool, String uuid, String clientName) {
        return RoleFakes.notModelled("Cluster.mirrorPeerSiteSetClientName");
    }

    @Override
    default Future<Void> mirrorPeerSiteSetDirection(String pool, String uuid, MirrorPeerDirection direction) {
        return RoleFakes.notModelled("Cluster.mirrorPeerSiteSetDirection");
    }

    @Override
    default Future<List<MirrorPeer>> mirrorPeerSiteList(String pool) {
        return RoleFakes.notModelled("Cluster.mirrorPeerSiteList");
    }

    @Override
    default Future<Map<String, String>> mirrorPeerSiteGetAttributes(String pool, String uuid) {
        return RoleFakes.notModelled("Cluster.mirrorPeerSiteGetAttributes");
    }

    @Override
    default Future<Void> mirrorPeerSiteSetAttributes(String pool, String uuid, Map<String, String> attributes) {
        return RoleFakes.notModelled("Cluster.mirrorPeerSiteSetAttributes");
    }

    @Override
    default Future<Void> mirrorPeerPing(String pool, String siteName, String mirrorUuid) {
        return RoleFakes.notModelled("Cluster.mirrorPeerPing");
    }
}
