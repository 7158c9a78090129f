package io.mirrorhost.host;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The API keys a host accepts, by name; checked in constant time so timing reveals nothing of a key. */
final class ApiKeys {
    private final Map<String, byte[]> digests = new LinkedHashMap<>();

    ApiKeys(Map<String, String> keysByName) {
        keysByName.forEach((name, key) -> digests.put(name, sha256(key)));
    }

    /** The name of the key presented, or empty if it is missing or wrong. */
    Optional<String> identify(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        String match = null;
        for (Map.Entry<String, byte[]> entry : digests.entrySet()) {
            if (MessageDigest.isEqual(entry.getValue(), digest) && match == null) {
                match = entry.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    boolean isEmpty() {
        return digests.isEmpty();
    }

    /** Hashing first makes every comparison the same length, whatever the keys' lengths. */
    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
