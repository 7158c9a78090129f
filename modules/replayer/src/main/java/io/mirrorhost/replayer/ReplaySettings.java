package io.mirrorhost.replayer;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.replayer.snapshot.BandwidthLimiter;
import io.mirrorhost.replayer.snapshot.SyncThrottle;
import io.vertx.core.Context;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What every image replayer of one pool namespace shares: both clusters and namespaces, the mirror
 * uuids, this site's peer uuid in the remote pool, and the site-wide throttles and options.
 */
record ReplaySettings(Context context, Clock clock, Logger logger, Cluster local, Cluster remote,
                      PoolNamespace localNamespace, PoolNamespace remoteNamespace, String localMirrorUuid,
                      String remoteMirrorUuid, String remotePeerUuid, SyncThrottle syncs,
                      BandwidthLimiter bandwidth, IntSupplier objectsInFlight, IntSupplier maxSnapshots,
                      Supplier<String> defaultDataPool) {

    /** The settings of one image assigned to this instance: its local writes carry the image's {@code token}. */
    ReplaySettings fencedBy(FenceToken token) {
        return new ReplaySettings(context, clock, logger, local.fenced(token), remote, localNamespace, remoteNamespace,
                localMirrorUuid, remoteMirrorUuid, remotePeerUuid, syncs, bandwidth, objectsInFlight, maxSnapshots,
                defaultDataPool);
    }
}
