package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import java.util.List;

/**
 * Exclusive-lock ownership of one image among its open handles, as librbd arbitrates it: a write
 * takes the lock automatically and hands it over when another handle asks; a lock taken with
 * {@code lockAcquire} is kept until released or broken. Only used on the image's lane.
 */
final class ExclusiveLock {
    private EmbeddedImage owner;
    private boolean explicit;

    /** Before a write on an image with exclusive-lock. */
    void acquireForWrite(EmbeddedImage handle) {
        if (owner == handle) {
            return;
        }
        if (owner != null && explicit) {
            throw new ClusterException(Errno.EROFS, "exclusive lock is owned by " + owner.lockOwnerName());
        }
        owner = handle;
        explicit = false;
    }

    void acquire(EmbeddedImage handle) {
        if (owner != null && owner != handle && explicit) {
            throw new ClusterException(Errno.EROFS, "failed to acquire exclusive lock: owned by "
                + owner.lockOwnerName());
        }
        owner = handle;
        explicit = true;
    }

    void release(EmbeddedImage handle) {
        if (owner != handle) {
            throw ClusterException.invalid("not the exclusive lock owner");
        }
        owner = null;
        explicit = false;
    }

    /** Drops the lock if {@code handle} owns it (on close). */
    void releaseIfOwner(EmbeddedImage handle) {
        if (owner == handle) {
            owner = null;
            explicit = false;
        }
    }

    List<String> owners() {
        return owner == null ? List.of() : List.of(owner.lockOwnerName());
    }

    /** Breaks the lock of {@code ownerName}; returns the handle that lost it. */
    EmbeddedImage breakLock(String ownerName) {
        if (owner == null || !owner.lockOwnerName().equals(ownerName)) {
            throw ClusterException.notFound("no exclusive lock owned by " + ownerName);
        }
        EmbeddedImage broken = owner;
        owner = null;
        explicit = false;
        return broken;
    }

    void clear() {
        owner = null;
        explicit = false;
    }
}
