package io.mirrorhost.host;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;

/** Reading cluster failures. */
final class ClusterErrors {
    private ClusterErrors() {
    }

    static boolean isNotFound(Throwable failure) {
        return failure instanceof ClusterException ce && ce.errno() == Errno.ENOENT;
    }
}
