package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import java.time.Instant;

/**
 * A snapshot as the store keeps it; {@code mirror} is set for mirror-snapshots only.
 *
 * <p>{@code point} is where the snapshot sits in the image's history of object versions (see
 * {@link ObjectVersion#visibleAt}). It is the id, except for a non-primary mirror-snapshot that was
 * completed after its creation: its content is the head's when the copy completed, so completing
 * it moves its point to a newly allocated sequence number.
 */
record Snap(long id, long point, String name, SnapNamespace namespace, long size, Instant created,
            boolean isProtected, MirrorSnapshotInfo mirror) {

    Snap(long id, String name, SnapNamespace namespace, long size, Instant created, boolean isProtected,
         MirrorSnapshotInfo mirror) {
        this(id, id, name, namespace, size, created, isProtected, mirror);
    }

    SnapInfo info() {
        return new SnapInfo(id, name, size, created, namespace, isProtected, mirror);
    }

    Snap withProtected(boolean p) {
        return new Snap(id, point, name, namespace, size, created, p, mirror);
    }

    Snap withMirror(MirrorSnapshotInfo m) {
        return new Snap(id, point, name, namespace, size, created, isProtected, m);
    }

    /** The snapshot re-taken at {@code newPoint} of a head of {@code newSize} bytes. */
    Snap retakenAt(long newPoint, long newSize, MirrorSnapshotInfo m) {
        return new Snap(id, newPoint, name, namespace, newSize, created, isProtected, m);
    }

    boolean isPrimaryMirror() {
        return mirror != null && mirror.state().isPrimary();
    }

    boolean isNonPrimaryMirror() {
        return mirror != null && !mirror.state().isPrimary();
    }

    /** A non-primary mirror-snapshot whose copy is still in progress. */
    boolean isIncompleteNonPrimaryMirror() {
        return isNonPrimaryMirror() && !mirror.complete();
    }
}
