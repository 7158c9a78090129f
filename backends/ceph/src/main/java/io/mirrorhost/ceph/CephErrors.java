package io.mirrorhost.ceph;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import java.util.function.Function;

/**
 * Turns librados/librbd's negative return codes into {@link ClusterException}s with the errno they
 * carry and a message naming the object, worded as the embedded backend words the same failure.
 */
final class CephErrors {
    private CephErrors() {
    }

    /** Returns {@code rc} if it is not negative; else throws with {@code describe(errno)} as message. */
    static long check(long rc, Function<Errno, String> describe) {
        if (rc < 0) {
            Errno errno = Errno.of((int) rc);
            throw new ClusterException(errno, describe.apply(errno));
        }
        return rc;
    }

    /** Generic form: {@code cannot <operation>: (22) Invalid argument}. */
    static long check(long rc, String operation) {
        return check(rc, errno -> failed(operation, errno));
    }

    static String failed(String operation, Errno errno) {
        return "cannot " + operation + ": " + errno.describe();
    }

    /** For calls on a named object: ENOENT and EEXIST get the embedded backend's texts. */
    static long checkNamed(long rc, String operation, String what) {
        return check(rc, errno -> switch (errno) {
            case ENOENT -> what + " does not exist";
            case EEXIST -> what + " already exists";
            default -> failed(operation, errno);
        });
    }

    static ClusterException unsupported(String what) {
        return new ClusterException(Errno.EOPNOTSUPP, what + " is done by rbd-mirror on a Ceph cluster");
    }
}
