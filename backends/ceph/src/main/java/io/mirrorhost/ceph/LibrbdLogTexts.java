package io.mirrorhost.ceph;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorSnapshotState;

/**
 * What librbd 16.2 logs (derr, without timestamp and thread) when a mirroring call fails, so that our
 * errors read as rbd's do: librbd reports only the errno to its caller and writes the reason to its log,
 * which `rbd` shows on stderr (we drop the request's address, keep its handler name). Picked by the errno
 * and the state that leads librbd to that error; null where librbd logs nothing we know of (the caller
 * then words the failure generically).
 */
final class LibrbdLogTexts {
    static final String API = "librbd::api::Mirror: ";
    private static final String UTIL = "librbd::mirror::snapshot::util:  can_create_primary_snapshot: ";

    private LibrbdLogTexts() {
    }

    static String modeSet(MirrorMode target, Errno errno) {
        if (target == MirrorMode.DISABLED && errno == Errno.EINVAL) {
            return API + "mode_set: failed to disable mirror mode: there are still images with mirroring enabled";
        }
        if (target == MirrorMode.DISABLED && errno == Errno.EBUSY) {
            return API + "mode_set: mirror peers still registered";
        }
        return null;
    }

    static String imageEnable(Errno errno, MirrorMode poolMode) {
        if (errno != Errno.EINVAL) {
            return null;
        }
        return poolMode != MirrorMode.IMAGE ? API + "image_enable: cannot enable mirroring: pool is not in image mirror mode"
                : "librbd::mirror::EnableRequest: handle_get_mirror_image: invalid current image mirror mode\n" + API
                        + "image_enable: cannot enable mirroring: " + Errno.EINVAL.describe();
    }

    static String imageDisable(Errno errno, MirrorMode poolMode) {
        if (errno != Errno.EINVAL) {
            return null;
        }
        return poolMode != MirrorMode.IMAGE ? API + "image_disable: cannot disable mirroring in the current pool"
                + " mirroring mode"
                : "librbd::mirror::DisableRequest: handle_get_mirror_info: mirrored image is not primary, add force"
                        + " option to disable mirroring\n" + API + "image_disable: cannot disable mirroring: " + Errno.EINVAL.describe();
    }

    static String promote(Errno errno) {
        String failed = "\n" + API + "image_promote: failed to promote image";
        return switch (errno) {
            case EINVAL -> "librbd::mirror::PromoteRequest: handle_get_info: image is already primary" + failed;
            case EBUSY -> "librbd::mirror::PromoteRequest: handle_get_info: image is primary within a remote cluster or"
                    + " demotion is not propagated yet" + failed;
            default -> null;
        };
    }

    static String demote(Errno errno) {
        return errno == Errno.EINVAL ? "librbd::mirror::DemoteRequest: handle_get_info: image is not primary\n" + API
                + "image_demote: failed to demote image" : null;
    }

    static String resync(Errno errno, boolean mirrored) {
        if (errno != Errno.EINVAL) {
            return null;
        }
        return mirrored ? API + "image_resync: image is primary, cannot resync to itself"
                : API + "image_resync: mirroring is not enabled, cannot resync";
    }

    /** {@code newest} is the state of the newest mirror-snapshot, or null if there is none. */
    static String createPrimarySnapshot(Errno errno, MirrorSnapshotState newest, boolean hasTxPeers) {
        if (errno != Errno.EINVAL) {
            return null;
        }
        if (newest == MirrorSnapshotState.PRIMARY_DEMOTED) {
            return UTIL + "trying to create primary snapshot without force when previous primary snapshot is demoted";
        }
        if (newest == MirrorSnapshotState.NON_PRIMARY || newest == MirrorSnapshotState.NON_PRIMARY_DEMOTED) {
            return UTIL + "trying to create primary snapshot without force when previous snapshot is non-primary";
        }
        if (!hasTxPeers) {
            return "librbd::mirror::snapshot::CreatePrimaryRequest: no mirror tx peers configured for the pool";
        }
        return null;
    }
}
