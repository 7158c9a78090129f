package io.mirrorhost.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@link ScheduleQueue#handle} is told: something found, changed or done outside it. */
sealed interface ScheduleEvent {

    /**
     * A rescan begins to apply what it read: the schedules, and the namespaces ({@code POOLID/NS})
     * whose mirrored images it read completely. {@link ImagesFound} and {@link ScanFinished} follow.
     */
    record ScanStarted(ScheduleSet schedules, Set<String> scannedNamespaces) implements ScheduleEvent {
    }

    /** Some of the primary snapshot-mirrored images a rescan found, each with its record as read (or null). */
    record ImagesFound(List<FoundImage> images) implements ScheduleEvent {
    }

    /** One image a rescan found. */
    record FoundImage(ImageRef image, RunRecord record) {
    }

    /**
     * A rescan is applied: images it did not find are gone, except in the pools it could not read;
     * {@code goneRecords} are the record keys, by pool, of images gone from the namespaces it listed.
     */
    record ScanFinished(Set<String> unreadablePools, Map<String, Set<String>> goneRecords) implements ScheduleEvent {
    }

    /** A command changed {@link ScheduleQueue#schedules()} at {@code level}. */
    record SchedulesChanged(LevelSpec level) implements ScheduleEvent {
    }

    /** This instance became the leader: it takes the snapshots from now on. */
    record LeadershipGained() implements ScheduleEvent {
    }

    /** This instance is no longer the leader. */
    record LeadershipLost() implements ScheduleEvent {
    }

    /** The records asked for by {@link ScheduleAction.LoadRecords}, by pool, then record key. */
    record RecordsLoaded(Map<String, Map<String, RunRecord>> records) implements ScheduleEvent {
    }

    /** The instant {@code alarm} was set for by {@link ScheduleAction.SleepUntil} has come. */
    record Tick(ScheduleQueue.Alarm alarm) implements ScheduleEvent {
    }

    /** The write of {@link ScheduleAction.ClaimAhead} for {@code images} is done, or failed. */
    record ClaimsAheadWritten(Set<ImageKey> images, boolean written) implements ScheduleEvent {
    }

    /** The write of {@link ScheduleAction.WriteRunRecord} is done, or failed. */
    record RunRecordWritten(ImageKey image, boolean written) implements ScheduleEvent {
    }

    /**
     * What {@link ScheduleAction.FindClaimedSnapshot} found: the newest primary mirror-snapshot taken
     * since the claim ({@code snapId} and when), or none ({@code snapId} null).
     */
    record ClaimedSnapshotFound(ImageKey image, Long snapId, Instant taken) implements ScheduleEvent {
    }

    /** {@link ScheduleAction.TakeSnapshot} took snapshot {@code snapId}, or none (null: the image is no longer a snapshot-mirrored primary). */
    record SnapshotTaken(ImageKey image, Long snapId) implements ScheduleEvent {
    }

    /** {@link ScheduleAction.TakeSnapshot} failed, for {@code error} (as status shows it). */
    record SnapshotFailed(ImageKey image, String error) implements ScheduleEvent {
    }

    /** {@link ScheduleAction.FindClaimedSnapshot} could not read the image: the run ends, its claim stays. */
    record RunFailed(ImageKey image) implements ScheduleEvent {
    }

    /** The scheduler stops: completions waiting to be written are written now. */
    record Stopping() implements ScheduleEvent {
    }
}
