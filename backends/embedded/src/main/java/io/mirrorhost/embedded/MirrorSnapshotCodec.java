package io.mirrorhost.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;

/** The JSON a mirror-snapshot's namespace fields are kept as in the {@code snaps} table. */
final class MirrorSnapshotCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MirrorSnapshotCodec() {
    }

    static String encode(MirrorSnapshotInfo info) {
        try {
            return JSON.writeValueAsString(info);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + info, e);
        }
    }

    static MirrorSnapshotInfo decode(String json) {
        try {
            return JSON.readValue(json, MirrorSnapshotInfo.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt mirror-snapshot record: " + json, e);
        }
    }
}
