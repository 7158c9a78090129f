package io.mirrorhost.rbd.spec;

import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolNamespace;

/**
 * An image (or snapshot) named on the command line: {@code [pool/[namespace/]]image[@snap]}. An empty
 * pool means rbd's default pool; an empty snapshot means the image head.
 */
public record ImageRef(String pool, String namespace, String image, String snap) {
    public static final String DEFAULT_POOL = "rbd";

    public ImageRef {
        pool = pool == null ? "" : pool;
        namespace = namespace == null ? "" : namespace;
        image = image == null ? "" : image;
        snap = snap == null ? "" : snap;
    }

    public String effectivePool() {
        return pool.isEmpty() ? DEFAULT_POOL : pool;
    }

    public PoolNamespace poolNamespace() {
        return new PoolNamespace(effectivePool(), namespace);
    }

    public ImageSpec imageSpec() {
        return new ImageSpec(poolNamespace(), image);
    }

    public boolean hasSnap() {
        return !snap.isEmpty();
    }

    /** {@code pool/[namespace/]image[@snap]}, the full spec rbd prints in messages. */
    public String fullSpec() {
        StringBuilder s = new StringBuilder(effectivePool()).append('/');
        if (!namespace.isEmpty()) {
            s.append(namespace).append('/');
        }
        s.append(image);
        if (!snap.isEmpty()) {
            s.append('@').append(snap);
        }
        return s.toString();
    }
}
