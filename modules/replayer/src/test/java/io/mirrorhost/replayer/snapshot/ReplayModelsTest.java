package io.mirrorhost.replayer.snapshot;

import static io.mirrorhost.replayer.snapshot.Snaps.REMOTE_UUID;
import static io.mirrorhost.replayer.snapshot.Snaps.T0;
import static io.mirrorhost.replayer.snapshot.Snaps.copying;
import static io.mirrorhost.replayer.snapshot.Snaps.incompletePrimary;
import static io.mirrorhost.replayer.snapshot.Snaps.nonPrimary;
import static io.mirrorhost.replayer.snapshot.Snaps.primary;
import static io.mirrorhost.replayer.snapshot.Snaps.side;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.testing.FakeClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayModelsTest {
    @Test
    void progressRecordsOnlyTheFullyCopiedPrefix() {
        SyncProgress p = new SyncProgress(5, 0);
        assertFalse(p.objectDone(2), "object 2 done while 0 and 1 are in flight");
        assertEquals(0, p.copiedPrefix());
        assertTrue(p.objectDone(0));
        assertEquals(1, p.copiedPrefix());
        assertTrue(p.objectDone(1));
        assertEquals(3, p.copiedPrefix(), "1 closes the gap up to 2");
        assertEquals(60, p.percent());
        p.objectDone(4);
        assertFalse(p.complete());
        p.objectDone(3);
        assertTrue(p.complete());
        assertEquals(100, p.percent());
    }

    @Test
    void aResumedCopyStartsAtTheRecordedPrefix() {
        SyncProgress p = new SyncProgress(10, 7);
        assertEquals(7, p.copiedPrefix());
        assertEquals(70, p.percent());
        assertThrows(IllegalArgumentException.class, () -> p.objectDone(6));
        assertThrows(IllegalArgumentException.class, () -> p.objectDone(10));
        p.objectDone(7);
        p.objectDone(8);
        p.objectDone(9);
        assertTrue(p.complete());
        assertTrue(new SyncProgress(0, 0).complete(), "an empty image is copied at once");
        assertEquals(0, new SyncProgress(0, 0).percent());
        assertEquals(3, new SyncProgress(3, 9).copiedPrefix(), "a stale larger progress is clamped");
    }

    @Test
    void rateIsTheMeanOfPerSecondSumsOverTheWindow() {
        RollingRate rate = new RollingRate(30);
        rate.add(T0, 3000);
        rate.add(T0.plusMillis(500), 3000);
        assertEquals(200.0, rate.perSecond(T0.plusMillis(900)));
        rate.add(T0.plusSeconds(10), 3000);
        assertEquals(300.0, rate.perSecond(T0.plusSeconds(29)));
        assertEquals(100.0, rate.perSecond(T0.plusSeconds(30)), "the first second left the window");
        assertEquals(0.0, rate.perSecond(T0.plusSeconds(40)));
        assertThrows(IllegalArgumentException.class, () -> new RollingRate(0));
    }

    @Test
    void statsKeepTheLastTwoSyncs() {
        FakeClock clock = new FakeClock(T0);
        ReplayStats stats = new ReplayStats();
        assertEquals(0.0, stats.bytesPerSnapshot());
        assertNull(stats.lastSnapshotBytes());
        stats.syncStarted(clock.now());
        stats.bytesRead(clock.now(), 1000);
        clock.advance(Duration.ofSeconds(4));
        stats.bytesRead(clock.now(), 1000);
        stats.syncFinished(clock.now());
        assertEquals(2000L, stats.lastSnapshotBytes());
        assertEquals(4L, stats.lastSnapshotSyncSeconds());
        assertEquals(66.67, stats.bytesPerSecond(clock.now()));
        for (long bytes : new long[] {1001, 4000}) {
            stats.syncStarted(clock.now());
            stats.bytesRead(clock.now(), bytes);
            stats.syncFinished(clock.now());
        }
        assertEquals(2500.5, stats.bytesPerSnapshot(), "the mean of 1001 and 4000; 2000 is out");
        assertEquals(0L, stats.lastSnapshotSyncSeconds());
    }

    @Test
    void jsonHasSortedKeysAndDoublesWithADecimal() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1.0);
        m.put("a", 5742592.0);
        m.put("m", 12.25);
        m.put("n", 7L);
        m.put("s", "q\"uote\n");
        m.put("big", 1.0e12);
        assertEquals("{\"a\":5742592.0,\"big\":1000000000000.0,\"m\":12.25,\"n\":7,\"s\":\"q\\\"uote\\n\",\"z\":1.0}",
                SortedJson.write(m));
        assertEquals("0.0", SortedJson.number(0.0));
        assertEquals("0.5", SortedJson.number(0.5));
        assertThrows(IllegalArgumentException.class, () -> SortedJson.number(Double.NaN));
    }

    @Test
    void idleDescriptionIsRbdMirrorsReplayingLine() {
        SnapshotReplayStatus idle = new SnapshotReplayStatus(0.0, 5742592.0, 5742592L, 0L,
                T0.plusSeconds(44), T0.plusSeconds(44), null, null, 0);
        assertEquals("replaying, {\"bytes_per_second\":0.0,\"bytes_per_snapshot\":5742592.0,"
                + "\"last_snapshot_bytes\":5742592,\"last_snapshot_sync_seconds\":0,"
                + "\"local_snapshot_timestamp\":1767225644,\"remote_snapshot_timestamp\":1767225644,"
                + "\"replay_state\":\"idle\"}", idle.description());
    }

    @Test
    void syncingDescriptionCarriesPercentAndEta() {
        SnapshotReplayStatus syncing = new SnapshotReplayStatus(1000.0, 5000.0, null, null, null,
                T0.plusSeconds(9), T0.plusSeconds(9), 42, 2);
        assertEquals("replaying, {\"bytes_per_second\":1000.0,\"bytes_per_snapshot\":5000.0,"
                + "\"remote_snapshot_timestamp\":1767225609,\"replay_state\":\"syncing\",\"seconds_until_synced\":10,"
                + "\"syncing_percent\":42,\"syncing_snapshot_timestamp\":1767225609}", syncing.description());
    }

    @Test
    void timestampsAreTheConsistencyPoints() {
        ImageSide remote = side(primary(3), primary(4), incompletePrimary(5));
        assertEquals(T0.plusSeconds(4), ReplayTimestamps.remote(remote), "the newest complete one");
        assertEquals(T0.plusSeconds(3),
                ReplayTimestamps.local(side(nonPrimary(10, REMOTE_UUID, 3), copying(11, REMOTE_UUID, 4, 1)), remote));
        assertNull(ReplayTimestamps.local(side(), remote));
        assertNull(ReplayTimestamps.local(side(nonPrimary(10, REMOTE_UUID, 2)), remote), "its remote is gone");
        assertNull(ReplayTimestamps.remote(side(incompletePrimary(1))));
    }

    @Test
    void anErrorSticksThroughRestartsUntilADefiniteOutcome() {
        StatusTracker t = new StatusTracker();
        assertEquals(StatusTracker.starting(), t.update(MirrorImageStatusState.STARTING_REPLAY, "starting replay"));
        t.update(MirrorImageStatusState.ERROR, "split-brain");
        assertEquals(new StatusTracker.Status(MirrorImageStatusState.ERROR, "split-brain"),
                t.update(MirrorImageStatusState.STARTING_REPLAY, "starting replay"));
        assertEquals(MirrorImageStatusState.ERROR, t.update(MirrorImageStatusState.STOPPING_REPLAY, "x").state());
        assertEquals(MirrorImageStatusState.STOPPED, t.update(MirrorImageStatusState.STOPPED, "resync requested").state());
        t.update(MirrorImageStatusState.ERROR, "split-brain");
        assertEquals(MirrorImageStatusState.REPLAYING, t.update(MirrorImageStatusState.REPLAYING, "replaying").state());
        assertEquals("bootstrapping, IMAGE_SYNC/COPY_IMAGE 42%", StatusTracker.initialSync(42).description());
    }
}
