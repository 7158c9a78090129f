package io.mirrorhost.replayer;

import io.mirrorhost.replayer.snapshot.BandwidthLimiter;
import io.mirrorhost.replayer.snapshot.SyncThrottle;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** What all pool replayers of the instance share: the throttles, live options and the images assigned to it. */
record ReplayerShared(SyncThrottle syncs, BandwidthLimiter bandwidth,
                      IntSupplier objectsInFlight, IntSupplier maxSnapshots, Supplier<String> defaultDataPool,
                      AssignedImages assigned) {
}
