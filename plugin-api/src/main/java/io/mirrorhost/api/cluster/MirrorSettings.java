package io.mirrorhost.api.cluster;

import io.vertx.core.Future;

/**
 * How a pool or namespace mirrors ({@code rbd_mirror_mode_*}, {@code rbd_mirror_site_name_*}): its
 * mirror mode, the peer namespace it mirrors with, the pool's mirror uuid and this site's name.
 * Read by every module that decides what to mirror (on each scan), changed by
 * {@code rbd mirror pool enable|disable} and the site-name commands.
 */
public interface MirrorSettings {

    Future<MirrorMode> mirrorModeGet(PoolNamespace where);

    Future<Void> mirrorModeSet(PoolNamespace where, MirrorMode mode);

    /** The namespace on the peer that this namespace mirrors with ({@code --remote-namespace}). */
    Future<String> mirrorRemoteNamespaceGet(PoolNamespace where);

    Future<Void> mirrorRemoteNamespaceSet(PoolNamespace where, String remoteNamespace);

    /** The pool's mirror uuid, created when mirroring is first enabled. */
    Future<String> mirrorUuidGet(String pool);

    Future<String> mirrorSiteNameGet();

    Future<Void> mirrorSiteNameSet(String siteName);
}
