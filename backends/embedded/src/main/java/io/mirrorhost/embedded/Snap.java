package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import java.time.Instant;

/** A snapshot as the store keeps it; {@code mirror} is set for mirror-snapshots only. */
record Snap(long id, String name, SnapNamespace namespace, long size, Instant created, boolean isProtected,
            MirrorSnapshotInfo mirror) {

    SnapInfo info() {
        return new SnapInfo(id, name, size, created, namespace, isProtected, mirror);
    }

    Snap withProtected(boolean p) {
        return new Snap(id, name, namespace, size, created, p, mirror);
    }

    Snap withMirror(MirrorSnapshotInfo m) {
        return new Snap(id, name, namespace, size, created, isProtected, m);
    }

    boolean isPrimaryMirror() {
        return mirror != null && mirror.state().isPrimary();
    }

    boolean isNonPrimaryMirror() {
        return mirror != null && !mirror.state().isPrimary();
    }
}
