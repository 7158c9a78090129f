package io.mirrorhost.ceph;

import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.ceph.jna.LibRbd;

/**
 * librbd's enum values and ours. The SPI enums are declared in librbd's order, so ordinals are the C
 * values; these checks keep that assumption in one place.
 */
final class MirrorEnums {
    private MirrorEnums() {
    }

    static MirrorMode mode(int value) {
        return MirrorMode.values()[value];
    }

    static int mode(MirrorMode mode) {
        return mode.ordinal();
    }

    static MirrorImageMode imageMode(int value) {
        return MirrorImageMode.values()[value];
    }

    static MirrorImageState imageState(int value) {
        return MirrorImageState.values()[value];
    }

    static MirrorImageStatusState statusState(int value) {
        return value >= 0 && value < MirrorImageStatusState.values().length ? MirrorImageStatusState.values()[value]
                : MirrorImageStatusState.UNKNOWN;
    }

    static MirrorSnapshotState snapshotState(int value) {
        return MirrorSnapshotState.values()[value];
    }

    static SnapNamespace snapNamespace(int value) {
        return SnapNamespace.values()[value];
    }

    static int direction(MirrorPeerDirection direction) {
        return switch (direction) {
            case RX_ONLY -> LibRbd.RBD_MIRROR_PEER_DIRECTION_RX;
            case TX_ONLY -> LibRbd.RBD_MIRROR_PEER_DIRECTION_TX;
            case RX_TX -> LibRbd.RBD_MIRROR_PEER_DIRECTION_RX_TX;
        };
    }

    static MirrorPeerDirection direction(int value) {
        return switch (value) {
            case LibRbd.RBD_MIRROR_PEER_DIRECTION_RX -> MirrorPeerDirection.RX_ONLY;
            case LibRbd.RBD_MIRROR_PEER_DIRECTION_TX -> MirrorPeerDirection.TX_ONLY;
            default -> MirrorPeerDirection.RX_TX;
        };
    }
}
