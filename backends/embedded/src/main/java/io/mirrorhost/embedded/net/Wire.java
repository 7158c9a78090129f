package io.mirrorhost.embedded.net;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mirrorhost.api.cluster.JournalEvent;

/** The protocol's JSON mapper and message type names, shared by server and client. */
final class Wire {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // ISO-8601 strings keep an Instant's nanoseconds; decimal seconds would go through a double.
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .addMixIn(JournalEvent.class, JournalEventTypes.class)
            .build();

    /** A journal entry's event travels with its kind, so the reader rebuilds the right record. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME)
    @JsonSubTypes({@JsonSubTypes.Type(JournalEvent.Discard.class), @JsonSubTypes.Type(JournalEvent.Write.class),
        @JsonSubTypes.Type(JournalEvent.Flush.class), @JsonSubTypes.Type(JournalEvent.Resize.class),
        @JsonSubTypes.Type(JournalEvent.OpFinish.class), @JsonSubTypes.Type(JournalEvent.SnapCreate.class),
        @JsonSubTypes.Type(JournalEvent.SnapRemove.class), @JsonSubTypes.Type(JournalEvent.SnapRollback.class)})
    private interface JournalEventTypes {
    }

    static final int VERSION = 1;

    /** Server to client on connect: protocol version and the challenge nonce. */
    static final String HELLO = "hello";
    /** Client to server: client name and HMAC of the nonce. */
    static final String AUTH = "auth";
    static final String AUTH_OK = "auth_ok";
    static final String AUTH_FAILED = "auth_failed";
    /** A call: target ("cluster", "image", "watch"), handle, method, arguments. */
    static final String CALL = "call";
    static final String RESULT = "result";
    /** Server push: a watch callback fired. */
    static final String EVENT = "event";
    /** Keepalive, either way after authentication; answered with PONG. */
    static final String PING = "ping";
    static final String PONG = "pong";

    static final String TARGET_CLUSTER = "cluster";
    static final String TARGET_IMAGE = "image";
    static final String TARGET_WATCH = "watch";

    private Wire() {
    }

    static ObjectNode header(String type) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("t", type);
        return node;
    }
}
