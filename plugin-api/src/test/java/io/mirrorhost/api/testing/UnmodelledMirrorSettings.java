package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorSettings;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Future;

/**
 * {@link MirrorSettings} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledMirrorSettings extends MirrorSettings {

    @Override
    default Future<MirrorMode> mirrorModeGet(PoolNamespace where) {
        return RoleFakes.notModelled("Cluster.mirrorModeGet");
    }

    @Override
    default Future<Void> mirrorModeSet(PoolNamespace where, MirrorMode mode) {
        return RoleFakes.notModelled("Cluster.mirrorModeSet");
    }

    @Override
    default Future<String> mirrorRemoteNamespaceGet(PoolNamespace where) {
        return RoleFakes.notModelled("Cluster.mirrorRemoteNamespaceGet");
    }

    @Override
    default Future<Void> mirrorRemoteNamespaceSet(PoolNamespace where, String remoteNamespace) {
        return RoleFakes.notModelled("Cluster.mirrorRemoteNamespaceSet");
    }

    @Override
    default Future<String> mirrorUuidGet(String pool) {
        return RoleFakes.notModelled("Cluster.mirrorUuidGet");
    }

    @Override
    default Future<String> mirrorSiteNameGet() {
        return RoleFakes.notModelled("Cluster.mirrorSiteNameGet");
    }

    @Override
    default Future<Void> mirrorSiteNameSet(String siteName) {
        return RoleFakes.notModelled("Cluster.mirrorSiteNameSet");
    }
}
