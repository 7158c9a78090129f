package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The auth database (the monitor's {@code auth get-or-create / get / ls / rm}): clients and their
 * keys and caps. Used by {@code rbd}'s auth commands and when a peer bootstrap creates the client a
 * peer site connects as.
 */
public interface AuthDatabase {

    /**
     * Returns the entity if it exists and each cap given equals its own ({@code ceph auth
     * get-or-create}; EINVAL {@code key for client.x exists but cap mon does not match} otherwise),
     * else creates it with a new key and {@code caps} (service to cap, {@code "mon" -> "profile rbd"}).
     * A backend refuses caps it cannot enforce with EINVAL.
     */
    Future<AuthEntity> authGetOrCreate(String entity, Map<String, String> caps);

    /** The entity with its key and caps; ENOENT {@code failed to find client.x in keyring}. */
    Future<AuthEntity> authGet(String entity);

    /** Every entity of the auth database ({@code ceph auth ls}). */
    Future<List<AuthEntity>> authList();

    /** Removes an entity ({@code ceph auth rm}); true if it existed, false if there was none. */
    Future<Boolean> authRemove(String entity);
}
