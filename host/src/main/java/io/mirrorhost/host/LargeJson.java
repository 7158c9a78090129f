package io.mirrorhost.host;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;

/**
 * Parses command requests and replies, which carry standard input and binary output as base64
 * strings far longer than Jackson's default 20 million character limit per string.
 */
public final class LargeJson {
    /** Longest string accepted: base64 of {@link #MAX_BINARY_BYTES} with room to spare. */
    static final int MAX_STRING_CHARS = 400 * 1024 * 1024;
    /** Most bytes of standard input or binary output a command carries. */
    public static final long MAX_BINARY_BYTES = 256L * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_CHARS).build())
            .build());

    private LargeJson() {
    }

    /** The JSON object in {@code text}; DecodeException when it is not one. */
    @SuppressWarnings("unchecked")
    public static JsonObject parseObject(String text) {
        try {
            Object value = MAPPER.readValue(text, Object.class);
            if (!(value instanceof Map<?, ?> map)) {
                throw new DecodeException("not a JSON object");
            }
            return new JsonObject((Map<String, Object>) map);
        } catch (IOException e) {
            throw new DecodeException(e.getMessage());
        }
    }
}
