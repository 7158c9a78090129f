package io.mirrorhost.replayer.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The replication statistics of one image replayer (notes §5.3): bytes read per second over 30 s,
 * the mean bytes of the last two snapshot syncs, and the size and duration of the last one.
 */
public final class ReplayStats {
    private final RollingRate bytesPerSecond = new RollingRate(30);
    private final Deque<Long> lastSyncBytes = new ArrayDeque<>();
    private Instant syncStart;
    private long syncBytes;
    private Long lastSnapshotBytes;
    private Long lastSnapshotSyncSeconds;

    public void syncStarted(Instant now) {
        syncStart = now;
        syncBytes = 0;
    }

    public void bytesRead(Instant now, long bytes) {
        bytesPerSecond.add(now, bytes);
        syncBytes += bytes;
    }

    public void syncFinished(Instant now) {
        lastSyncBytes.addLast(syncBytes);
        if (lastSyncBytes.size() > 2) {
            lastSyncBytes.removeFirst();
        }
        lastSnapshotBytes = syncBytes;
        lastSnapshotSyncSeconds = syncStart == null ? 0 : Duration.between(syncStart, now).toSeconds();
        syncStart = null;
    }

    public double bytesPerSecond(Instant now) {
        return roundTwoPlaces(bytesPerSecond.perSecond(now));
    }

    public double bytesPerSnapshot() {
        if (lastSyncBytes.isEmpty()) {
            return 0.0;
        }
        return roundTwoPlaces(lastSyncBytes.stream().mapToLong(Long::longValue).average().orElse(0));
    }

    public Long lastSnapshotBytes() {
        return lastSnapshotBytes;
    }

    public Long lastSnapshotSyncSeconds() {
        return lastSnapshotSyncSeconds;
    }

    static double roundTwoPlaces(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
