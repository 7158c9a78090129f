package io.mirrorhost.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class NamespaceReplayerTest {
    @Test
    void anImageUpdateNamesItsImage() {
        Buffer updated = new JsonObject().put("type", "image_updated").put("state", "enabled").put("image_id", "i1")
                .put("global_image_id", "g1").toBuffer();
        assertEquals("g1", NamespaceReplayer.imageOf(updated));
    }

    @Test
    void otherNotificationsConcernEveryImage() {
        assertNull(NamespaceReplayer.imageOf(new JsonObject().put("type", "mode_updated").toBuffer()));
        assertNull(NamespaceReplayer.imageOf(new JsonObject().put("type", "peers_updated").toBuffer()));
        assertNull(NamespaceReplayer.imageOf(Buffer.buffer(new byte[] {1, 2, 3})), "a binary payload");
        assertNull(NamespaceReplayer.imageOf(Buffer.buffer()));
        assertNull(NamespaceReplayer.imageOf(null));
    }
}
