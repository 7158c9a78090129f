package io.mirrorhost.embedded.net;

import java.util.Set;

/**
 * A named client of the cluster ({@code client.admin}, {@code client.rbd-mirror-peer}), its secret
 * key and its capabilities, as {@code ceph auth get} shows an entity.
 */
public record ClientAuth(String client, String key, Set<Capability> caps) {

    public ClientAuth {
        caps = Set.copyOf(caps);
    }

    @Override
    public String toString() {
        return "ClientAuth[" + client + " caps=" + caps + "]";
    }
}
