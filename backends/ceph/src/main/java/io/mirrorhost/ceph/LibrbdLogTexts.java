package io.mirrorhost.ceph;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ImageFeature;
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

    // --- image create, rename, remove (librbd's internal.cc, Operations::rename, image::PreRemoveRequest) ---

    static String createImage(String name) {
        return "librbd: rbd image " + name + " already exists";
    }

    /** Also when renaming an image onto its own name: librbd finds the name taken. */
    static String renameTaken(String newName) {
        return OPERATIONS + "rbd image " + newName + " already exists";
    }

    static String renameSourceMissing() {
        return "librbd: error opening source image: " + Errno.ENOENT.describe();
    }

    /**
     * Why {@code rbd_remove} answered EBUSY: another client has the image open (its watchers are listed
     * after this client's own are filtered out). librbd also answers EBUSY when another client will not
     * release the exclusive lock, or the image is migrating; rbd's message is the same for all three.
     */
    static String removeBusy() {
        return "librbd::image::PreRemoveRequest: check_image_watchers: image has watchers - not removing";
    }

    // --- features (image::CreateRequest, Operations::update_features, Enable/DisableFeaturesRequest) ---

    private static final long EXCLUSIVE_LOCK = ImageFeature.EXCLUSIVE_LOCK.bit();
    private static final long OBJECT_MAP = ImageFeature.OBJECT_MAP.bit();
    private static final long FAST_DIFF = ImageFeature.FAST_DIFF.bit();
    private static final long JOURNALING = ImageFeature.JOURNALING.bit();
    private static final long MUTABLE = EXCLUSIVE_LOCK | OBJECT_MAP | FAST_DIFF | JOURNALING;
    private static final long DISABLE_ONLY = ImageFeature.DEEP_FLATTEN.bit();
    private static final long IMPLICIT = ImageFeature.STRIPINGV2.bit() | ImageFeature.DATA_POOL.bit() | FAST_DIFF
            | ImageFeature.OPERATIONS.bit() | ImageFeature.MIGRATING.bit() | ImageFeature.NON_PRIMARY.bit();
    private static final String OPERATIONS = "librbd::Operations: ";

    /** The most objects an object map holds ({@code cls::rbd::MAX_OBJECT_MAP_OBJECT_COUNT}). */
    private static final long MAX_OBJECT_MAP_OBJECTS = 256_000_000L;

    /**
     * Why {@code rbd_create4} refused an image of {@code size} bytes in objects of 2^{@code order} with the
     * {@code requested} feature mask ({@code validate_features}, then {@code validate_layout}).
     */
    static String createImage(Errno errno, long requested, long size, int order) {
        if (errno != Errno.EINVAL) {
            return null;
        }
        long features = requested & ~IMPLICIT;
        boolean lock = (features & EXCLUSIVE_LOCK) != 0;
        String validate = "librbd::image::CreateRequest: validate_features: ";
        if ((features & OBJECT_MAP) != 0 && !lock) {
            return validate + "cannot use object map without exclusive lock";
        }
        if ((features & JOURNALING) != 0 && !lock) {
            return validate + "cannot use journaling without exclusive lock";
        }
        long objects = (size >>> order) + ((size & ((1L << order) - 1)) == 0 ? 0 : 1);
        if ((features & OBJECT_MAP) != 0 && objects > MAX_OBJECT_MAP_OBJECTS) {
            return "librbd::image::CreateRequest: validate_layout: image size not compatible with object map";
        }
        return null;
    }

    /** Why {@code rbd_update_features(change, enable)} refused an image with {@code current} features. */
    static String updateFeatures(Errno errno, long current, long change, boolean enable) {
        if (errno != Errno.EINVAL) {
            return null;
        }
        long allowed = enable ? MUTABLE : MUTABLE | DISABLE_ONLY;
        if ((change & ~allowed) != 0) {
            return OPERATIONS + "cannot update immutable features";
        }
        long features = change;
        boolean objectMap = (change & OBJECT_MAP) != 0;
        boolean fastDiff = (change & FAST_DIFF) != 0;
        if (enable ? (objectMap && (current & FAST_DIFF) == 0) || (fastDiff && (current & OBJECT_MAP) == 0)
                : objectMap && (current & FAST_DIFF) != 0) {
            features |= OBJECT_MAP | FAST_DIFF;
        }
        if (features == 0) {
            return OPERATIONS + "update requires at least one feature";
        }
        if (enable && (features & current) != 0) {
            return OPERATIONS + "one or more requested features are already enabled";
        }
        if (!enable && (features & ~current) != 0) {
            return OPERATIONS + "one or more requested features are already disabled";
        }
        if ((features & (OBJECT_MAP | FAST_DIFF)) != 0) {
            features |= OBJECT_MAP | FAST_DIFF;
        }
        return enable ? enableFeatures(current, features) : disableFeatures(current, features & current);
    }

    private static String enableFeatures(long current, long added) {
        String enable = "librbd::EnableFeaturesRequest: ";
        long next = current | added;
        if ((added & OBJECT_MAP) != 0 && (next & EXCLUSIVE_LOCK) == 0) {
            return enable + "cannot enable object-map. exclusive-lock must be enabled before enabling object-map.";
        }
        if ((added & JOURNALING) != 0 && (next & EXCLUSIVE_LOCK) == 0) {
            return enable + "cannot enable journaling. exclusive-lock must be enabled before enabling journaling.";
        }
        return null;
    }

    private static String disableFeatures(long current, long removed) {
        String disable = "librbd::DisableFeaturesRequest: ";
        long next = current & ~removed;
        if ((removed & EXCLUSIVE_LOCK) != 0 && (next & (OBJECT_MAP | JOURNALING)) != 0) {
            return disable + "cannot disable exclusive-lock. object-map or journaling must be disabled before"
                    + " disabling exclusive-lock.";
        }
        if ((removed & JOURNALING) != 0) {
            // the one other refusal: the image is journal-mirrored in an image-mode pool
            return disable + "cannot disable journaling: journal-based mirroring enabled and mirror pool mode set"
                    + " to image";
        }
        return null;
    }

    /** Why {@code rbd_rebuild_object_map} refused an image with {@code features}. */
    static String rebuildObjectMap(Errno errno, long features) {
        return errno == Errno.EINVAL && (features & OBJECT_MAP) == 0
                ? OPERATIONS + "image must support object-map feature" : null;
    }
}
