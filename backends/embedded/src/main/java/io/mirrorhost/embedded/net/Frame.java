package io.mirrorhost.embedded.net;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * One message of the cluster wire protocol: a JSON header and the binary blobs (image data, notify
 * payloads) that travel after it unencoded. The header's {@code blobs} field lists their lengths.
 */
record Frame(ObjectNode header, List<Buffer> blobs) {

    Frame {
        blobs = List.copyOf(blobs);
    }

    static Frame of(ObjectNode header) {
        return new Frame(header, List.of());
    }

    String type() {
        return header.path("t").asText("");
    }

    long id() {
        return header.path("id").asLong(-1);
    }
}
