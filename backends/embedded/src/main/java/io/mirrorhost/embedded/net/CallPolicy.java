package io.mirrorhost.embedded.net;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import java.util.Set;

/**
 * Which capability a remote call needs. Calls are named {@code Cluster.method}, {@code Image.method}
 * or {@code Watch.method}; anything not listed here needs {@code admin}, so a new SPI method is
 * denied to restricted clients until someone decides otherwise. The config-key store, peer
 * attributes and the auth database ({@code Cluster.auth*}) hold secret keys, so reading them is
 * admin-only too.
 */
final class CallPolicy {

    /** Reads and watches: allowed to every authenticated client. */
    private static final Set<String> READS = Set.of(
            "Cluster.listPools", "Cluster.listNamespaces", "Cluster.listImages",
            "Cluster.openImage", "Cluster.openImageById", "Cluster.openImageAtSnap",
            "Cluster.omapGet", "Cluster.watch",
            "Cluster.mirrorModeGet", "Cluster.mirrorRemoteNamespaceGet", "Cluster.mirrorUuidGet",
            "Cluster.mirrorSiteNameGet", "Cluster.mirrorPeerSiteList", "Cluster.mirrorImageInfoList",
            "Cluster.mirrorImageGlobalStatusList", "Cluster.mirrorImageStatusSummary",
            "Image.info", "Image.read", "Image.readExtents", "Image.listSnaps", "Image.diff", "Image.lockOwners",
            "Image.updateWatch", "Image.mirrorInfo", "Image.mirrorGlobalStatus", "Image.close",
            "Watch.close", "Cluster.instanceId", "Cluster.serviceDaemonList", "Cluster.mirrorImageInstanceIdList",
            "Cluster.journalInfo", "Cluster.journalStatus");

    /**
     * The writes a peer site makes on this cluster: its rbd-mirror daemon's, and a bootstrap import
     * registering itself as a peer with its connection attributes (rx-tx), which Ceph's
     * {@code profile rbd-mirror-peer} allows too.
     */
    private static final Set<String> PEER_WRITES = Set.of(
            "Cluster.mirrorPeerPing", "Cluster.mirrorImageStatusSet", "Cluster.mirrorImageStatusRemove",
            "Image.mirrorSnapshotUnlinkPeer", "Image.removeSnapById", "Cluster.mirrorPeerSiteAdd", "Cluster.mirrorPeerSiteSetAttributes",
            "Cluster.serviceDaemonRegister", "Cluster.serviceDaemonUpdateStatus", "Cluster.serviceDaemonUnregister");

    private CallPolicy() {
    }

    static boolean allows(Set<Capability> caps, String call) {
        if (caps.contains(Capability.ADMIN)) {
            return true;
        }
        if (READS.contains(call)) {
            return !caps.isEmpty();
        }
        return PEER_WRITES.contains(call) && caps.contains(Capability.RBD_MIRROR_PEER);
    }

    static void check(String client, Set<Capability> caps, String call) {
        if (!allows(caps, call)) {
            throw new ClusterException(Errno.EACCES, "permission denied: " + client + " (caps " + caps
                    + ") may not call " + call);
        }
    }
}
