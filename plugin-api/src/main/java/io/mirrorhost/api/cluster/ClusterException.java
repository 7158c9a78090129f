package io.mirrorhost.api.cluster;

import io.mirrorhost.api.Errno;

/**
 * A cluster call failed with an errno, as librbd returns {@code -errno}. Backends map their failures
 * onto the same errno so that callers word errors once, the way {@code rbd} does.
 */
public class ClusterException extends RuntimeException {
    private final Errno errno;

    public ClusterException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    public ClusterException(Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }

    public static ClusterException notFound(String what) {
        return new ClusterException(Errno.ENOENT, what);
    }

    public static ClusterException exists(String what) {
        return new ClusterException(Errno.EEXIST, what);
    }

    public static ClusterException invalid(String what) {
        return new ClusterException(Errno.EINVAL, what);
    }

    /** The errno of {@code failure} if it is a ClusterException, else EIO. */
    public static Errno errnoOf(Throwable failure) {
        return failure instanceof ClusterException ce ? ce.errno() : Errno.EIO;
    }
}
