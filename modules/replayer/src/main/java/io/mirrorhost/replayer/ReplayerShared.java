package io.mirrorhost.replayer;

import io.mirrorhost.replayer.snapshot.BandwidthLimiter;
import io.mirrorhost.replayer.snapshot.SyncThrottle;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** What all pool replayers of the site share: the throttles and live options. */
record ReplayerShared(SyncThrottle syncs, BandwidthLimiter bandwidth,
                      IntSupplier objectsInFlight, IntSupplier maxSnapshots, Supplier<String> defaultDataPool) {
}
