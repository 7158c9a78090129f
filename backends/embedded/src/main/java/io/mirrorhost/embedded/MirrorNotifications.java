package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * What watchers of a pool's {@code rbd_mirroring} object are told, in the spirit of librbd's
 * {@code MirroringWatcher} notifications: a JSON object whose {@code type} is {@code mode_updated},
 * {@code image_updated} or {@code peers_updated}.
 */
final class MirrorNotifications {
    private MirrorNotifications() {
    }

    static Buffer modeUpdated(MirrorMode mode) {
        return new JsonObject().put("type", "mode_updated").put("mode", mode.label()).toBuffer();
    }

    static Buffer imageUpdated(MirrorImageState state, String imageId, String globalId) {
        return new JsonObject().put("type", "image_updated").put("state", state.label()).put("image_id", imageId)
            .put("global_image_id", globalId).toBuffer();
    }

    static Buffer peersUpdated() {
        return new JsonObject().put("type", "peers_updated").toBuffer();
    }
}
