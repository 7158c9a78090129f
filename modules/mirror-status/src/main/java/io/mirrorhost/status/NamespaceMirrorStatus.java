package io.mirrorhost.status;

import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.PoolNamespace;
import java.util.Map;

/**
 * The mirroring of one pool or namespace at one moment: its mode and how many images are in each
 * replay state, with the image health {@code rbd mirror pool status} derives from those counts.
 */
public record NamespaceMirrorStatus(PoolNamespace where, MirrorMode mode, Map<MirrorImageStatusState, Integer> states) {

    public NamespaceMirrorStatus {
        states = Map.copyOf(states);
    }

    /**
     * Ceph's image health: any image in error makes ERROR; any image neither replaying nor stopped
     * (syncing, starting, unknown, ...) makes WARNING; otherwise OK.
     */
    public Health imageHealth() {
        Health health = Health.OK;
        for (var entry : states.entrySet()) {
            if (entry.getValue() == 0) {
                continue;
            }
            switch (entry.getKey()) {
                case ERROR -> health = health.worst(Health.ERROR);
                case REPLAYING, STOPPED -> { }
                default -> health = health.worst(Health.WARNING);
            }
        }
        return health;
    }

    public int imageCount() {
        return states.values().stream().mapToInt(Integer::intValue).sum();
    }
}
