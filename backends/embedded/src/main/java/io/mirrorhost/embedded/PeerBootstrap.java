package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.embedded.net.AuthRegistry;
import io.mirrorhost.embedded.net.Capability;
import io.mirrorhost.embedded.net.ClientAuth;
import io.mirrorhost.embedded.net.ClusterServer;
import io.mirrorhost.embedded.net.RemoteCluster;
import io.mirrorhost.embedded.net.RemoteClusterOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;

/**
 * Peer bootstrap tokens (librbd {@code Mirror::peer_bootstrap_create/import}). Create makes (or
 * finds) the peer client {@code client.rbd-mirror-peer} with the {@code rbd-mirror-peer}
 * capability and hands out its key with this cluster's fsid and network address. Import checks the
 * token, connects to the peer with it, copies the peer pool's mirror mode if this pool has none,
 * registers the peer here and, for rx-tx, registers this site on the peer too.
 */
final class PeerBootstrap {
    static final String DEFAULT_PEER_CLIENT_ID = "rbd-mirror-peer";
    private static final String IMPORT = "librbd::api::Mirror: peer_bootstrap_import: ";

    private final EmbeddedCluster local;
    private final EmbeddedMirroring mirroring;
    private final Vertx vertx;

    PeerBootstrap(EmbeddedCluster local, EmbeddedMirroring mirroring, Vertx vertx) {
        this.local = local;
        this.mirroring = mirroring;
        this.vertx = vertx;
    }

    /** The peer client's id and key, and where peers reach this cluster. */
    private record Credentials(String clientId, String key, String monHost) {
    }

    Future<String> create(String pool) {
        return mirroring.poolMode(pool).compose(mode -> {
            if (mode == MirrorMode.DISABLED) {
                return Future.failedFuture(ClusterException.invalid("librbd::api::Mirror: peer_bootstrap_create:"
                    + " mirroring is not enabled on pool '" + pool + "'"));
            }
            return localCredentials();
        }).map(c -> new BootstrapToken(local.fsid(), c.clientId(), c.key(), c.monHost()).encode());
    }

    /** librbd {@code create_bootstrap_user}, then the address the cluster is served on. */
    private Future<Credentials> localCredentials() {
        return monHost().compose(monHost -> peerClientId().compose(clientId ->
            new AuthRegistry(local).getOrCreate("client." + clientId, Set.of(Capability.RBD_MIRROR_PEER))
                .recover(failure -> Future.failedFuture(ClusterException.errnoOf(failure) == Errno.EINVAL
                    ? new ClusterException(Errno.EEXIST, failure.getMessage()) : failure))
                .map(ClientAuth::key)
                .map(key -> new Credentials(clientId, key, monHost))));
    }

    private Future<String> peerClientId() {
        return local.configKeyGet(MirrorRecords.PEER_CLIENT_ID_KEY).compose(id -> {
            if (id.isPresent() && !id.get().isEmpty()) {
                return Future.succeededFuture(id.get());
            }
            return local.configKeySet(MirrorRecords.PEER_CLIENT_ID_KEY, DEFAULT_PEER_CLIENT_ID)
                .map(DEFAULT_PEER_CLIENT_ID);
        });
    }

    private Future<String> monHost() {
        return local.configKeyGet(ClusterServer.ADVERTISED_MON_HOST_KEY).compose(monHost -> monHost.isPresent()
            ? Future.succeededFuture(monHost.get())
            : Future.failedFuture(ClusterException.invalid("cluster " + local.fsid() + " is not served on the"
                + " network (config-key " + ClusterServer.ADVERTISED_MON_HOST_KEY + " is not set): serve it with"
                + " listen_port so that peers can reach it")));
    }

    Future<Void> importToken(String pool, MirrorPeerDirection direction, String token) {
        if (direction != MirrorPeerDirection.RX_ONLY && direction != MirrorPeerDirection.RX_TX) {
            return Future.failedFuture(ClusterException.invalid(IMPORT + "invalid mirror peer direction"));
        }
        BootstrapToken parsed;
        try {
            parsed = BootstrapToken.decode(token);
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        }
        if (parsed.fsid().equals(local.fsid())) {
            return Future.failedFuture(ClusterException.invalid(IMPORT + "cannot import token for local cluster"));
        }
        // the local pool must exist before anything else happens
        return local.mirrorModeGet(PoolNamespace.of(pool))
            .compose(localMode -> direction == MirrorPeerDirection.RX_TX ? localCredentials()
                .map(c -> new Local(localMode, c)) : Future.succeededFuture(new Local(localMode, null)))
            .compose(localState -> local.mirrorSiteNameGet().compose(localSite -> connect(parsed)
                .compose(remote -> importWith(remote, pool, direction, parsed, localState, localSite)
                    .transform(result -> remote.close().transform(closed -> result.succeeded()
                        ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(result.cause()))))));
    }

    private record Local(MirrorMode mode, Credentials credentials) {
    }

    private Future<Cluster> connect(BootstrapToken token) {
        Future<Cluster> connecting;
        try {
            connecting = RemoteCluster.connect(vertx, RemoteClusterOptions.of(token.monHost(), token.clientName(),
                token.key(), local.peerTrust()));
        } catch (ClusterException e) {
            connecting = Future.failedFuture(e);
        }
        return connecting.recover(failure -> {
            Errno errno = ClusterException.errnoOf(failure);
            return Future.failedFuture(new ClusterException(errno, IMPORT + "failed to connect to peer cluster: "
                + errno.describe() + " (" + failure.getMessage() + ")", failure));
        });
    }

    private Future<Void> importWith(Cluster remote, String pool, MirrorPeerDirection direction, BootstrapToken token,
                                    Local localState, String localSite) {
        String remoteFsid = remote.fsid();
        if (local.fsid().equals(remoteFsid)) {
            return Future.failedFuture(ClusterException.invalid(IMPORT + "cannot import token for local cluster"));
        }
        if (!token.fsid().equals(remoteFsid)) {
            return Future.failedFuture(ClusterException.invalid(IMPORT + "unexpected remote cluster fsid"));
        }
        return remote.mirrorSiteNameGet().compose(remoteSite -> {
            if (remoteSite.equals(localSite)) {
                return Future.failedFuture(ClusterException.invalid(IMPORT
                    + "cannot import token for duplicate site name"));
            }
            return remote.mirrorModeGet(PoolNamespace.of(pool))
                .recover(failure -> Future.failedFuture(ClusterException.errnoOf(failure) == Errno.ENOENT
                    ? ClusterException.notFound("") : failure))
                .compose(remoteMode -> {
                    if (remoteMode == MirrorMode.DISABLED) {
                        // rbd words it: "mirroring is not enabled on remote peer"
                        return Future.failedFuture(new ClusterException(Errno.ENOSYS, ""));
                    }
                    Future<Void> modeCopied = localState.mode() == MirrorMode.DISABLED
                        ? local.mirrorModeSet(PoolNamespace.of(pool), remoteMode) : Future.succeededFuture();
                    return modeCopied;
                })
                .compose(v -> {
                    if (direction != MirrorPeerDirection.RX_TX) {
                        return Future.<Void>succeededFuture();
                    }
                    Credentials mine = localState.credentials();
                    return createBootstrapPeer(remote, pool, MirrorPeerDirection.RX_TX, localSite, local.fsid(),
                        mine.clientId(), mine.key(), mine.monHost(), "local", "remote");
                })
                .compose(v -> createBootstrapPeer(local, pool, direction, remoteSite, remoteFsid, token.clientId(),
                    token.key(), token.monHost(), "remote", "local"));
        });
    }

    /**
     * librbd {@code create_bootstrap_peer}: adds the peer, or reuses the one peer if it is that site
     * (by name or fsid), then stores its connection attributes.
     */
    private static Future<Void> createBootstrapPeer(Cluster on, String pool, MirrorPeerDirection direction,
                                                    String siteName, String fsid, String clientId, String key,
                                                    String monHost, String peerSide, String clusterSide) {
        return on.mirrorPeerSiteList(pool).compose(peers -> {
            if (peers.isEmpty()) {
                return on.mirrorPeerSiteAdd(pool, siteName, "client." + clientId, direction)
                    .recover(failure -> Future.failedFuture(new ClusterException(ClusterException.errnoOf(failure),
                        failure.getMessage() + "\nlibrbd::api::Mirror: create_bootstrap_peer: failed to add " + peerSide
                            + " peer to " + clusterSide + " cluster: " + ClusterException.errnoOf(failure).describe(),
                        failure)));
            }
            MirrorPeer first = peers.get(0);
            if (!first.siteName().equals(siteName) && !first.siteName().equals(fsid)) {
                return Future.failedFuture(ClusterException.invalid("librbd::api::Mirror: create_bootstrap_peer:"
                    + " multiple peers are not currently supported"));
            }
            return Future.succeededFuture(first.uuid());
        }).compose(uuid -> on.mirrorPeerSiteSetAttributes(pool, uuid, Map.of("mon_host", monHost, "key", key))
            .recover(failure -> Future.failedFuture(new ClusterException(ClusterException.errnoOf(failure),
                "librbd::api::Mirror: create_bootstrap_peer: failed to update " + peerSide + " cluster connection"
                    + " attributes in " + clusterSide + " cluster: " + ClusterException.errnoOf(failure).describe(),
                failure))));
    }
}
