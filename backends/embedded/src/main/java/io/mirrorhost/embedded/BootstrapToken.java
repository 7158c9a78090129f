package io.mirrorhost.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mirrorhost.api.cluster.ClusterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A peer bootstrap token, as {@code rbd mirror pool peer bootstrap create} prints it: base64 of
 * {@code {"fsid":..,"client_id":..,"key":..,"mon_host":..}} (librbd {@code Mirror::peer_bootstrap_*}).
 */
record BootstrapToken(String fsid, String clientId, String key, String monHost) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMPORT = "librbd::api::Mirror: peer_bootstrap_import: ";

    String encode() {
        ObjectNode json = JSON.createObjectNode();
        json.put("fsid", fsid).put("client_id", clientId).put("key", key).put("mon_host", monHost);
        return Base64.getEncoder().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The client name the token's credentials are for ({@code client.rbd-mirror-peer}). */
    String clientName() {
        return "client." + clientId;
    }

    /** Decodes strictly; EINVAL with librbd's line for anything but a complete token. */
    static BootstrapToken decode(String token) {
        byte[] decoded;
        try {
            // surrounding whitespace (the token file's newline) is not part of the token
            decoded = Base64.getDecoder().decode(token == null ? "" : token.strip());
        } catch (IllegalArgumentException e) {
            throw ClusterException.invalid(IMPORT + "failed to decode base64");
        }
        JsonNode json;
        try {
            json = JSON.readTree(new String(decoded, StandardCharsets.UTF_8));
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw invalidJson();
        }
        return new BootstrapToken(field(json, "fsid"), field(json, "client_id"), field(json, "key"),
            field(json, "mon_host"));
    }

    private static String field(JsonNode json, String name) {
        JsonNode value = json.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw invalidJson();
        }
        return value.asText();
    }

    private static ClusterException invalidJson() {
        return ClusterException.invalid(IMPORT + "invalid bootstrap token JSON received");
    }

    @Override
    public String toString() {
        return "BootstrapToken[fsid=" + fsid + " client_id=" + clientId + " mon_host=" + monHost + "]";
    }
}
