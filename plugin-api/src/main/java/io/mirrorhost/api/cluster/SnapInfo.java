package io.mirrorhost.api.cluster;

import java.time.Instant;

/**
 * A snapshot of an image ({@code rbd_snap_list} with namespace details).
 *
 * @param mirror the mirror-snapshot fields for a {@link SnapNamespace#MIRROR} snapshot, else null
 */
public record SnapInfo(long id, String name, long size, Instant timestamp, SnapNamespace namespace,
                       boolean isProtected, MirrorSnapshotInfo mirror) {
}
