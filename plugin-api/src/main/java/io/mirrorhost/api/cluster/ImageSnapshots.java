package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.List;

/**
 * The image's snapshots ({@code rbd_snap_*}), of every namespace: listed whenever a module needs to
 * know what has been snapshotted (mirror-snapshots included), created and removed by {@code rbd snap}
 * commands and by the replayer for the user snapshots it copies.
 */
public interface ImageSnapshots {

    /** Every snapshot, all namespaces, oldest first. */
    Future<List<SnapInfo>> listSnaps();

    /** Creates a user snapshot; returns its id. */
    Future<Long> createSnap(String name);

    Future<Void> removeSnap(String name);

    /** Removes a snapshot of any namespace by id (mirror-snapshots have generated names). */
    Future<Void> removeSnapById(long snapId);

    Future<Void> rollbackSnap(String name);

    Future<Void> protectSnap(String name);

    Future<Void> unprotectSnap(String name);
}
