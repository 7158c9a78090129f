package io.mirrorhost.api.cluster;

import java.util.Objects;

/** An image named by pool, namespace and name ({@code pool/namespace/image} in rbd's image-spec). */
public record ImageSpec(PoolNamespace poolNamespace, String name) {

    public ImageSpec {
        Objects.requireNonNull(poolNamespace, "poolNamespace");
        Objects.requireNonNull(name, "name");
    }

    public static ImageSpec of(String pool, String namespace, String name) {
        return new ImageSpec(new PoolNamespace(pool, namespace), name);
    }

    public String pool() {
        return poolNamespace.pool();
    }

    public String namespace() {
        return poolNamespace.namespace();
    }

    @Override
    public String toString() {
        return poolNamespace + "/" + name;
    }
}
