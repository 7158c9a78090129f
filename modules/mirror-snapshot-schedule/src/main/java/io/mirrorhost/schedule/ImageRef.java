package io.mirrorhost.schedule;

import io.mirrorhost.api.cluster.PoolNamespace;

/**
 * A scheduled image as the I/O around the queue needs it: its ids, the name of its pool (to reach
 * it) and its full name {@code pool/[namespace/]image} (status and logs).
 */
record ImageRef(ImageKey key, String pool, String name) {

    PoolNamespace where() {
        return new PoolNamespace(pool, key.namespace());
    }
}
