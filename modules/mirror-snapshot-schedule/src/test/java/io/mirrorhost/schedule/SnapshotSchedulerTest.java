package io.mirrorhost.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.testing.FakeClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnapshotSchedulerTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final FakeCluster cluster = new FakeCluster(clock);
    private final KeyValueStore store = ModuleHarness.sharedStore();
    private final List<ModuleHarness> hosts = new ArrayList<>();
    private Vertx vertx;
    private FakeCluster.FakeImage primary;
    private FakeCluster.FakeImage nonPrimary;
    private FakeCluster.FakeImage journal;
    private FakeCluster.FakeImage unmirrored;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        cluster.addPool("rbd");
        primary = cluster.addImage("rbd", "", "primary", MirrorImageMode.SNAPSHOT, true);
        nonPrimary = cluster.addImage("rbd", "", "secondary", MirrorImageMode.SNAPSHOT, false);
        journal = cluster.addImage("rbd", "", "journal", MirrorImageMode.JOURNAL, true);
        unmirrored = cluster.addImage("rbd", "", "plain", null, true);
    }

    @AfterEach
    void tearDown() {
        hosts.forEach(h -> h.module.stop());
        vertx.close();
    }

    private ModuleHarness host() {
        return host(Map.of());
    }

    private ModuleHarness host(OptionSpec<?> option, String value) {
        return host(Map.of(option, value));
    }

    /** An instance that leads if none does (as the first host of a site), else a standby. */
    private ModuleHarness host(Map<OptionSpec<?>, String> options) {
        boolean leads = hosts.stream().noneMatch(h -> h.module.isLeader());
        ModuleHarness h = new ModuleHarness(vertx, cluster, store, options, leads).start();
        hosts.add(h);
        return h;
    }

    /** The host makes {@code standby} the leader, under the next term of the fence. */
    private void takeOver(ModuleHarness standby) {
        assertFalse(standby.module.isLeader());
        standby.leadership.change(Optional.of(cluster.fence.take()));
    }

    private void advance(Duration d) {
        clock.advance(d);
    }

    private static JsonArray statusJson(ModuleHarness h) {
        CommandResult r = h.run("status", OutputFormat.JSON);
        assertEquals(0, r.code(), r.stderr());
        return new JsonArray(r.stdout());
    }

    /** An OffLoop whose steps wait until the test runs them, one at a time. */
    private static final class SteppedOffLoop implements OffLoop {
        final ArrayDeque<Runnable> steps = new ArrayDeque<>();

        @Override
        public Future<Void> run(Runnable work) {
            Promise<Void> done = Promise.promise();
            steps.add(() -> {
                work.run();
                done.complete();
            });
            return done.future();
        }

        /** Runs queued steps (and those they queue) until {@code until} completes; returns how many ran. */
        int runUntil(Future<?> until) {
            int ran = 0;
            while (!until.isComplete() && !steps.isEmpty()) {
                steps.poll().run();
                ran++;
            }
            return ran;
        }
    }

    @Test
    void aRescanAppliesItsImagesInChunksThroughTheOffLoopAndLeavesTheLoopFreeBetweenThem() {
        ModuleHarness first = host();
        assertEquals(0, first.run("add", "pool", "rbd", "interval", "1h").code());
        first.module.stop();
        hosts.remove(first);
        int many = SnapshotScheduler.APPLY_CHUNK + 10;
        for (int i = 0; i < many; i++) {
            cluster.addImage("rbd", "", "many-" + i, MirrorImageMode.SNAPSHOT, true);
        }
        SteppedOffLoop offLoop = new SteppedOffLoop();
        ModuleHarness h = new ModuleHarness(vertx, cluster, store, offLoop);
        hosts.add(h);
        Future<Void> started = h.module.start(h.context);
        assertFalse(started.isComplete(), "the first scan waits for its steps off the loop");
        // start, two chunks of images (primary + many), drop the gone ones
        assertEquals(4, offLoop.runUntil(started));
        assertTrue(started.succeeded(), String.valueOf(started.cause()));
        assertEquals(many + 1, statusJson(h).size());
        assertTrue(h.run("status").stdout().contains("rbd/primary"));

        cluster.dropImage(primary);
        advance(Duration.ofSeconds(60));
        assertEquals(1, offLoop.steps.size(), "the rescan's later steps are queued as earlier ones complete");
        offLoop.steps.poll().run();
        offLoop.steps.poll().run();
        // mid-rescan: commands answer between the steps, and nothing is dropped yet
        assertEquals(0, h.run("ls", "pool", "rbd").code());
        assertEquals(many + 1, statusJson(h).size());
        offLoop.runUntil(Future.future(p -> { }));
        assertEquals(many, statusJson(h).size());
        assertFalse(h.run("status").stdout().contains("rbd/primary"), "the dropped image left status");
    }

    @Test
    void takesDueSnapshotsOfPrimarySnapshotModeImagesOnly() {
        ModuleHarness h = host();
        assertEquals(0, h.run("add", "pool", "rbd", "interval", "1h").code());
        advance(Duration.ofMinutes(59));
        assertEquals(0, primary.created);
        advance(Duration.ofMinutes(1));
        assertEquals(1, primary.created);
        advance(Duration.ofHours(6));
        assertEquals(7, primary.created);
        assertEquals(FakeCluster.MAX_MIRROR_SNAPSHOTS, primary.mirrorSnapshots(), "the cluster prunes at 5");
        assertEquals(0, nonPrimary.created);
        assertEquals(0, journal.created);
        assertEquals(0, unmirrored.created);

        JsonArray status = statusJson(h);
        assertEquals(1, status.size());
        JsonObject entry = status.getJsonObject(0);
        assertEquals("rbd/primary", entry.getString("image"));
        assertEquals("2026-01-01 18:00:00", entry.getString("schedule_time"));
        assertEquals("2026-01-01T17:00:00Z", entry.getString("last_run"));
        assertFalse(entry.containsKey("last_error"));
    }

    @Test
    void recordsTheLastErrorAndClearsItOnSuccess() {
        ModuleHarness h = host();
        h.run("add", "interval", "30m");
        cluster.snapshotFailure = new ClusterException(Errno.EINVAL, "no mirror tx peers configured for the pool");
        advance(Duration.ofMinutes(30));
        JsonObject entry = statusJson(h).getJsonObject(0);
        assertEquals("(22) Invalid argument: no mirror tx peers configured for the pool", entry.getString("last_error"));
        assertEquals("2026-01-01T10:30:00Z", entry.getString("last_run"));
        cluster.snapshotFailure = null;
        advance(Duration.ofMinutes(30));
        entry = statusJson(h).getJsonObject(0);
        assertFalse(entry.containsKey("last_error"));
        assertEquals(1, primary.created);
        advance(ScheduleQueue.COMPLETION_LINGER);
        assertTrue(cluster.omap("rbd", RunRecordStore.RUNS_OID).get("/" + primary.id).contains("\"snap_id\""));
    }

    @Test
    void picksUpNewImagesAndPoolsWithoutRestart() {
        ModuleHarness h = host();
        h.run("add", "interval", "1h");
        FakeCluster.FakeImage late = cluster.addImage("rbd", "", "late", MirrorImageMode.SNAPSHOT, true);
        advance(Duration.ofSeconds(1));
        assertEquals(List.of("rbd/late", "rbd/primary"), images(h), "the rbd_mirroring notify triggers a rescan");
        advance(Duration.ofSeconds(59));

        cluster.addPool("second");
        FakeCluster.FakeImage other = cluster.addImage("second", "", "far", MirrorImageMode.SNAPSHOT, true);
        advance(Duration.ofSeconds(59));
        assertEquals(List.of("rbd/late", "rbd/primary"), images(h), "a new pool has no watch yet");
        advance(Duration.ofSeconds(1));
        assertEquals(List.of("rbd/late", "rbd/primary", "second/far"), images(h), "the slow rescan finds it");

        advance(Duration.ofMinutes(58));
        assertEquals(1, late.created);
        assertEquals(1, other.created);
    }

    @Test
    void aChangeAtALevelWhoseImagesAreTrackedAnswersWithoutARescan() {
        ModuleHarness h = host();
        h.run("add", "pool", "rbd", "interval", "1h");
        int listings = cluster.listImagesCalls;
        assertEquals(0, h.run("add", "pool", "rbd", "image", "primary", "interval", "15m").code());
        assertEquals(listings, cluster.listImagesCalls, "the image was tracked already");
        assertEquals("2026-01-01 10:15:00", statusJson(h).getJsonObject(0).getString("schedule_time"));
        assertEquals(0, h.run("remove", "pool", "rbd", "image", "primary").code());
        assertEquals(listings, cluster.listImagesCalls, "a removal brings in no image");
        assertEquals("2026-01-01 11:00:00", statusJson(h).getJsonObject(0).getString("schedule_time"));
        advance(Duration.ofSeconds(2));
        assertEquals(listings, cluster.listImagesCalls, "an instance ignores the notifications of its own commands");
        ModuleHarness other = host();
        listings = cluster.listImagesCalls;
        assertEquals(0, other.run("add", "pool", "rbd", "image", "primary", "interval", "20m").code());
        advance(Duration.ofSeconds(1));
        assertTrue(cluster.listImagesCalls > listings, "another instance's change is read");
        assertEquals("2026-01-01 10:20:00", statusJson(h).getJsonObject(0).getString("schedule_time"));
        assertEquals(0, other.run("remove", "pool", "rbd", "image", "primary").code());
        advance(Duration.ofSeconds(1));
        listings = cluster.listImagesCalls;

        cluster.addPool("other");
        cluster.addImage("other", "", "far", MirrorImageMode.SNAPSHOT, true);
        assertEquals(0, h.run("add", "pool", "other", "interval", "30m").code());
        assertTrue(cluster.listImagesCalls > listings, "a pool nobody scanned is scanned before the answer");
        assertEquals(List.of("other/far", "rbd/primary"), images(h));
        advance(Duration.ofMinutes(30));
        assertEquals(0, primary.created);
        advance(Duration.ofMinutes(30));
        assertEquals(1, primary.created);
    }

    @Test
    void demotedAndDisabledImagesLeaveTheQueue() {
        ModuleHarness h = host();
        h.run("add", "pool", "rbd", "image", "primary", "interval", "1h");
        assertEquals(List.of("rbd/primary"), images(h));
        cluster.demote(primary);
        advance(Duration.ofSeconds(1));
        assertEquals(List.of(), images(h));
        advance(Duration.ofHours(2));
        assertEquals(0, primary.created);
    }

    @Test
    void aRunClaimedAheadOfAnImageDemotedSinceIsSkippedNotFailed() {
        ModuleHarness h = host();
        h.run("add", "pool", "rbd", "image", "primary", "interval", "1h");
        advance(Duration.ofHours(1).minus(ScheduleQueue.CLAIM_LEAD));
        assertEquals(1, cluster.openHandles, "opened ahead while primary");
        cluster.demoteWithoutNotify(primary);
        int infos = cluster.mirrorInfoCalls;
        advance(ScheduleQueue.CLAIM_LEAD);
        assertEquals(0, primary.created);
        assertEquals(0, cluster.openHandles);
        assertEquals(infos + 1, cluster.mirrorInfoCalls, "the failed snapshot asked again");
        advance(ScheduleQueue.COMPLETION_LINGER);
        String record = cluster.omap("rbd", RunRecordStore.RUNS_OID).get("/" + primary.id);
        assertTrue(record.contains("\"last_due\":\"2026-01-01T11:00\""), record);
        assertFalse(record.contains("claim") || record.contains("last_error") || record.contains("last_run"),
                "skipped, not failed: " + record);
    }

    @Test
    void aRunClaimedAheadThatFailsWhileTheImageIsStillPrimaryRecordsTheError() {
        ModuleHarness h = host();
        h.run("add", "pool", "rbd", "image", "primary", "interval", "1h");
        advance(Duration.ofHours(1).minus(ScheduleQueue.CLAIM_LEAD));
        cluster.snapshotFailure = new ClusterException(Errno.EIO, "disk gone");
        advance(ScheduleQueue.CLAIM_LEAD);
        JsonObject entry = statusJson(h).getJsonObject(0);
        assertEquals("(5) Input/output error: disk gone", entry.getString("last_error"));
        assertEquals(0, cluster.openHandles);
    }

    @Test
    void schedulesOfRemovedImagesAndPoolsGoAway() {
        FakeCluster.FakeImage second = cluster.addImage("rbd", "", "second", MirrorImageMode.SNAPSHOT, true);
        ModuleHarness h = host();
        h.run("add", "pool", "rbd", "image", "primary", "interval", "1h");
        h.run("add", "pool", "rbd", "image", "second", "interval", "2h");
        assertEquals(2, cluster.omap("rbd", ScheduleStore.SCHEDULE_OID).size());

        advance(Duration.ofHours(1));
        assertEquals(1, primary.created);
        assertTrue(cluster.omap("rbd", RunRecordStore.RUNS_OID).containsKey("/" + primary.id));
        cluster.dropImage(primary);
        advance(Duration.ofSeconds(1));
        assertFalse(cluster.omap("rbd", RunRecordStore.RUNS_OID).containsKey("/" + primary.id),
                "the run record of a removed image goes too");
        assertTrue(cluster.omap("rbd", RunRecordStore.RUNS_OID).containsKey("/" + second.id));
        assertEquals(Map.of("1//" + second.id, Schedule.fromStoredJson("x",
                        "[{\"interval\": \"2h\", \"start_time\": null}]").toStoredJson()),
                cluster.omap("rbd", ScheduleStore.SCHEDULE_OID));
        assertEquals(List.of("rbd/second"), images(h));

        cluster.disableMirroring(second);
        advance(Duration.ofSeconds(1));
        assertEquals(Map.of(), cluster.omap("rbd", ScheduleStore.SCHEDULE_OID), "Ceph drops keys of images no longer snapshot-mirrored");

        cluster.addPool("gone");
        cluster.addImage("gone", "", "x", MirrorImageMode.SNAPSHOT, true);
        h.run("add", "pool", "gone", "interval", "1h");
        assertEquals(List.of("gone/x"), images(h));
        cluster.dropPool("gone");
        advance(Duration.ofSeconds(60));
        assertEquals(List.of(), images(h));
        assertEquals("[]\n", h.run("ls", OutputFormat.JSON, "recursive", "true").stdout());
    }

    @Test
    void replacedQueueEntriesDoNotPileUp() {
        for (int i = 0; i < 50; i++) {
            cluster.addImage("rbd", "", "img" + i, MirrorImageMode.SNAPSHOT, true);
        }
        ModuleHarness h = host();
        h.run("add", "interval", "1d");
        for (int i = 0; i < 20; i++) {
            h.run("add", "interval", (i + 2) + "d");
        }
        assertEquals(51, images(h).size());
        assertTrue(h.module.queueLength() <= 2 * 51 + 64, "queue holds " + h.module.queueLength());
    }

    @Test
    void aFlakyScanKeepsTheImagesItCouldNotSee() {
        ModuleHarness h = host();
        h.run("add", "pool", "rbd", "image", "primary", "interval", "1h");
        cluster.mirrorListFailure = new ClusterException(Errno.ETIMEDOUT, "slow");
        advance(Duration.ofMinutes(1));
        assertEquals(List.of("rbd/primary"), images(h));
        assertEquals(1, cluster.omap("rbd", ScheduleStore.SCHEDULE_OID).size(), "no schedule dropped on errors");
        advance(Duration.ofMinutes(59));
        assertEquals(1, primary.created);
    }

    @Test
    void twoInstancesTakeEachDueSnapshotOnce() {
        ModuleHarness a = host();
        ModuleHarness b = host();
        assertTrue(a.module.isLeader());
        assertFalse(b.module.isLeader());
        a.run("add", "interval", "1h");
        advance(Duration.ofSeconds(1));
        assertEquals(List.of("rbd/primary"), images(b), "the standby sees the schedule through the notify");
        advance(Duration.ofHours(5));
        assertEquals(5, primary.created);
        assertEquals(images(a), images(b));
    }

    @Test
    void failoverCatchesUpTheRunsOfTheGapOnce() {
        ModuleHarness a = host();
        ModuleHarness b = host();
        a.run("add", "interval", "1m");
        advance(Duration.ofMinutes(3));
        assertEquals(3, primary.created);
        a.module.crash();
        advance(Duration.ofMinutes(5));
        assertEquals(3, primary.created, "no snapshot while no instance leads");
        takeOver(b);
        advance(Duration.ZERO);
        assertEquals(4, primary.created, "one catch-up for all the runs missed during the gap");
        int atTakeover = primary.created;
        Instant takeover = clock.now();
        advance(Duration.ofMinutes(2));
        assertEquals(atTakeover + 2, primary.created);
        assertTrue(takeover.isAfter(Instant.parse("2026-01-01T10:04:00Z")));
    }

    @Test
    void anInstanceThatLosesItsTermTakesNoMoreSnapshotsAndTheNewLeaderGoesOn() {
        ModuleHarness a = host();
        ModuleHarness b = host();
        a.run("add", "interval", "1h");
        advance(Duration.ofHours(1));
        assertEquals(1, primary.created);
        a.leadership.change(Optional.empty());
        advance(Duration.ofHours(2));
        assertEquals(1, primary.created, "neither instance leads");
        takeOver(b);
        advance(Duration.ZERO);
        assertEquals(2, primary.created, "one catch-up for the runs missed while no instance led");
        advance(Duration.ofHours(1));
        assertEquals(3, primary.created);
        assertEquals(0, cluster.fence.refused);
    }

    @Test
    void aLeaderWhoseTermWasTakenIsRefusedByTheStorageAndReportsIt() {
        ModuleHarness a = host();
        FenceToken term = a.leadership.term().orElseThrow();
        a.run("add", "interval", "1h");
        advance(Duration.ofMinutes(30));
        cluster.fence.take(); // another instance took the fence while this one was paused
        advance(Duration.ofMinutes(30));
        assertEquals(0, primary.created, "the claim was refused, so no snapshot was taken");
        assertTrue(cluster.fence.refused > 0);
        assertTrue(a.leadership.refusedTerms().stream().allMatch(term::equals), a.leadership.refusedTerms().toString());
        assertFalse(a.leadership.refusedTerms().isEmpty(), "the refusal is reported, so that the host steps down");
    }

    @Test
    void aRestartAfterAGapTakesOneCatchUpSnapshot() {
        ModuleHarness a = host();
        a.run("add", "interval", "1h");
        advance(Duration.ofHours(2));
        assertEquals(2, primary.created);
        a.module.stop();
        advance(Duration.ofHours(5).plusMinutes(30));
        ModuleHarness again = host();
        advance(Duration.ZERO);
        assertEquals(3, primary.created);
        advance(Duration.ofMinutes(29));
        assertEquals(3, primary.created);
        advance(Duration.ofMinutes(1));
        assertEquals(4, primary.created);
        assertEquals("2026-01-01 19:00:00", statusJson(again).getJsonObject(0).getString("schedule_time"));
    }

    @Test
    void aFirstStartOwesNothing() {
        store.put(ScheduleStore.GLOBAL_KEY, "[{\"interval\": \"1h\", \"start_time\": null}]");
        advance(Duration.ofMinutes(30));
        host();
        advance(Duration.ZERO);
        assertEquals(0, primary.created);
        advance(Duration.ofMinutes(30));
        assertEquals(1, primary.created);
    }

    @Test
    void aClaimWhoseSnapshotWasTakenIsNotRepeated() {
        ModuleHarness a = host();
        a.run("add", "interval", "1h");
        cluster.failWritesOf = RunRecordStore.RUNS_OID;
        advance(Duration.ofHours(1));
        assertEquals(0, primary.created, "the claim could not be written, so no snapshot was taken");
        cluster.failWritesOf = null;
        advance(Duration.ofHours(1));
        assertEquals(1, primary.created);
        // The instance dies after taking the 12:00 snapshot, before recording it.
        String key = "/" + primary.id;
        String claimed = new JsonObject().put("last_due", "2026-01-01T11:00").put("claim",
                new JsonObject().put("due", "2026-01-01T12:00").put("owner", "dead")
                        .put("at", "2026-01-01T11:59:59Z")).encode();
        cluster.putOmap("rbd", RunRecordStore.RUNS_OID, Map.of(key, claimed));
        a.module.crash();
        advance(Duration.ofMinutes(10));
        host();
        advance(Duration.ZERO);
        assertEquals(1, primary.created, "the snapshot of the claimed run exists, so it is not taken again");
        assertTrue(cluster.omap("rbd", RunRecordStore.RUNS_OID).get(key).contains("\"last_due\":\"2026-01-01T12:00\""));
        assertFalse(cluster.omap("rbd", RunRecordStore.RUNS_OID).get(key).contains("claim"));
    }

    @Test
    void aClaimWithoutItsSnapshotIsTakenOnce() {
        store.put(ScheduleStore.GLOBAL_KEY, "[{\"interval\": \"1h\", \"start_time\": null}]");
        String key = "/" + primary.id;
        cluster.putOmap("rbd", RunRecordStore.RUNS_OID, Map.of(key, new JsonObject().put("last_due", "2026-01-01T09:00")
                .put("claim", new JsonObject().put("due", "2026-01-01T10:00").put("owner", "dead")
                        .put("at", "2026-01-01T10:00:00Z")).encode()));
        advance(Duration.ofMinutes(20));
        host();
        advance(Duration.ZERO);
        assertEquals(1, primary.created);
        advance(Duration.ofMinutes(39));
        assertEquals(1, primary.created);
        advance(Duration.ofMinutes(1));
        assertEquals(2, primary.created);
    }

    @Test
    void runsAreClaimedAheadInOneWritePerPoolAndTakenAtTheirDueInstantWithoutAWriteBefore() {
        List<FakeCluster.FakeImage> more = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            more.add(cluster.addImage("rbd", "", "img" + i, MirrorImageMode.SNAPSHOT, true));
        }
        ModuleHarness h = host();
        h.run("add", "interval", "1h");
        advance(Duration.ofMinutes(59).plusSeconds(54));
        int writesBefore = cluster.omapWrites;
        advance(Duration.ofSeconds(2));
        assertEquals(writesBefore + 1, cluster.omapWrites, "the five claims in one write");
        for (FakeCluster.FakeImage image : concat(primary, more)) {
            String record = cluster.omap("rbd", RunRecordStore.RUNS_OID).get("/" + image.id);
            assertTrue(record.contains("\"claim\":{\"due\":\"2026-01-01T11:00\""), record);
            assertEquals(0, image.created, "claimed, not taken before its due instant");
        }
        cluster.holdSnapshots = true;
        int writesAtDue = cluster.omapWrites;
        int infosAtDue = cluster.mirrorInfoCalls;
        advance(Duration.ofSeconds(4));
        assertEquals(5, cluster.heldSnapshots.size(), "all five snapshots started at the due instant");
        assertEquals(writesAtDue, cluster.omapWrites, "no write before the snapshots");
        assertEquals(infosAtDue, cluster.mirrorInfoCalls, "the mirror info was read when the images were opened ahead");
        while (cluster.releaseOneSnapshot()) {
            assertEquals(writesAtDue, cluster.omapWrites, "completions wait to be written together");
        }
        advance(ScheduleQueue.COMPLETION_LINGER);
        assertEquals(writesAtDue + 1, cluster.omapWrites, "the five completions in one write");
        for (FakeCluster.FakeImage image : concat(primary, more)) {
            String record = cluster.omap("rbd", RunRecordStore.RUNS_OID).get("/" + image.id);
            assertTrue(record.contains("\"last_due\":\"2026-01-01T11:00\"") && !record.contains("claim"), record);
            assertEquals(1, image.created);
        }
    }

    @Test
    void imagesOpenedForClaimedRunsAreClosedAfterTheRunOrWhenTheRunIsNotTaken() {
        ModuleHarness h = host();
        h.run("add", "interval", "1h");
        advance(Duration.ofHours(1).minus(ScheduleQueue.CLAIM_LEAD));
        assertEquals(1, cluster.openHandles, "opened with the claim, before the due instant");
        advance(ScheduleQueue.CLAIM_LEAD);
        assertEquals(1, primary.created);
        assertEquals(0, cluster.openHandles, "closed after the run");
        advance(Duration.ofHours(1).minus(ScheduleQueue.CLAIM_LEAD));
        assertEquals(1, cluster.openHandles);
        h.run("remove", "interval", "1h");
        advance(ScheduleQueue.CLAIM_LEAD.plus(ScheduleQueue.UNUSED_OPEN));
        assertEquals(1, primary.created, "no schedule, no run");
        assertEquals(0, cluster.openHandles, "the image opened for the run that was not taken is closed");
    }

    @Test
    void aClaimStillBeingWrittenAtTheDueInstantIsTakenOnceItIsWritten() {
        ModuleHarness h = host();
        h.run("add", "interval", "1h");
        cluster.holdOmapWrites = true;
        advance(Duration.ofHours(1));
        assertEquals(1, cluster.heldOmapWrites.size(), "the claim made ahead is still being written");
        assertEquals(0, primary.created, "no snapshot before its claim is written");
        cluster.holdOmapWrites = false;
        List<Runnable> held = List.copyOf(cluster.heldOmapWrites);
        cluster.heldOmapWrites.clear();
        held.forEach(Runnable::run);
        assertEquals(1, primary.created);
        advance(ScheduleQueue.COMPLETION_LINGER);
        assertTrue(cluster.omap("rbd", RunRecordStore.RUNS_OID).get("/" + primary.id)
                .contains("\"last_due\":\"2026-01-01T11:00\""));
        advance(Duration.ofHours(1));
        assertEquals(2, primary.created);
    }

    private static List<FakeCluster.FakeImage> concat(FakeCluster.FakeImage first, List<FakeCluster.FakeImage> rest) {
        List<FakeCluster.FakeImage> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    @Test
    void aRunClaimedAheadByAnInstanceThatDiesIsTakenOnceByTheStandbyAtItsDueInstantNotBefore() {
        ModuleHarness a = host();
        ModuleHarness b = host();
        a.run("add", "interval", "1h");
        advance(Duration.ofHours(1).minus(ScheduleQueue.CLAIM_LEAD));
        assertTrue(cluster.omap("rbd", RunRecordStore.RUNS_OID).get("/" + primary.id).contains("claim"),
                "claimed at 10:59:55");
        a.module.crash();
        advance(Duration.ofSeconds(3));
        takeOver(b);
        assertTrue(clock.now().isBefore(Instant.parse("2026-01-01T11:00:00Z")), "took over before the due instant");
        advance(Duration.ZERO);
        assertEquals(0, primary.created, "the claimed run is not taken before it is due");
        advance(Duration.between(clock.now(), Instant.parse("2026-01-01T11:00:00Z")));
        assertEquals(1, primary.created, "the standby takes the run the dead instance claimed");
        advance(Duration.ofMinutes(30));
        assertEquals(1, primary.created);
        advance(Duration.ofMinutes(30));
        assertEquals(2, primary.created);
    }

    @Test
    void createsAtMostMaxConcurrentSnapshotsAtOnce() {
        List<FakeCluster.FakeImage> more = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            more.add(cluster.addImage("rbd", "", "img" + i, MirrorImageMode.SNAPSHOT, true));
        }
        ModuleHarness h = host(MirrorSnapshotScheduleModule.MAX_CONCURRENT, "2");
        h.run("add", "interval", "1h");
        cluster.holdSnapshots = true;
        advance(Duration.ofHours(1));
        assertEquals(2, cluster.heldSnapshots.size(), "two of five images in flight");
        int released = 0;
        while (cluster.releaseOneSnapshot()) {
            released++;
            assertTrue(cluster.heldSnapshots.size() <= 2);
        }
        assertEquals(5, released);
        assertEquals(1, primary.created);
        more.forEach(i -> assertEquals(1, i.created));
    }

    @Test
    void aRunWhoseStartThrowsFailsAndFreesItsSlot() {
        FakeCluster.FakeImage other = cluster.addImage("rbd", "", "img0", MirrorImageMode.SNAPSHOT, true);
        ModuleHarness h = host(MirrorSnapshotScheduleModule.MAX_CONCURRENT, "1");
        h.run("add", "interval", "1h");
        cluster.openThrows = new IllegalStateException("backend broke its contract");
        advance(Duration.ofHours(1));
        JsonArray failed = statusJson(h);
        for (int i = 0; i < failed.size(); i++) {
            assertEquals("backend broke its contract", failed.getJsonObject(i).getString("last_error"));
        }
        cluster.openThrows = null;
        advance(Duration.ofHours(1));
        assertEquals(1, primary.created, "the slot of the run that threw was freed");
        assertEquals(1, other.created);
    }

    @Test
    void aRunsSlotIsFreeOnceItsSnapshotIsTakenWhileItsImageStillCloses() {
        List<FakeCluster.FakeImage> more = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            more.add(cluster.addImage("rbd", "", "img" + i, MirrorImageMode.SNAPSHOT, true));
        }
        ModuleHarness h = host(MirrorSnapshotScheduleModule.MAX_CONCURRENT, "1");
        h.run("add", "interval", "1h");
        cluster.holdCloses = true;
        advance(Duration.ofHours(1));
        assertEquals(1, primary.created);
        more.forEach(i -> assertEquals(1, i.created, "taken one after the other while the closes wait"));
        assertEquals(3, cluster.heldCloses.size());
        assertEquals(3, cluster.openHandles);
        cluster.heldCloses.forEach(Runnable::run);
        assertEquals(0, cluster.openHandles);
        advance(ScheduleQueue.COMPLETION_LINGER);
        for (FakeCluster.FakeImage image : concat(primary, more)) {
            assertTrue(cluster.omap("rbd", RunRecordStore.RUNS_OID).get("/" + image.id).contains("\"snap_id\""));
        }
    }

    @Test
    void readsSchedulesCephWroteAndDropsItsStaleKeys() {
        FakeCluster.FakeImage gone = cluster.addImage("rbd", "", "gone", MirrorImageMode.SNAPSHOT, true);
        cluster.putOmap("rbd", ScheduleStore.SCHEDULE_OID, Map.of(
                "1", "[\n    {\n        \"interval\": \"1d\",\n        \"start_time\": \"14:00:00-05:00\"\n    }\n]",
                "1/", "[{\"interval\": \"6h\", \"start_time\": null}]",
                "1//" + primary.id, "[{\"interval\": \"30m\", \"start_time\": null}, {\"interval\": \"1h\", \"start_time\": \"00:15:00\"}]",
                "1//" + gone.id, "[{\"interval\": \"1h\", \"start_time\": null}]",
                "1/nons", "[{\"interval\": \"1h\", \"start_time\": null}]"));
        cluster.dropImage(gone);
        store.put(ScheduleStore.GLOBAL_KEY, "[\n    {\n        \"interval\": \"2d\",\n        \"start_time\": null\n    }\n]");
        ModuleHarness h = host();
        assertEquals("POOL  NAMESPACE  IMAGE    SCHEDULE                                \n"
                + "-     -          -        every 2d                                \n"
                + "rbd   -          -        every 1d starting at 14:00:00-05:00     \n"
                + "rbd              primary  every 30m, every 1h starting at 00:15:00\n",
                h.run("ls", "recursive", "true").stdout(), "rbd skips the default-namespace level 'rbd//' it cannot parse");
        assertEquals(Map.of("1", "[\n    {\n        \"interval\": \"1d\",\n        \"start_time\": \"14:00:00-05:00\"\n    }\n]",
                "1/", "[{\"interval\": \"6h\", \"start_time\": null}]",
                "1//" + primary.id, "[{\"interval\": \"30m\", \"start_time\": null}, {\"interval\": \"1h\", \"start_time\": \"00:15:00\"}]"),
                cluster.omap("rbd", ScheduleStore.SCHEDULE_OID), "keys of a removed image and namespace are dropped");
        assertEquals("2026-01-01 10:15:00", statusJson(h).getJsonObject(0).getString("schedule_time"));
    }

    @Test
    void schedulesSurviveARestart() {
        ModuleHarness a = host();
        a.run("add", "pool", "rbd", "interval", "1d", "start-time", "14:00:00-05:00");
        a.run("add", "pool", "rbd", "image", "primary", "interval", "cron:30 * * * *");
        a.run("add", "interval", "6h");
        String listed = a.run("ls", "recursive", "true").stdout();
        String status = a.run("status").stdout();
        a.module.stop();
        ModuleHarness b = host();
        assertEquals(listed, b.run("ls", "recursive", "true").stdout());
        assertEquals(status, b.run("status").stdout());
        assertEquals("2026-01-01 10:30:00  rbd/primary\n", status.lines().skip(1).findFirst().orElseThrow() + "\n");
    }

    private static List<String> images(ModuleHarness h) {
        List<String> names = new ArrayList<>();
        statusJson(h).forEach(o -> names.add(((JsonObject) o).getString("image")));
        names.sort(null);
        return names;
    }
}
