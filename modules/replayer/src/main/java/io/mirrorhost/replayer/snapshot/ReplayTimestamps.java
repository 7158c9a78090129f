package io.mirrorhost.replayer.snapshot;

import io.mirrorhost.api.cluster.SnapInfo;
import java.time.Instant;
import java.util.List;

/** The consistency points a replaying status shows (notes §5.3). */
public final class ReplayTimestamps {
    private ReplayTimestamps() {
    }

    /** The newest complete remote mirror-snapshot's time, or null. */
    public static Instant remote(ImageSide remote) {
        List<SnapInfo> snaps = remote.mirrorSnaps();
        for (int i = snaps.size() - 1; i >= 0; i--) {
            if (snaps.get(i).mirror().complete()) {
                return snaps.get(i).timestamp();
            }
        }
        return null;
    }

    /** The time of the remote snapshot the newest complete local non-primary snapshot copies, or null. */
    public static Instant local(ImageSide local, ImageSide remote) {
        List<SnapInfo> snaps = local.mirrorSnaps();
        for (int i = snaps.size() - 1; i >= 0; i--) {
            SnapInfo s = snaps.get(i);
            if (!s.mirror().state().isPrimary() && s.mirror().complete()) {
                SnapInfo copied = remote.byId(s.mirror().primarySnapId());
                return copied == null ? null : copied.timestamp();
            }
        }
        return null;
    }
}
