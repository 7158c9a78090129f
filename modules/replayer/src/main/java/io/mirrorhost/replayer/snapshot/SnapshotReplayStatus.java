package io.mirrorhost.replayer.snapshot;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code snapshot::Replayer::get_replay_status} reports, and its description text
 * ({@code replaying, {...}}).
 *
 * @param syncingPercent null when idle, else the percent of the snapshot being copied
 */
public record SnapshotReplayStatus(double bytesPerSecond, double bytesPerSnapshot, Long lastSnapshotBytes,
                                   Long lastSnapshotSyncSeconds, Instant localSnapshotTimestamp,
                                   Instant remoteSnapshotTimestamp, Instant syncingSnapshotTimestamp,
                                   Integer syncingPercent, int pendingSnapshots) {

    public String description() {
        return "replaying, " + SortedJson.write(fields());
    }

    Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("replay_state", syncingPercent == null ? "idle" : "syncing");
        f.put("bytes_per_second", bytesPerSecond);
        f.put("bytes_per_snapshot", bytesPerSnapshot);
        if (lastSnapshotBytes != null) {
            f.put("last_snapshot_bytes", lastSnapshotBytes);
            f.put("last_snapshot_sync_seconds", lastSnapshotSyncSeconds);
        }
        if (localSnapshotTimestamp != null) {
            f.put("local_snapshot_timestamp", localSnapshotTimestamp.getEpochSecond());
        }
        if (remoteSnapshotTimestamp != null) {
            f.put("remote_snapshot_timestamp", remoteSnapshotTimestamp.getEpochSecond());
        }
        if (syncingPercent != null) {
            f.put("syncing_percent", syncingPercent);
            if (syncingSnapshotTimestamp != null) {
                f.put("syncing_snapshot_timestamp", syncingSnapshotTimestamp.getEpochSecond());
            }
        }
        if (pendingSnapshots > 0 && bytesPerSecond > 0 && bytesPerSnapshot > 0) {
            f.put("seconds_until_synced", (long) (pendingSnapshots * bytesPerSnapshot / bytesPerSecond));
        }
        return f;
    }
}
