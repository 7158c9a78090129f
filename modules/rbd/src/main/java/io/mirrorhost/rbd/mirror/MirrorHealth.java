package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.cluster.MirrorImageStatusState;
import java.util.Map;

/**
 * Health as {@code rbd mirror pool status} prints it ({@code MirrorHealth} in rbd's
 * {@code MirrorDaemonServiceInfo.h}); declared in rbd's order so that the worse of two is the greater.
 */
public enum MirrorHealth {
    OK, UNKNOWN, WARNING, ERROR;

    public MirrorHealth worst(MirrorHealth other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /**
     * Image health from the per-state counts ({@code get_mirror_image_status} in MirrorPool.cc): any
     * state but replaying or stopped warns, an error state is an error; no images at all is OK.
     */
    public static MirrorHealth ofImages(Map<MirrorImageStatusState, Integer> states) {
        MirrorHealth health = OK;
        for (MirrorImageStatusState state : states.keySet()) {
            if (state != MirrorImageStatusState.REPLAYING && state != MirrorImageStatusState.STOPPED) {
                health = health.worst(WARNING);
            }
            if (state == MirrorImageStatusState.ERROR) {
                health = health.worst(ERROR);
            }
        }
        return health;
    }
}
