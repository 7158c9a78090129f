package io.mirrorhost.replayer.snapshot;

import io.mirrorhost.api.cluster.SnapInfo;
import java.util.List;

/**
 * An image copy's promotion state as librbd's {@code mirror::GetInfoRequest} derives it: the newest
 * mirror-snapshot decides.
 */
public enum Promotion {
    PRIMARY, NON_PRIMARY, ORPHAN, UNKNOWN;

    /** @param mirrorSnaps the image's mirror-snapshots, oldest first */
    public static Promotion of(List<SnapInfo> mirrorSnaps) {
        if (mirrorSnaps.isEmpty()) {
            return UNKNOWN;
        }
        return switch (mirrorSnaps.get(mirrorSnaps.size() - 1).mirror().state()) {
            case PRIMARY -> PRIMARY;
            case NON_PRIMARY -> NON_PRIMARY;
            case PRIMARY_DEMOTED, NON_PRIMARY_DEMOTED -> ORPHAN;
        };
    }
}
