package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceToken;
import io.vertx.core.Future;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FencesTest {
    private final Fences fences = new Fences(Map.of("leader", 1L));

    @Test
    void aTakeCompletesOnlyOnceTheCallsUnderOlderEpochsHaveFinished() {
        FenceToken old = new FenceToken("leader", 1);
        fences.enter(old, "Cluster.configKeySet", "client.a");
        fences.enter(old, "Image.write", "client.a");

        Future<Void> taken = fences.advance("leader", 2);
        assertFalse(taken.isComplete());
        fences.exit(old);
        assertFalse(taken.isComplete());
        fences.exit(old);
        assertTrue(taken.succeeded());
    }

    @Test
    void callsUnderASupersededTokenAreRefusedAndCounted() {
        fences.advance("leader", 2);
        ClusterException refused = assertThrows(ClusterException.class,
            () -> fences.enter(new FenceToken("leader", 1), "Image.write", "client.a"));
        assertEquals(Errno.ESHUTDOWN, refused.errno());
        assertEquals("fenced: leader epoch 1 superseded by 2", refused.getMessage());
        assertThrows(ClusterException.class, () -> fences.enter(new FenceToken("leader", 3), "Image.write", "client.a"),
            "an epoch never handed out");
        assertEquals(2, fences.refused("leader"));
        assertEquals(0, fences.refused("replay/rbd//gid"));

        fences.enter(new FenceToken("leader", 2), "Image.write", "client.b");
        assertEquals(2, fences.refused("leader"));
    }

    @Test
    void fencesAreIndependentByName() {
        fences.enter(new FenceToken("leader", 1), "Image.write", "client.a");
        assertTrue(fences.advance("replay/rbd//gid", 1).succeeded(), "calls under another fence do not hold a take");
    }
}
