package io.mirrorhost.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.schedule.ScheduleAction.ClaimAhead;
import io.mirrorhost.schedule.ScheduleAction.CloseOpenedAhead;
import io.mirrorhost.schedule.ScheduleAction.FindClaimedSnapshot;
import io.mirrorhost.schedule.ScheduleAction.Idle;
import io.mirrorhost.schedule.ScheduleAction.LoadRecords;
import io.mirrorhost.schedule.ScheduleAction.OpenAhead;
import io.mirrorhost.schedule.ScheduleAction.RecordCompletions;
import io.mirrorhost.schedule.ScheduleAction.RecordFirstSight;
import io.mirrorhost.schedule.ScheduleAction.RemoveRecords;
import io.mirrorhost.schedule.ScheduleAction.SleepUntil;
import io.mirrorhost.schedule.ScheduleAction.TakeSnapshot;
import io.mirrorhost.schedule.ScheduleAction.WriteRunRecord;
import io.mirrorhost.schedule.ScheduleEvent.ClaimedSnapshotFound;
import io.mirrorhost.schedule.ScheduleEvent.ClaimsAheadWritten;
import io.mirrorhost.schedule.ScheduleEvent.FoundImage;
import io.mirrorhost.schedule.ScheduleEvent.ImagesFound;
import io.mirrorhost.schedule.ScheduleEvent.LeadershipGained;
import io.mirrorhost.schedule.ScheduleEvent.LeadershipLost;
import io.mirrorhost.schedule.ScheduleEvent.RecordsLoaded;
import io.mirrorhost.schedule.ScheduleEvent.RunFailed;
import io.mirrorhost.schedule.ScheduleEvent.RunRecordWritten;
import io.mirrorhost.schedule.ScheduleEvent.ScanFinished;
import io.mirrorhost.schedule.ScheduleEvent.ScanStarted;
import io.mirrorhost.schedule.ScheduleEvent.SchedulesChanged;
import io.mirrorhost.schedule.ScheduleEvent.SnapshotFailed;
import io.mirrorhost.schedule.ScheduleEvent.SnapshotTaken;
import io.mirrorhost.schedule.ScheduleEvent.Stopping;
import io.mirrorhost.schedule.ScheduleEvent.Tick;
import io.mirrorhost.schedule.ScheduleQueue.Alarm;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The schedule queue's decisions as tables: a state built by events, one event at an instant, the
 * actions it answers. No futures, no threads, no clock: every instant is given.
 */
class ScheduleQueueTest {
    static final String ME = "site-a/me";
    static final ImageRef A = image("1", "", "a");
    static final ImageRef B = image("1", "", "b");
    static final ImageRef C = new ImageRef(new ImageKey("2", "", "c"), "other", "other/c");

    static ImageRef image(String poolId, String namespace, String id) {
        return new ImageRef(new ImageKey(poolId, namespace, id), "rbd", "rbd/" + id);
    }

    static Instant at(String time) {
        return Instant.parse("2026-01-01T" + time + "Z");
    }

    static LocalDateTime wall(String time) {
        return LocalDateTime.parse("2026-01-01T" + time);
    }

    static ScheduleSet every(String interval) {
        ScheduleSet set = new ScheduleSet();
        set.add(LevelSpec.global(), ScheduleItem.parse(interval, ""));
        return set;
    }

    static RunRecord ranUpTo(String due) {
        return RunRecord.baseline(wall(due));
    }

    static RunRecord claimedBy(String owner, String lastDue, String due, String claimedAt) {
        return ranUpTo(lastDue).claimed(new RunRecord.Claim(wall(due), owner, at(claimedAt)));
    }

    /** A queue with {@code maxConcurrent} slots. */
    static final class Given {
        final ScheduleQueue queue;

        Given(int maxConcurrent) {
            queue = new ScheduleQueue(ME, () -> maxConcurrent);
        }

        Given() {
            this(10);
        }

        List<ScheduleAction> on(String time, ScheduleEvent event) {
            return queue.handle(event, at(time));
        }

        /** The actions that do something (alarms left out). */
        List<ScheduleAction> work(String time, ScheduleEvent event) {
            List<ScheduleAction> work = new ArrayList<>();
            for (ScheduleAction a : on(time, event)) {
                if (!(a instanceof SleepUntil) && !(a instanceof Idle)) {
                    work.add(a);
                }
            }
            return work;
        }

        Given leader(String time) {
            on(time, new LeadershipGained());
            on(time, new RecordsLoaded(Map.of()));
            return this;
        }

        /** A rescan at {@code time} that finds {@code images} with their records. */
        Given scanned(String time, ScheduleSet schedules, FoundImage... images) {
            on(time, new ScanStarted(schedules, Set.of("1/")));
            on(time, new ImagesFound(List.of(images)));
            on(time, new ScanFinished(Set.of(), Map.of()));
            return this;
        }

        List<ScheduledImage> status() {
            return queue.status().at(LevelSpec.global());
        }
    }

    static FoundImage found(ImageRef image, RunRecord record) {
        return new FoundImage(image, record);
    }

    static Map<String, RunRecord> records(Object... keyValues) {
        Map<String, RunRecord> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], (RunRecord) keyValues[i + 1]);
        }
        return map;
    }

    static RunRecord claim(RunRecord before, String due, String claimedAt) {
        return before.claimed(new RunRecord.Claim(wall(due), ME, at(claimedAt)));
    }

    @Nested
    class Enqueue {
        @Test
        void aFirstSightOwesNothingTheLeaderRecordsItAndTheRunComesAtTheNextScheduleTime() {
            Given given = new Given().leader("10:30:00");
            given.on("10:30:00", new ScanStarted(every("1h"), Set.of("1/")));
            assertEquals(List.of(new RecordFirstSight("rbd", records("/a", ranUpTo("10:30:00"))),
                            new SleepUntil(Alarm.RUNS, at("11:00:00")), new SleepUntil(Alarm.CLAIMS, at("10:59:55"))),
                    given.on("10:30:00", new ImagesFound(List.of(found(A, null)))));
            assertEquals(List.of(new ScheduledImage("2026-01-01 11:00:00", "rbd/a", null, null)), given.status());
        }

        @Test
        void aStandbyWritesNoRecordAndClaimsNothing() {
            Given given = new Given();
            given.on("10:30:00", new ScanStarted(every("1h"), Set.of("1/")));
            assertEquals(List.of(new SleepUntil(Alarm.RUNS, at("11:00:00"))),
                    given.on("10:30:00", new ImagesFound(List.of(found(A, null)))));
        }

        @Test
        void anImageNoScheduleGovernsIsNotQueued() {
            Given given = new Given().leader("10:30:00");
            given.on("10:30:00", new ScanStarted(new ScheduleSet(), Set.of()));
            given.on("10:30:00", new ImagesFound(List.of(found(A, ranUpTo("10:00:00")))));
            assertEquals(List.of(), given.status());
        }

        @Test
        void aScheduleChangeRequeuesTheImagesAtAndBelowItsLevel() {
            Given given = new Given().scanned("10:30:00", every("1h"), found(A, ranUpTo("10:00:00")));
            given.queue.schedules().add(LevelSpec.global(), ScheduleItem.parse("15m", ""));
            assertEquals(List.of(new SleepUntil(Alarm.RUNS, at("10:45:00"))),
                    given.on("10:31:00", new SchedulesChanged(LevelSpec.global())));
        }
    }

    @Nested
    class CatchUp {
        /** The first action of the run an image found at {@code now} with {@code record} is queued for, and when. */
        private void row(RunRecord record, String now, String runsAt, ScheduleAction firstAction) {
            Given given = new Given().leader(now);
            given.on(now, new ScanStarted(every("1h"), Set.of("1/")));
            List<ScheduleAction> queued = given.on(now, new ImagesFound(List.of(found(A, record))));
            assertEquals(new SleepUntil(Alarm.RUNS, at(runsAt)), queued.get(0), "queued for " + record);
            assertEquals(List.of(firstAction), given.work(runsAt, new Tick(Alarm.RUNS)), "run of " + record);
        }

        @Test
        void theRunsOwedAfterATakeoverOrRestartAreOneRunNow() {
            // nothing owed: the next run at its time, claimed then
            row(ranUpTo("10:00:00"), "10:30:00", "11:00:00",
                    new WriteRunRecord(A, records("/a", claim(ranUpTo("10:00:00"), "11:00:00", "11:00:00"))));
            // five runs missed: one, for the last of them, now
            row(ranUpTo("05:00:00"), "10:30:00", "10:30:00",
                    new WriteRunRecord(A, records("/a", claim(ranUpTo("05:00:00"), "10:00:00", "10:30:00"))));
        }

        @Test
        void anotherInstancesClaimIsSettledAtItsDueInstantNotBefore() {
            RunRecord ahead = claimedBy("dead", "10:00:00", "11:00:00", "10:59:55");
            row(ahead, "10:59:58", "11:00:00", new FindClaimedSnapshot(A, at("10:59:59")));
            RunRecord old = claimedBy("dead", "08:00:00", "09:00:00", "09:00:00");
            row(old, "10:30:00", "10:30:00", new FindClaimedSnapshot(A, at("08:59:59")));
        }

        @Test
        void aLeaderTakingOverReadsTheRecordsAgainAndQueuesWhatIsOwed() {
            Given given = new Given().scanned("10:30:00", every("1h"), found(A, ranUpTo("10:00:00")));
            assertEquals(List.of(new LoadRecords(Set.of("rbd"))), given.work("10:30:00", new LeadershipGained()));
            assertEquals(List.of(new SleepUntil(Alarm.RUNS, at("10:30:00")), new SleepUntil(Alarm.CLAIMS, at("10:29:55"))),
                    given.on("10:30:00", new RecordsLoaded(Map.of("rbd", records("/a", ranUpTo("09:00:00"))))));
        }

        @Test
        void aLeaderTakingOverRecordsTheImagesThatHadNoRecord() {
            Given given = new Given().scanned("10:30:00", every("1h"), found(A, null));
            given.on("10:40:00", new LeadershipGained());
            assertEquals(List.of(new RecordFirstSight("rbd", records("/a", ranUpTo("10:40:00")))),
                    given.work("10:40:00", new RecordsLoaded(Map.of())));
        }
    }

    @Nested
    class ClaimsAhead {
        private Given threeImagesDueAtEleven() {
            return new Given().leader("10:30:00").scanned("10:30:00", every("1h"), found(A, ranUpTo("10:00:00")),
                    found(B, ranUpTo("10:00:00")), found(C, ranUpTo("10:00:00")));
        }

        @Test
        void runsFallingDueSoonAreClaimedInOneWritePerPool() {
            Given given = threeImagesDueAtEleven();
            assertEquals(List.of(new ClaimAhead("other", records("/c", claim(ranUpTo("10:00:00"), "11:00:00", "10:59:55")),
                                    Set.of(C.key())),
                            new ClaimAhead("rbd", records("/a", claim(ranUpTo("10:00:00"), "11:00:00", "10:59:55"),
                                    "/b", claim(ranUpTo("10:00:00"), "11:00:00", "10:59:55")), Set.of(A.key(), B.key()))),
                    given.work("10:59:55", new Tick(Alarm.CLAIMS)));
        }

        @Test
        void aClaimWrittenOpensTheImageAheadAndTheRunOnlySnapshotsAtItsDueInstant() {
            Given given = threeImagesDueAtEleven();
            given.on("10:59:55", new Tick(Alarm.CLAIMS));
            assertEquals(List.of(new OpenAhead(A), new SleepUntil(Alarm.SWEEP, at("11:00:30"))),
                    given.on("10:59:55", new ClaimsAheadWritten(Set.of(A.key()), true)));
            assertEquals(List.of(new OpenAhead(B)), given.on("10:59:55", new ClaimsAheadWritten(Set.of(B.key()), true)));
            given.on("10:59:55", new ClaimsAheadWritten(Set.of(C.key()), false));
            assertEquals(List.of(new TakeSnapshot(A, true), new TakeSnapshot(B, true),
                            new WriteRunRecord(C, records("/c", claim(ranUpTo("10:00:00"), "11:00:00", "11:00:00")))),
                    sorted(given.work("11:00:00", new Tick(Alarm.RUNS))), "a claim not written is made at the run");
        }

        @Test
        void aRunDueWhileItsClaimIsBeingWrittenWaitsForTheWrite() {
            Given given = threeImagesDueAtEleven();
            given.on("10:59:55", new Tick(Alarm.CLAIMS));
            given.on("11:00:00", new ClaimsAheadWritten(Set.of(C.key()), true));
            assertEquals(List.of(new TakeSnapshot(C, true)), given.work("11:00:00", new Tick(Alarm.RUNS)));
            assertEquals(List.of(new OpenAhead(A), new OpenAhead(B), new TakeSnapshot(A, true), new TakeSnapshot(B, true)),
                    given.work("11:00:01", new ClaimsAheadWritten(Set.of(A.key(), B.key()), true)).stream()
                            .sorted(ScheduleQueueTest::byKind).toList());
        }

        @Test
        void aStandbyClaimsNothing() {
            Given given = new Given().scanned("10:30:00", every("1h"), found(A, ranUpTo("10:00:00")));
            assertEquals(List.of(), given.work("10:59:55", new Tick(Alarm.CLAIMS)));
        }

        @Test
        void anImageOpenedAheadThatItsRunDoesNotUseIsClosed() {
            Given given = threeImagesDueAtEleven();
            given.on("10:59:55", new Tick(Alarm.CLAIMS));
            given.on("10:59:55", new ClaimsAheadWritten(Set.of(A.key()), true));
            given.on("10:59:56", new LeadershipLost());
            assertEquals(List.of(), given.work("11:00:00", new Tick(Alarm.RUNS)), "no run here any more");
            assertEquals(List.of(new CloseOpenedAhead(A.key())), given.work("11:00:30", new Tick(Alarm.SWEEP)));
        }
    }

    @Nested
    class Runs {
        private Given dueAtEleven(int slots, FoundImage... images) {
            return new Given(slots).leader("10:59:58").scanned("10:59:58", every("1h"), images);
        }

        @Test
        void aDueRunIsClaimedThenTakenAndItsCompletionWrittenLater() {
            Given given = dueAtEleven(10, found(A, ranUpTo("10:00:00")));
            RunRecord claimed = claim(ranUpTo("10:00:00"), "11:00:00", "11:00:00");
            assertEquals(List.of(new WriteRunRecord(A, records("/a", claimed))), given.work("11:00:00", new Tick(Alarm.RUNS)));
            assertEquals(List.of(new TakeSnapshot(A, false)), given.work("11:00:00", new RunRecordWritten(A.key(), true)));
            assertEquals(List.of(new SleepUntil(Alarm.COMPLETIONS, at("11:00:03"))),
                    given.on("11:00:01", new SnapshotTaken(A.key(), 7L)));
            assertEquals(List.of(new RecordCompletions("rbd", records("/a", claimed.succeeded(wall("11:00:00"),
                    at("11:00:01"), 7L)))), given.work("11:00:03", new Tick(Alarm.COMPLETIONS)));
            assertEquals("2026-01-01T11:00:01Z", given.status().get(0).lastRun());
        }

        @Test
        void aClaimThatCannotBeWrittenTakesNoSnapshot() {
            Given given = dueAtEleven(10, found(A, ranUpTo("10:00:00")));
            given.on("11:00:00", new Tick(Alarm.RUNS));
            assertEquals(List.of(), given.work("11:00:00", new RunRecordWritten(A.key(), false)));
        }

        @Test
        void aRunAlreadyAccountedForIsNotTakenAgain() {
            Given given = dueAtEleven(10, found(A, ranUpTo("11:00:00")));
            assertEquals(List.of(), given.work("11:00:00", new Tick(Alarm.RUNS)));
        }

        @Test
        void atMostMaxConcurrentRunsAreInProgressTheOthersWaitForASlot() {
            Given given = dueAtEleven(1, found(A, ranUpTo("10:00:00")), found(B, ranUpTo("10:00:00")));
            List<ScheduleAction> first = given.work("11:00:00", new Tick(Alarm.RUNS));
            assertEquals(1, first.size());
            ImageRef started = ((WriteRunRecord) first.get(0)).image();
            ImageRef next = started.equals(A) ? B : A;
            given.on("11:00:00", new RunRecordWritten(started.key(), true));
            assertEquals(List.of(new WriteRunRecord(next, records(
                            "/" + started.key().imageId(), claim(ranUpTo("10:00:00"), "11:00:00", "11:00:00")
                                    .succeeded(wall("11:00:00"), at("11:00:01"), 7L),
                            "/" + next.key().imageId(), claim(ranUpTo("10:00:00"), "11:00:00", "11:00:01")))),
                    given.work("11:00:01", new SnapshotTaken(started.key(), 7L)),
                    "the slot goes to the waiting run, whose claim carries the completion");
        }

        @Test
        void aFailedSnapshotIsRecordedAndTheNextRunComesAtItsTime() {
            Given given = dueAtEleven(10, found(A, ranUpTo("10:00:00")));
            given.on("11:00:00", new Tick(Alarm.RUNS));
            given.on("11:00:00", new RunRecordWritten(A.key(), true));
            given.on("11:00:01", new SnapshotFailed(A.key(), "(5) Input/output error: disk gone"));
            assertEquals(List.of(new ScheduledImage("2026-01-01 12:00:00", "rbd/a", "2026-01-01T11:00:01Z",
                    "(5) Input/output error: disk gone")), given.status());
            RunRecord failed = claim(ranUpTo("10:00:00"), "11:00:00", "11:00:00")
                    .failed(wall("11:00:00"), at("11:00:01"), "(5) Input/output error: disk gone");
            // the claim, written with the completion waiting, supersedes it
            assertEquals(List.of(new ClaimAhead("rbd", records("/a", claim(failed, "12:00:00", "11:59:55")),
                    Set.of(A.key()))), given.work("11:59:55", new Tick(Alarm.CLAIMS)), "retried at the next run");
        }

        @Test
        void anImageNoLongerPrimaryAtItsRunIsSkippedNotFailed() {
            Given given = dueAtEleven(10, found(A, ranUpTo("10:00:00")));
            given.on("11:00:00", new Tick(Alarm.RUNS));
            given.on("11:00:00", new RunRecordWritten(A.key(), true));
            given.on("11:00:01", new SnapshotTaken(A.key(), null));
            assertEquals(List.of(new RecordCompletions("rbd", records("/a", ranUpTo("11:00:00")))),
                    given.work("11:00:01", new Stopping()), "completions are written when the scheduler stops");
        }
    }

    @Nested
    class Settling {
        private Given runningTheClaimOf(String claimDue, String now) {
            Given given = new Given().leader(now).scanned(now, every("1h"),
                    found(A, claimedBy("dead", "09:00:00", claimDue, claimDue)));
            given.on(now, new Tick(Alarm.RUNS));
            return given;
        }

        @Test
        void aClaimWhoseSnapshotExistsIsRecordedAsDone() {
            Given given = runningTheClaimOf("10:00:00", "10:10:00");
            RunRecord settled = claimedBy("dead", "09:00:00", "10:00:00", "10:00:00")
                    .succeeded(wall("10:00:00"), at("10:00:00"), 4L);
            assertEquals(List.of(new WriteRunRecord(A, records("/a", settled))),
                    given.work("10:10:00", new ClaimedSnapshotFound(A.key(), 4L, at("10:00:00"))));
            assertEquals(List.of(), given.work("10:10:00", new RunRecordWritten(A.key(), true)));
        }

        @Test
        void aClaimWhoseSnapshotExistsIsRecordedThenTheRunsOwedSinceAreTaken() {
            Given given = runningTheClaimOf("08:00:00", "10:10:00");
            RunRecord settled = claimedBy("dead", "09:00:00", "08:00:00", "08:00:00")
                    .succeeded(wall("08:00:00"), at("08:00:00"), 4L);
            given.on("10:10:00", new ClaimedSnapshotFound(A.key(), 4L, at("08:00:00")));
            assertEquals(List.of(new WriteRunRecord(A, records("/a", claim(settled, "10:00:00", "10:10:01")))),
                    given.work("10:10:01", new RunRecordWritten(A.key(), true)));
        }

        @Test
        void aClaimWithoutItsSnapshotIsTakenOnce() {
            Given given = runningTheClaimOf("10:00:00", "10:10:00");
            assertEquals(List.of(new WriteRunRecord(A, records("/a", claim(ranUpTo("09:00:00"), "10:00:00", "10:10:00")))),
                    given.work("10:10:00", new ClaimedSnapshotFound(A.key(), null, null)));
        }

        @Test
        void anImageThatCannotBeReadLeavesTheClaimForTheNextRun() {
            Given given = runningTheClaimOf("10:00:00", "10:10:00");
            assertEquals(List.of(), given.work("10:10:00", new RunFailed(A.key())));
        }
    }

    @Nested
    class Forgetting {
        @Test
        void imagesARescanNoLongerFindsLeaveTheQueueAndTheLeaderRemovesTheirRecords() {
            Given given = new Given().leader("10:30:00").scanned("10:30:00", every("1h"),
                    found(A, ranUpTo("10:00:00")), found(B, ranUpTo("10:00:00")));
            given.on("10:31:00", new ScanStarted(every("1h"), Set.of("1/")));
            given.on("10:31:00", new ImagesFound(List.of(found(B, ranUpTo("10:00:00")))));
            assertEquals(List.of(new RemoveRecords("rbd", Set.of("/a"))),
                    given.work("10:31:00", new ScanFinished(Set.of(), Map.of("rbd", Set.of("/a")))));
            assertEquals(List.of("rbd/b"), given.status().stream().map(ScheduledImage::image).toList());
        }

        @Test
        void imagesOfAPoolTheRescanCouldNotReadAreKept() {
            Given given = new Given().scanned("10:30:00", every("1h"), found(A, ranUpTo("10:00:00")));
            given.on("10:31:00", new ScanStarted(every("1h"), Set.of()));
            assertEquals(List.of(), given.work("10:31:00", new ScanFinished(Set.of("rbd"), Map.of())),
                    "a standby removes no record");
            assertEquals(List.of("rbd/a"), given.status().stream().map(ScheduledImage::image).toList());
        }

        @Test
        void aChangeAtALevelNeedsNoRescanWhenItsImagesAreTracked() {
            Given given = new Given().scanned("10:30:00", every("1h"), found(A, ranUpTo("10:00:00")));
            assertEquals(List.of(true, true, false, false), List.of(
                    given.queue.tracksImagesOf(LevelSpec.ofPool("1", "rbd", "")),
                    given.queue.tracksImagesOf(imageLevel("a")),
                    given.queue.tracksImagesOf(imageLevel("new")),
                    given.queue.tracksImagesOf(LevelSpec.ofPool("1", "rbd", null))));
        }
    }

    private static LevelSpec imageLevel(String imageId) {
        return new LevelSpec("rbd/" + imageId, "1//" + imageId, "1", "", imageId);
    }

    /** Actions in a fixed order where the queue's order among images is not the point. */
    private static List<ScheduleAction> sorted(List<ScheduleAction> actions) {
        return actions.stream().sorted(ScheduleQueueTest::byKind).toList();
    }

    private static int byKind(ScheduleAction a, ScheduleAction b) {
        return (a.getClass().getSimpleName() + a).compareTo(b.getClass().getSimpleName() + b);
    }
}
