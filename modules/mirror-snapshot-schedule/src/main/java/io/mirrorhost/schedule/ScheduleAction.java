package io.mirrorhost.schedule;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What {@link ScheduleQueue#handle} asks its caller to do. Each action says which event, if any,
 * reports its outcome; the others are done and forgotten (a failure is only logged).
 */
sealed interface ScheduleAction {

    /** Feed {@link ScheduleEvent.Tick} of {@code alarm} at {@code at} (replaces that alarm's earlier time). */
    record SleepUntil(ScheduleQueue.Alarm alarm, Instant at) implements ScheduleAction {
    }

    /** Cancel {@code alarm}: nothing to do at its time any more. */
    record Idle(ScheduleQueue.Alarm alarm) implements ScheduleAction {
    }

    /** Read every record of {@code pools}; answer {@link ScheduleEvent.RecordsLoaded}. */
    record LoadRecords(Set<String> pools) implements ScheduleAction {
    }

    /** Write the baseline records of images seen for the first time (no run is owed before them). */
    record RecordFirstSight(String pool, Map<String, RunRecord> records) implements ScheduleAction {
    }

    /** Write the records of completed runs (and anything else in {@code records}). */
    record RecordCompletions(String pool, Map<String, RunRecord> records) implements ScheduleAction {
    }

    /** Remove the records of images that are gone. */
    record RemoveRecords(String pool, Set<String> keys) implements ScheduleAction {
    }

    /**
     * Write the claims of runs about to fall due (with the pool's completions waiting to be
     * written), in one write; answer {@link ScheduleEvent.ClaimsAheadWritten} for {@code images}.
     */
    record ClaimAhead(String pool, Map<String, RunRecord> records, Set<ImageKey> images) implements ScheduleAction {
    }

    /**
     * Write the record of a run in progress (a claim, or a dead instance's claim settled), with the
     * pool's completions waiting to be written; answer {@link ScheduleEvent.RunRecordWritten}.
     */
    record WriteRunRecord(ImageRef image, Map<String, RunRecord> records) implements ScheduleAction {
    }

    /** Open an image whose run was claimed ahead and read its mirroring, so its run only snapshots. */
    record OpenAhead(ImageRef image) implements ScheduleAction {
    }

    /** Close the image opened ahead for a run that will not use it. */
    record CloseOpenedAhead(ImageKey image) implements ScheduleAction {
    }

    /**
     * Look for the snapshot a claim may have produced: the newest primary mirror-snapshot taken at
     * or after {@code takenFrom}; answer {@link ScheduleEvent.ClaimedSnapshotFound} or
     * {@link ScheduleEvent.RunFailed}.
     */
    record FindClaimedSnapshot(ImageRef image, Instant takenFrom) implements ScheduleAction {
    }

    /**
     * Take a mirror-snapshot if the image is a snapshot-mirrored primary, with the image opened
     * ahead when {@code openedAhead}; answer {@link ScheduleEvent.SnapshotTaken} or
     * {@link ScheduleEvent.SnapshotFailed}.
     */
    record TakeSnapshot(ImageRef image, boolean openedAhead) implements ScheduleAction {
    }
}
