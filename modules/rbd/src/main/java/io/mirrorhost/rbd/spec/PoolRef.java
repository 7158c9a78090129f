package io.mirrorhost.rbd.spec;

import io.mirrorhost.api.cluster.PoolNamespace;

/** A pool and optional namespace named on the command line ({@code [pool[/namespace]]}). */
public record PoolRef(String pool, String namespace) {
    public PoolRef {
        pool = pool == null ? "" : pool;
        namespace = namespace == null ? "" : namespace;
    }

    public String effectivePool() {
        return pool.isEmpty() ? ImageRef.DEFAULT_POOL : pool;
    }

    public PoolNamespace poolNamespace() {
        return new PoolNamespace(effectivePool(), namespace);
    }
}
