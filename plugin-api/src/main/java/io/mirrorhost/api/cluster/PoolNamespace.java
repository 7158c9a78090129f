package io.mirrorhost.api.cluster;

import java.util.Objects;

/**
 * A pool and an RBD namespace in it (the empty namespace is the pool's default), what librbd
 * reaches through an {@code IoCtx} with {@code rados_ioctx_set_namespace}.
 */
public record PoolNamespace(String pool, String namespace) {

    public PoolNamespace {
        Objects.requireNonNull(pool, "pool");
        namespace = namespace == null ? "" : namespace;
    }

    public static PoolNamespace of(String pool) {
        return new PoolNamespace(pool, "");
    }

    /** {@code pool} or {@code pool/namespace}, as rbd prints it. */
    @Override
    public String toString() {
        return namespace.isEmpty() ? pool : pool + "/" + namespace;
    }
}
