package io.mirrorhost.replayer;

import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which pool replayers should run, as rbd-mirror's {@code update_pool_replayers}: pools
 * with mirroring disabled are skipped, tx-only peers are ignored (the daemon only pulls), and only
 * one receiving peer per pool is used.
 */
public final class PoolReplayerPlanner {
    static final String MULTIPLE_RX_PEERS = "multiple RX peers are not currently supported";

    private PoolReplayerPlanner() {
    }

    /** The pool replayers to run, by pool name. */
    public static Map<String, PoolReplayerTarget> plan(List<PoolMirrorConfig> pools) {
        Map<String, PoolReplayerTarget> targets = new LinkedHashMap<>();
        for (PoolMirrorConfig pool : pools) {
            if (pool.mode() == MirrorMode.DISABLED) {
                continue;
            }
            List<MirrorPeer> receiving = pool.peers().stream()
                    .filter(p -> p.direction().receives())
                    .sorted(Comparator.comparing(MirrorPeer::uuid))
                    .toList();
            if (receiving.isEmpty()) {
                continue;
            }
            String warning = receiving.size() > 1 ? MULTIPLE_RX_PEERS : null;
            targets.put(pool.pool(), new PoolReplayerTarget(pool.pool(), receiving.get(0), warning));
        }
        return targets;
    }
}
