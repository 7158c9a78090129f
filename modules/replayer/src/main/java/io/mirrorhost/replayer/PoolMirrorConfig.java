package io.mirrorhost.replayer;

import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import java.util.List;

/** A local pool's mirroring configuration as the replayer reads it on each refresh. */
public record PoolMirrorConfig(String pool, MirrorMode mode, List<MirrorPeer> peers) {
    public PoolMirrorConfig {
        peers = List.copyOf(peers);
    }
}
