package io.mirrorhost.api.cluster;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry of the cluster's auth database, as {@code ceph auth get} shows it: the entity
 * ({@code client.NAME}), its secret key and its caps by service ({@code mon}, {@code osd}, {@code mgr},
 * {@code mds}) in Ceph's spelling ({@code "profile rbd"}), sorted by service as Ceph prints them.
 */
public record AuthEntity(String entity, String key, SortedMap<String, String> caps) {

    public AuthEntity {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(key, "key");
        caps = Collections.unmodifiableSortedMap(new TreeMap<>(caps == null ? Map.of() : caps));
    }

    public static AuthEntity of(String entity, String key, Map<String, String> caps) {
        return new AuthEntity(entity, key, caps == null ? null : new TreeMap<>(caps));
    }

    /** Without the key, so that logging an entity leaks nothing. */
    @Override
    public String toString() {
        return "AuthEntity[" + entity + " caps=" + caps + "]";
    }
}
