package io.mirrorhost.embedded.net;

import java.util.Set;

/**
 * Which remote calls read and which change state, by name ({@code Cluster.method},
 * {@code Image.method}, {@code Watch.method}): the capability check lets every client read, and a
 * fenced view checks its token on every call that changes state. A call not listed here changes state.
 */
public final class CallKinds {

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
            "Cluster.fenceGet", "Cluster.journalInfo", "Cluster.journalStatus", "Cluster.journalPeerClients",
            "Cluster.journalRead", "Cluster.journalTags");

    /** Reads of secrets (keys, peer attributes): admin-only, but they change nothing. */
    private static final Set<String> SECRET_READS = Set.of(
            "Cluster.configKeyGet", "Cluster.configKeyList", "Cluster.authGet", "Cluster.authList",
            "Cluster.mirrorPeerSiteGetAttributes", "Image.mirrorResyncRequested");

    private CallKinds() {
    }

    /** A read every authenticated client may make. */
    public static boolean isRead(String call) {
        return READS.contains(call);
    }

    /**
     * Whether a fenced view checks its token on {@code call}: every call that changes state, except
     * taking a fence, which is how a superseded holder comes back.
     */
    public static boolean isFenced(String call) {
        return !READS.contains(call) && !SECRET_READS.contains(call) && !call.equals("Cluster.fenceTake");
    }
}
