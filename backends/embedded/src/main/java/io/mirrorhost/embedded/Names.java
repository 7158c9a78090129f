package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.ClusterException;

/** Validation of the names users give pools, namespaces, images and snapshots. */
final class Names {
    private Names() {
    }

    static void checkPool(String pool) {
        if (pool == null || pool.isEmpty()) {
            throw ClusterException.invalid("pool name must not be empty");
        }
        if (pool.contains("/") || pool.contains("@")) {
            throw ClusterException.invalid("invalid pool name '" + pool + "': must not contain '/' or '@'");
        }
    }

    static void checkNamespace(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            throw ClusterException.invalid("namespace name must not be empty");
        }
        if (namespace.contains("/") || namespace.contains("@")) {
            throw ClusterException.invalid("invalid namespace name '" + namespace + "': must not contain '/' or '@'");
        }
    }

    static void checkImage(String image) {
        if (image == null || image.isEmpty()) {
            throw ClusterException.invalid("image name must not be empty");
        }
        if (image.contains("/") || image.contains("@")) {
            throw ClusterException.invalid("invalid image name '" + image + "': must not contain '/' or '@'");
        }
    }

    static void checkSnap(String snap) {
        if (snap == null || snap.isEmpty()) {
            throw ClusterException.invalid("snapshot name must not be empty");
        }
        if (snap.contains("/") || snap.contains("@")) {
            throw ClusterException.invalid("invalid snapshot name '" + snap + "': must not contain '/' or '@'");
        }
    }

    static void checkObject(String object) {
        if (object == null || object.isEmpty()) {
            throw ClusterException.invalid("object name must not be empty");
        }
    }
}
