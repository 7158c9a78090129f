package io.mirrorhost.schedule;

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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * The decisions of the mirror-snapshot scheduler (Ceph's {@code MirrorSnapshotScheduleHandler}
 * queue), with no I/O, no futures, no threads and no clock of its own: which images are queued for
 * which next run, which runs are claimed ahead of their due instant, which are taken when due, how
 * a claim left by a dead or previous instance is settled, which catch-up run is owed after a
 * takeover or restart, what a failed snapshot records, and which images are forgotten.
 *
 * <p>The contract is etcd raft's {@code RawNode} + {@code Ready}: the caller feeds one
 * {@link ScheduleEvent} at a time with the current instant, {@link #handle(ScheduleEvent, Instant)},
 * and gets back every {@link ScheduleAction} that event made necessary, in the order they are to be
 * started (one event may need many: a due batch is thousands of snapshots). The caller performs
 * them and feeds each outcome back as the event the action names. Time only moves through
 * {@code now}: the queue sets {@link Alarm}s with {@link SleepUntil} and does that alarm's work
 * when it gets its {@link Tick}. Not thread-safe: one caller thread (or context) at a time, and
 * never from inside one of its own calls (events arriving while actions are performed are queued
 * and fed after them).
 *
 * <p>Exactly once: a run is claimed in the image's {@link RunRecord} before its snapshot, and the
 * record says afterwards which run is done. Runs about to fall due are claimed {@link #CLAIM_LEAD}
 * ahead in one write per pool and their images opened, so at the due instant only the snapshot
 * reaches the cluster; completions are written together within {@link #COMPLETION_LINGER}. A
 * leader taking over owes one catch-up run for an image when a run fell due since its record's
 * last one, and settles a claim left by another instance by looking for the snapshot it may have
 * produced. Only the leader writes records and takes snapshots.
 *
 * <p>{@link #status()} is the published view of the queue, readable from any thread.
 */
final class ScheduleQueue {
    /**
     * How long before a due instant its runs are claimed: one record write per pool for all the
     * images due then, instead of one claim write before each snapshot. Well under the shortest
     * interval (1m), so a claim never reaches back to the previous run.
     */
    static final Duration CLAIM_LEAD = Duration.ofSeconds(5);
    /**
     * How long completed runs' records wait to be written, so that a batch's completions make a
     * few writes per pool. Losing them is safe: the claim stays, and whoever settles it finds the
     * snapshot the claim produced.
     */
    static final Duration COMPLETION_LINGER = Duration.ofSeconds(2);
    /**
     * An image opened ahead is closed if its run has not used it this long after it was due (the
     * run was not taken here: leadership lost, schedule changed); a run still waiting for a slot
     * that late opens the image itself.
     */
    static final Duration UNUSED_OPEN = Duration.ofSeconds(30);
    /** A claim is settled by a snapshot taken from this long before it on (timestamps may be truncated to seconds). */
    private static final Duration SETTLE_SLACK = Duration.ofSeconds(1);

    /** A queued run: when to act, and the schedule time it accounts for. */
    private record Entry(LocalDateTime at, LocalDateTime due, long seq, ImageKey key) {
    }

    /** A claim made ahead whose write is in flight: the record it replaces and the claimed one. */
    private record PendingClaim(RunRecord before, RunRecord claimed) {
    }

    private static final class Tracked {
        final ImageKey key;
        final String pool;
        String name;
        RunRecord record;
        String scheduleText;
        Entry entry;
        /** The run this instance claimed ahead of its due instant (the claim is in record), or null. */
        LocalDateTime claimedAhead;
        PendingClaim claimAhead;

        Tracked(ImageRef image) {
            this.key = image.key();
            this.pool = image.pool();
            this.name = image.name();
        }

        ImageRef ref() {
            return new ImageRef(key, pool, name);
        }
    }

    /** Where a run taken by this instance is: what it waits for. */
    private enum Phase {
        /** Due while its claim made ahead is still being written. */
        AWAITING_CLAIM_AHEAD,
        /** Its claim is being written. */
        CLAIMING,
        /** Looking for the snapshot of another instance's claim. */
        FINDING_CLAIMED,
        /** Recording the snapshot that claim produced. */
        SETTLING,
        /** Its snapshot is being taken. */
        SNAPSHOTTING
    }

    private static final class Run {
        /** The image as tracked when its run began (a rescan may forget it meanwhile; the run goes on). */
        final Tracked tracked;
        LocalDateTime due;
        Phase phase;
        /** The record the current phase works from: the claimed one, or the one being settled. */
        RunRecord record;
        /** While settling: the record that says the claimed run is done. */
        RunRecord settled;

        Run(Tracked tracked, LocalDateTime due) {
            this.tracked = tracked;
            this.due = due;
        }
    }

    private final String owner;
    private final IntSupplier maxConcurrent;
    private final StatusView status = new StatusView();
    private ScheduleSet schedules = new ScheduleSet();
    private final Map<ImageKey, Tracked> images = new HashMap<>();
    /** Namespaces ({@code POOLID/NS}) the last rescan read completely. */
    private Set<String> scannedNamespaces = Set.of();
    /** Images the rescan being applied has found so far (null between rescans). */
    private Set<ImageKey> found;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(
            Comparator.comparing(Entry::at).thenComparingLong(Entry::seq));
    private long sequence;
    private final Map<ImageKey, Run> running = new HashMap<>();
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    /** Runs due up to this instant were offered a claim ahead. */
    private LocalDateTime claimedThrough = LocalDateTime.MIN;
    /** Completed runs' records not written yet, by pool; written when {@link Alarm#COMPLETIONS} goes off. */
    private final Map<String, Map<String, RunRecord>> completions = new TreeMap<>();
    /** Images opened ahead, with the due instant of the run they were opened for. */
    private final Map<ImageKey, LocalDateTime> openedAhead = new HashMap<>();
    private boolean leader;
    /** The alarms set, and for when. */
    private final Map<Alarm, LocalDateTime> alarms = new EnumMap<>(Alarm.class);

    /** The event being handled: its instant (also as UTC wall time, the schedules' time) and its actions. */
    private Instant now;
    private LocalDateTime wall;
    private List<ScheduleAction> out;

    /**
     * @param owner         this instance, as its claims name it
     * @param maxConcurrent how many runs may be in progress at once (an option, read when a run asks for a slot)
     */
    ScheduleQueue(String owner, IntSupplier maxConcurrent) {
        this.owner = owner;
        this.maxConcurrent = maxConcurrent;
    }

    /** Takes in one event at {@code at}; returns what must be done for it, in order. */
    List<ScheduleAction> handle(ScheduleEvent event, Instant at) {
        now = at;
        wall = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        out = new ArrayList<>();
        dispatch(event);
        wakeUp();
        List<ScheduleAction> actions = out;
        out = null;
        return actions;
    }

    private void dispatch(ScheduleEvent event) {
        if (event instanceof ScanStarted e) {
            scanStarted(e);
        } else if (event instanceof ImagesFound e) {
            imagesFound(e.images());
        } else if (event instanceof ScanFinished e) {
            scanFinished(e);
        } else if (event instanceof SchedulesChanged e) {
            schedulesChanged(e.level());
        } else if (event instanceof LeadershipGained) {
            leadershipGained();
        } else if (event instanceof LeadershipLost) {
            leader = false;
        } else if (event instanceof RecordsLoaded e) {
            takeOver(e.records());
        } else if (event instanceof Tick e) {
            tick(e.alarm());
        } else if (event instanceof ClaimsAheadWritten e) {
            e.images().forEach(key -> claimAheadWritten(key, e.written()));
        } else if (event instanceof RunRecordWritten e) {
            runRecordWritten(e.image(), e.written());
        } else if (event instanceof ClaimedSnapshotFound e) {
            claimedSnapshotFound(e);
        } else if (event instanceof SnapshotTaken e) {
            snapshotTaken(e.image(), e.snapId());
        } else if (event instanceof SnapshotFailed e) {
            snapshotFailed(e.image(), e.error());
        } else if (event instanceof RunFailed e) {
            finish(e.image());
        } else if (event instanceof Stopping) {
            flushCompletions();
        } else {
            throw new IllegalArgumentException("no rule for " + event);
        }
    }

    /** The schedules, which commands change in place (then report {@link SchedulesChanged}). */
    ScheduleSet schedules() {
        return schedules;
    }

    StatusView status() {
        return status;
    }

    /**
     * Whether every image a schedule added at {@code level} may govern is tracked already (a
     * tracked image, or a namespace the last rescan read completely), so the change needs no rescan.
     */
    boolean tracksImagesOf(LevelSpec level) {
        if (level.isImage()) {
            return images.containsKey(new ImageKey(level.poolId(), level.namespace(), level.imageId()));
        }
        return level.namespace() != null && scannedNamespaces.contains(level.poolId() + "/" + level.namespace());
    }

    /** Queue length including replaced entries not yet dropped (for tests of the compaction). */
    int queueLength() {
        return queue.size();
    }

    // --- rescans, schedule changes and leadership ---

    private void scanStarted(ScanStarted e) {
        schedules = e.schedules();
        scannedNamespaces = Set.copyOf(e.scannedNamespaces());
        found = new HashSet<>();
    }

    /** Tracks (or updates) the images a rescan found and queues their runs. */
    private void imagesFound(List<FoundImage> chunk) {
        Map<String, Map<String, RunRecord>> baselines = new TreeMap<>();
        for (FoundImage f : chunk) {
            ImageKey key = f.image().key();
            if (found != null) {
                found.add(key);
            }
            Tracked t = images.get(key);
            if (t == null) {
                t = new Tracked(f.image());
                t.record = f.record();
                images.put(key, t);
                if (f.record() == null && leader) {
                    t.record = RunRecord.baseline(wall);
                    baselines.computeIfAbsent(t.pool, p -> new LinkedHashMap<>()).put(key.recordKey(), t.record);
                }
                enqueue(t, true);
            } else {
                refound(t, f);
            }
        }
        baselines.forEach((pool, records) -> out.add(new RecordFirstSight(pool, records)));
    }

    private void refound(Tracked t, FoundImage f) {
        if (!f.image().name().equals(t.name)) {
            t.name = f.image().name();
            publish(t);
        }
        // The leader writes the records, so its own copy may be newer than what was just read.
        if (f.record() != null && (t.record == null || !leader)) {
            t.record = f.record();
            publish(t);
        }
        Schedule s = scheduleOf(t);
        if (t.entry == null || s == null || !s.describe().equals(t.scheduleText)) {
            enqueue(t, false);
        }
    }

    /** Forgets the images a rescan no longer found (unless their pool could not be read). */
    private void scanFinished(ScanFinished e) {
        Set<ImageKey> present = found == null ? Set.of() : found;
        found = null;
        images.values().removeIf(t -> {
            if (present.contains(t.key) || e.unreadablePools().contains(t.pool)) {
                return false;
            }
            t.entry = null;
            status.hide(t.key);
            return true;
        });
        if (leader) {
            new TreeMap<>(e.goneRecords()).forEach((pool, keys) -> {
                if (!keys.isEmpty()) {
                    out.add(new RemoveRecords(pool, keys));
                }
            });
        }
    }

    /**
     * Recomputes the next runs of the images at or below a level whose schedule changed (Ceph's
     * {@code rebuild_queue}, limited to those whose schedule may have changed).
     */
    private void schedulesChanged(LevelSpec level) {
        for (Tracked t : images.values()) {
            if (level.matches(t.key.poolId(), t.key.namespace(), t.key.imageId())) {
                enqueue(t, false);
            }
        }
    }

    /** The leader is the only writer of records: it reads them all again before it catches up. */
    private void leadershipGained() {
        leader = true;
        Set<String> pools = new HashSet<>();
        images.values().forEach(t -> pools.add(t.pool));
        out.add(new LoadRecords(pools));
    }

    /** Takes the records as read at a takeover (completions of its own not yet written win) and queues the runs owed. */
    private void takeOver(Map<String, Map<String, RunRecord>> records) {
        Map<String, Map<String, RunRecord>> baselines = new TreeMap<>();
        for (Tracked t : images.values()) {
            String recordKey = t.key.recordKey();
            RunRecord r = completions.getOrDefault(t.pool, Map.of())
                    .getOrDefault(recordKey, records.getOrDefault(t.pool, Map.of()).get(recordKey));
            if (r != null) {
                t.record = r;
            } else if (t.record == null) {
                t.record = RunRecord.baseline(wall);
                baselines.computeIfAbsent(t.pool, p -> new LinkedHashMap<>()).put(recordKey, t.record);
            }
            enqueue(t, true);
        }
        baselines.forEach((pool, recs) -> out.add(new RecordFirstSight(pool, recs)));
    }

    // --- the queue ---

    private Schedule scheduleOf(Tracked t) {
        return schedules.find(t.key.poolId(), t.key.namespace(), t.key.imageId());
    }

    /**
     * Queues the image's next run; with {@code catchUp} (first sight, takeover) the run its record
     * says is owed comes first: a claim is settled at its due instant at the earliest, together
     * with the runs owed since, and a run missed since the last one is taken now.
     */
    private void enqueue(Tracked t, boolean catchUp) {
        Schedule s = scheduleOf(t);
        if (s == null) {
            t.entry = null;
            t.scheduleText = null;
            publish(t);
            return;
        }
        t.scheduleText = s.describe();
        if (catchUp && t.record != null) {
            LocalDateTime last = s.lastRunAtOrBefore(wall);
            if (t.record.claim() != null) {
                LocalDateTime claimed = t.record.claim().due();
                LocalDateTime owed = last != null && last.isAfter(claimed) ? last : claimed;
                push(t, claimed.isAfter(wall) ? claimed : wall, owed);
                return;
            }
            if (last != null && last.isAfter(t.record.lastDue())) {
                push(t, wall, last);
                return;
            }
        }
        LocalDateTime next = s.nextRunAfter(wall);
        push(t, next, next);
    }

    private void push(Tracked t, LocalDateTime at, LocalDateTime due) {
        Entry e = new Entry(at, due, sequence++, t.key);
        t.entry = e;
        publish(t);
        queue.add(e);
        if (queue.size() > 2 * images.size() + 64) {
            // Replaced entries are skipped lazily at the head; drop them in bulk before they pile up.
            queue.removeIf(old -> !isCurrent(old));
        }
    }

    private boolean isCurrent(Entry e) {
        Tracked t = images.get(e.key());
        return t != null && t.entry == e;
    }

    private Entry head() {
        while (!queue.isEmpty() && !isCurrent(queue.peek())) {
            queue.poll();
        }
        return queue.peek();
    }

    private void publish(Tracked t) {
        if (t.entry == null || images.get(t.key) != t) {
            status.hide(t.key);
        } else {
            status.show(t.key, t.entry.at(), t.name, t.record);
        }
    }

    // --- time ---

    /**
     * The kinds of work done at an instant, each woken by an alarm of its own (as separate timers
     * would): moving one does not move the others, and their order at one instant is the order in
     * which they were set.
     */
    enum Alarm {
        /** Take the runs due at the head of the queue. */
        RUNS,
        /** Claim the runs falling due within {@link #CLAIM_LEAD}. */
        CLAIMS,
        /** Write the completions waiting since {@link #COMPLETION_LINGER} ago. */
        COMPLETIONS,
        /** Close images opened ahead that their runs did not use. */
        SWEEP
    }

    private void tick(Alarm alarm) {
        alarms.remove(alarm);
        switch (alarm) {
            case RUNS -> runDue();
            case CLAIMS -> claimAhead();
            case COMPLETIONS -> flushCompletions();
            case SWEEP -> {
                sweepOpenedAhead(wall.minus(UNUSED_OPEN).plusNanos(1));
                armSweep();
            }
        }
    }

    /** Sets the alarms for the head of the queue: its run, and its claim ahead (by the leader, once). */
    private void wakeUp() {
        Entry head = head();
        if (head == null) {
            if (alarms.remove(Alarm.RUNS) != null) {
                out.add(new Idle(Alarm.RUNS));
            }
            return;
        }
        setAlarm(Alarm.RUNS, head.at());
        if (leader && head.at().isAfter(claimedThrough)) {
            setAlarm(Alarm.CLAIMS, head.at().minus(CLAIM_LEAD));
        }
    }

    private void setAlarm(Alarm alarm, LocalDateTime at) {
        if (!at.equals(alarms.get(alarm))) {
            alarms.put(alarm, at);
            out.add(new SleepUntil(alarm, at.toInstant(ZoneOffset.UTC)));
        }
    }

    /** A sweep when the earliest image opened ahead has waited {@link #UNUSED_OPEN} past its run. */
    private void armSweep() {
        if (!alarms.containsKey(Alarm.SWEEP)) {
            openedAhead.values().stream().min(Comparator.naturalOrder())
                    .ifPresent(due -> setAlarm(Alarm.SWEEP, due.plus(UNUSED_OPEN)));
        }
    }

    // --- runs ---

    /** Takes the runs due now (the leader only) and queues each image's next run. */
    private void runDue() {
        while (head() != null && !head().at().isAfter(wall)) {
            Entry e = queue.poll();
            Tracked t = images.get(e.key());
            if (leader) {
                if (running.size() < maxConcurrent.getAsInt() && !running.containsKey(t.key)) {
                    launch(t, e.due());
                } else {
                    waiting.add(e);
                }
            }
            Schedule s = scheduleOf(t);
            if (s != null) {
                LocalDateTime next = s.nextRunAfter(wall);
                push(t, next, next);
            }
        }
    }

    private void launch(Tracked t, LocalDateTime due) {
        Run run = new Run(t, due);
        running.put(t.key, run);
        if (t.claimAhead != null) {
            // a claim made ahead still being written: its outcome decides how the run is taken
            run.phase = Phase.AWAITING_CLAIM_AHEAD;
        } else {
            startRun(t, run);
        }
    }

    /** Decides how a due run is taken, against the image's record, so it is taken once. */
    private void startRun(Tracked t, Run run) {
        RunRecord record = t.record;
        boolean claimedAhead = run.due.equals(t.claimedAhead);
        t.claimedAhead = null;
        RunRecord.Claim claim = record == null ? null : record.claim();
        if (claim != null && claimedAhead && owner.equals(claim.owner()) && run.due.equals(claim.due())) {
            take(t, run, record);
        } else if (claim != null && owner.equals(claim.owner()) && claim.due().isAfter(run.due)) {
            // this instance's claim of a later run, made ahead: that run is not due yet
            claimAndTake(t, run, record.skipped(record.lastDue()), run.due);
        } else if (claim != null) {
            run.phase = Phase.FINDING_CLAIMED;
            run.record = record;
            out.add(new FindClaimedSnapshot(t.ref(), takenFrom(claim)));
        } else if (record != null && !record.lastDue().isBefore(run.due)) {
            finish(t.key);
        } else {
            claimAndTake(t, run, record == null ? RunRecord.baseline(run.due.minusMinutes(1)) : record, run.due);
        }
    }

    /** The earliest timestamp a snapshot taken for {@code claim} can have: never before its run was due. */
    private static Instant takenFrom(RunRecord.Claim claim) {
        Instant due = claim.due().toInstant(ZoneOffset.UTC);
        return (claim.at().isAfter(due) ? claim.at() : due).minus(SETTLE_SLACK);
    }

    /** Claims the run due at {@code due} (one record write), then takes it. */
    private void claimAndTake(Tracked t, Run run, RunRecord before, LocalDateTime due) {
        run.due = due;
        run.phase = Phase.CLAIMING;
        run.record = before.claimed(new RunRecord.Claim(due, owner, now));
        out.add(new WriteRunRecord(t.ref(), withCompletions(t.pool, t.key.recordKey(), run.record)));
    }

    private void take(Tracked t, Run run, RunRecord claimed) {
        run.phase = Phase.SNAPSHOTTING;
        run.record = claimed;
        out.add(new TakeSnapshot(t.ref(), takeOpenedAhead(t, run.due)));
    }

    private void runRecordWritten(ImageKey key, boolean written) {
        Run run = running.get(key);
        if (run == null) {
            return;
        }
        Tracked t = run.tracked;
        if (run.phase == Phase.CLAIMING) {
            if (!written) {
                finish(key);
                return;
            }
            remember(t, run.record);
            take(t, run, run.record);
        } else if (run.phase == Phase.SETTLING) {
            remember(t, run.settled);
            if (written && run.due.isAfter(run.record.claim().due())) {
                claimAndTake(t, run, run.settled, run.due);
            } else {
                finish(key);
            }
        }
    }

    /** Settles another instance's claim: its snapshot exists (record it), or the run is taken now. */
    private void claimedSnapshotFound(ClaimedSnapshotFound found) {
        Run run = running.get(found.image());
        if (run == null) {
            return;
        }
        Tracked t = run.tracked;
        RunRecord record = run.record;
        RunRecord.Claim claim = record.claim();
        if (found.snapId() == null) {
            LocalDateTime owed = claim.due().isAfter(run.due) ? claim.due() : run.due;
            claimAndTake(t, run, record.skipped(record.lastDue()), owed);
            return;
        }
        run.phase = Phase.SETTLING;
        run.settled = record.succeeded(claim.due(), found.taken(), found.snapId());
        out.add(new WriteRunRecord(t.ref(), withCompletions(t.pool, t.key.recordKey(), run.settled)));
    }

    private void snapshotTaken(ImageKey key, Long snapId) {
        Run run = running.get(key);
        if (run != null) {
            complete(run.tracked, snapId == null ? run.record.skipped(run.due) : run.record.succeeded(run.due, now, snapId));
        }
        finish(key);
    }

    private void snapshotFailed(ImageKey key, String error) {
        Run run = running.get(key);
        if (run != null) {
            complete(run.tracked, run.record.failed(run.due, now, error));
        }
        finish(key);
    }

    /** A run is over: its slot goes to the next run waiting for one. */
    private void finish(ImageKey key) {
        running.remove(key);
        while (!waiting.isEmpty() && running.size() < maxConcurrent.getAsInt()) {
            Entry e = waiting.poll();
            Tracked t = images.get(e.key());
            if (t != null && !running.containsKey(t.key)) {
                launch(t, e.due());
            }
        }
    }

    private void remember(Tracked t, RunRecord record) {
        t.record = record;
        publish(t);
    }

    /** Remembers a completed run at once; its record is written within {@link #COMPLETION_LINGER}. */
    private void complete(Tracked t, RunRecord record) {
        remember(t, record);
        completions.computeIfAbsent(t.pool, p -> new LinkedHashMap<>()).put(t.key.recordKey(), record);
        if (!alarms.containsKey(Alarm.COMPLETIONS)) {
            setAlarm(Alarm.COMPLETIONS, wall.plus(COMPLETION_LINGER));
        }
    }

    private void flushCompletions() {
        completions.forEach((pool, records) -> out.add(new RecordCompletions(pool, records)));
        completions.clear();
    }

    /** A record to write now for a pool, with that pool's completions waiting to be written. */
    private Map<String, RunRecord> withCompletions(String pool, String recordKey, RunRecord record) {
        Map<String, RunRecord> records = takeCompletions(pool);
        records.put(recordKey, record);
        return records;
    }

    private Map<String, RunRecord> takeCompletions(String pool) {
        Map<String, RunRecord> waitingRecords = completions.remove(pool);
        return waitingRecords == null ? new LinkedHashMap<>() : waitingRecords;
    }

    // --- claims made ahead ---

    /**
     * Claims the runs falling due within {@link #CLAIM_LEAD} (not those due already): one record
     * write per pool, with the completions waiting to be written. An image whose run is claimed
     * ahead is then snapshotted at its due instant without a write before it.
     */
    private void claimAhead() {
        if (!leader) {
            return;
        }
        sweepOpenedAhead(wall.minus(UNUSED_OPEN));
        LocalDateTime horizon = wall.plus(CLAIM_LEAD);
        Map<String, Map<String, RunRecord>> claims = new TreeMap<>();
        Map<String, Set<ImageKey>> claimants = new HashMap<>();
        // While an earlier batch still waits for a slot, its images' records are not settled yet.
        if (waiting.isEmpty()) {
            List<Entry> soon = new ArrayList<>();
            for (Entry e : queue) {
                if (e.at().isAfter(wall) && !e.at().isAfter(horizon) && isCurrent(e)) {
                    soon.add(e);
                }
            }
            soon.sort(queue.comparator());
            for (Entry e : soon) {
                Tracked t = images.get(e.key());
                if (canClaimAhead(t, e.due())) {
                    RunRecord claimed = t.record.claimed(new RunRecord.Claim(e.due(), owner, now));
                    t.claimAhead = new PendingClaim(t.record, claimed);
                    claims.computeIfAbsent(t.pool, p -> new LinkedHashMap<>()).put(t.key.recordKey(), claimed);
                    claimants.computeIfAbsent(t.pool, p -> new HashSet<>()).add(t.key);
                }
            }
        }
        if (horizon.isAfter(claimedThrough)) {
            claimedThrough = horizon;
        }
        claims.forEach((pool, records) -> {
            Map<String, RunRecord> all = takeCompletions(pool);
            all.putAll(records);
            out.add(new ClaimAhead(pool, all, claimants.get(pool)));
        });
    }

    private boolean canClaimAhead(Tracked t, LocalDateTime due) {
        RunRecord r = t.record;
        // The settling of a claim looks for a snapshot from (due - slack) on: the last one must be older.
        return r != null && r.claim() == null && t.claimAhead == null && !running.containsKey(t.key)
                && r.lastDue().isBefore(due)
                && (r.lastRun() == null || r.lastRun().isBefore(now.minus(SETTLE_SLACK).minus(SETTLE_SLACK)));
    }

    private void claimAheadWritten(ImageKey key, boolean written) {
        Run run = running.get(key);
        Tracked t = run != null ? run.tracked : images.get(key);
        if (t == null || t.claimAhead == null) {
            return;
        }
        PendingClaim pending = t.claimAhead;
        t.claimAhead = null;
        if (written && t.record == pending.before()) {
            t.record = pending.claimed();
            t.claimedAhead = pending.claimed().claim().due();
            publish(t);
            openAhead(t, t.claimedAhead);
        }
        if (run != null && run.phase == Phase.AWAITING_CLAIM_AHEAD) {
            startRun(t, run);
        }
    }

    private void openAhead(Tracked t, LocalDateTime due) {
        if (openedAhead.put(t.key, due) != null) {
            out.add(new CloseOpenedAhead(t.key));
        }
        out.add(new OpenAhead(t.ref()));
        armSweep();
    }

    /** Whether the image was opened ahead for the run due at {@code due}; one opened for another run is closed. */
    private boolean takeOpenedAhead(Tracked t, LocalDateTime due) {
        LocalDateTime openedFor = openedAhead.remove(t.key);
        if (openedFor == null) {
            return false;
        }
        if (!openedFor.equals(due)) {
            out.add(new CloseOpenedAhead(t.key));
            return false;
        }
        return true;
    }

    /** Closes the images opened for runs due before {@code before} that did not use them. */
    private void sweepOpenedAhead(LocalDateTime before) {
        openedAhead.entrySet().removeIf(o -> {
            if (!o.getValue().isBefore(before)) {
                return false;
            }
            out.add(new CloseOpenedAhead(o.getKey()));
            return true;
        });
    }
}
