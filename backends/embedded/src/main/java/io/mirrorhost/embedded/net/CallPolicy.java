package io.mirrorhost.embedded.net;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import java.util.Set;

/**
 * Which capability a remote call needs. Calls are named {@code Cluster.method}, {@code Image.method}
 * or {@code Watch.method}; anything neither a read ({@link CallKinds}) nor listed here needs
 * {@code admin}, so a new SPI method is denied to restricted clients until someone decides
 * otherwise. The config-key store, peer attributes and the auth database ({@code Cluster.auth*})
 * hold secret keys, so reading them is admin-only too.
 */
final class CallPolicy {

    /**
     * The writes a peer site makes on this cluster: its rbd-mirror daemon's, and a bootstrap import
     * registering itself as a peer with its connection attributes (rx-tx), which Ceph's
     * {@code profile rbd-mirror-peer} allows too. Its journal replayer registers, updates, commits
     * and removes its own client of the journals it follows, as that profile's cls_journal client
     * calls allow.
     */
    private static final Set<String> PEER_WRITES = Set.of(
            "Cluster.mirrorPeerPing", "Cluster.mirrorImageStatusSet", "Cluster.mirrorImageStatusRemove",
            "Image.mirrorSnapshotUnlinkPeer", "Image.removeSnapById", "Cluster.mirrorPeerSiteAdd", "Cluster.mirrorPeerSiteSetAttributes",
            "Cluster.serviceDaemonRegister", "Cluster.serviceDaemonUpdateStatus", "Cluster.serviceDaemonUnregister",
            "Cluster.journalClientRegister", "Cluster.journalClientUpdate", "Cluster.journalClientUnregister",
            "Cluster.journalClientCommit");

    private CallPolicy() {
    }

    static boolean allows(Set<Capability> caps, String call) {
        if (caps.contains(Capability.ADMIN)) {
            return true;
        }
        if (CallKinds.isRead(call)) {
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
