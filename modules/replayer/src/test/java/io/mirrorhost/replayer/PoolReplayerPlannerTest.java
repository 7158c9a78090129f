package io.mirrorhost.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolReplayerPlannerTest {
    static MirrorPeer peer(String uuid, MirrorPeerDirection direction) {
        return new MirrorPeer(uuid, direction, "site-b", "", "client.rbd-mirror-peer", null);
    }

    @Test
    void onlyMirroredPoolsWithAReceivingPeerGetAReplayer() {
        Map<String, PoolReplayerTarget> plan = PoolReplayerPlanner.plan(List.of(
                new PoolMirrorConfig("disabled", MirrorMode.DISABLED, List.of(peer("u1", MirrorPeerDirection.RX_TX))),
                new PoolMirrorConfig("txonly", MirrorMode.IMAGE, List.of(peer("u2", MirrorPeerDirection.TX_ONLY))),
                new PoolMirrorConfig("nopeer", MirrorMode.POOL, List.of()),
                new PoolMirrorConfig("rx", MirrorMode.IMAGE, List.of(peer("u3", MirrorPeerDirection.RX_ONLY))),
                new PoolMirrorConfig("rxtx", MirrorMode.POOL, List.of(peer("u4", MirrorPeerDirection.RX_TX)))));
        assertEquals(List.of("rx", "rxtx"), List.copyOf(plan.keySet()));
        assertEquals("u3", plan.get("rx").peer().uuid());
        assertNull(plan.get("rxtx").warning());
    }

    @Test
    void severalReceivingPeersUseOneAndWarn() {
        Map<String, PoolReplayerTarget> plan = PoolReplayerPlanner.plan(List.of(new PoolMirrorConfig("p",
                MirrorMode.IMAGE, List.of(peer("b", MirrorPeerDirection.RX_TX), peer("a", MirrorPeerDirection.RX_ONLY),
                        peer("c", MirrorPeerDirection.TX_ONLY)))));
        assertEquals("a", plan.get("p").peer().uuid());
        assertEquals(PoolReplayerPlanner.MULTIPLE_RX_PEERS, plan.get("p").warning());
    }
}
