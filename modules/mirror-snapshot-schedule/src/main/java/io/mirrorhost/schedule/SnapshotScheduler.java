package io.mirrorhost.schedule;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.slf4j.Logger;

/**
 * Takes the scheduled mirror-snapshots (Ceph's {@code MirrorSnapshotScheduleHandler}): keeps every
 * primary, snapshot-mirrored image that a schedule governs in a priority queue of next runs, wakes
 * up for the earliest, and (on the leader instance only) creates the snapshot. New pools and images
 * are found by watching {@code rbd_mirroring} and the schedule objects, and by a slow rescan.
 *
 * <p>Exactly once: before a snapshot the run is claimed in the image's {@link RunRecord}, after it
 * the record says which run is done. An instance taking over (or restarting) owes one catch-up
 * snapshot for an image when a run fell due since its record's last run, and settles a claim left
 * by a crashed instance by looking for the snapshot that claim may have produced.
 */
final class SnapshotScheduler {
    /** An image the scheduler knows, by Ceph's ids. */
    record ImageKey(String poolId, String namespace, String imageId) {
    }

    /** A queued run: when to act, and the schedule time it accounts for. */
    private record Entry(LocalDateTime at, LocalDateTime due, long seq, ImageKey key) {
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
        /** The write of a claim made ahead, while it is in flight. */
        Future<Void> claimWrite;

        Tracked(ImageKey key, String pool, String name) {
            this.key = key;
            this.pool = pool;
            this.name = name;
        }

        String recordKey() {
            return RunRecordStore.key(key.namespace(), key.imageId());
        }
    }

    /** What a scan found: an image to schedule. */
    private record Found(ImageKey key, String pool, String name) {
    }

    /** Which namespaces a scan listed and the run-record keys of every image it saw there. */
    private static final class Directory {
        private final Map<String, Set<String>> namespaces = new HashMap<>();
        private final Map<String, Set<String>> keys = new HashMap<>();
        private final Set<String> failedPools = new HashSet<>();
        private final Set<String> scanned = new HashSet<>();

        /** A namespace whose mirrored images were all read (by pool id: {@code POOLID/NS}). */
        synchronized void scanned(String poolId, String namespace) {
            scanned.add(poolId + "/" + namespace);
        }

        synchronized Set<String> scanned() {
            return Set.copyOf(scanned);
        }

        synchronized void failed(String pool) {
            failedPools.add(pool);
        }

        /** Whether a pool could not be scanned (its images are kept as they were, not dropped). */
        synchronized boolean failed(Tracked t) {
            return failedPools.contains(t.pool);
        }

        synchronized void listed(PoolNamespace where, List<ImageEntry> entries) {
            namespaces.computeIfAbsent(where.pool(), p -> new HashSet<>()).add(where.namespace());
            Set<String> poolKeys = keys.computeIfAbsent(where.pool(), p -> new HashSet<>());
            entries.forEach(e -> poolKeys.add(RunRecordStore.key(where.namespace(), e.id())));
        }

        /** Record keys of a pool whose image is gone from a namespace the scan listed. */
        synchronized Set<String> gone(String pool, Set<String> recordKeys) {
            Set<String> result = new HashSet<>();
            Set<String> listedNamespaces = namespaces.getOrDefault(pool, Set.of());
            Set<String> present = keys.getOrDefault(pool, Set.of());
            for (String key : recordKeys) {
                String namespace = key.substring(0, key.lastIndexOf('/'));
                if (listedNamespaces.contains(namespace) && !present.contains(key)) {
                    result.add(key);
                }
            }
            return result;
        }
    }

    private final Cluster cluster;
    private final Clock clock;
    private final ScheduleStore store;
    private final RunRecordStore runs;
    private final Leadership leadership;
    private final String owner;
    private final Logger log;
    private final IntSupplier maxConcurrent;
    private final Duration refreshInterval;
    private final OffLoop offLoop;

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
    /**
     * Images a rescan applies at a time, off the event loop and under the lock: commands and runs
     * wait for one chunk at most (tens of ms), not for all 100,000 images (seconds).
     */
    static final int APPLY_CHUNK = 2_000;
    /** A claim is settled by a snapshot taken from this long before it on (timestamps may be truncated to seconds). */
    private static final Duration SETTLE_SLACK = Duration.ofSeconds(1);

    private ScheduleSet schedules = new ScheduleSet();
    private final Map<ImageKey, Tracked> images = new HashMap<>();
    /**
     * What {@code status} shows, one immutable row per scheduled image, replaced whole on every
     * change (under the lock) and read without it: a status never waits for a rescan or a batch.
     */
    private final Map<ImageKey, StatusRow> published = new ConcurrentHashMap<>();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(
            Comparator.comparing(Entry::at).thenComparingLong(Entry::seq));
    private final Set<ImageKey> running = new HashSet<>();
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private final Map<String, Future<Watch>> watches = new HashMap<>();
    /** Namespaces ({@code POOLID/NS}) the last refresh read completely. */
    private Set<String> scannedNamespaces = Set.of();
    private long roundsStarted;
    private long sequence;
    private Clock.Timer wakeup;
    private LocalDateTime wakeupAt;
    private Clock.Timer refreshTimer;
    private Clock.Timer claimTimer;
    private LocalDateTime claimTimerAt;
    /** Runs due up to this instant were offered a claim ahead. */
    private LocalDateTime claimedThrough = LocalDateTime.MIN;
    /** Completed runs' records not written yet, by pool; flushed by {@link #completionTimer}. */
    private final Map<String, Map<String, RunRecord>> completions = new HashMap<>();
    private Clock.Timer completionTimer;
    /**
     * Images opened once their run was claimed ahead, so that at the due instant only the
     * snapshot itself reaches the cluster (an open costs metadata reads that, on a store busy
     * committing a batch, wait behind its commits). Closed after the run, or swept if unused.
     */
    private final Map<ImageKey, OpenedAhead> openedAhead = new HashMap<>();
    private Clock.Timer sweepTimer;

    private record OpenedAhead(LocalDateTime due, Future<Opened> image) {
    }

    /**
     * An image open for a run, with its mirroring as read when it was opened ahead (null when
     * opened at the run, or if that read failed).
     */
    private record Opened(Image image, MirrorImageInfo infoAhead) {
    }
    private final java.util.concurrent.atomic.AtomicReference<Clock.Timer> pendingRefresh =
            new java.util.concurrent.atomic.AtomicReference<>();
    private Future<Void> refreshing;
    private io.vertx.core.Promise<Void> refreshAgain;
    private volatile boolean stopped;

    SnapshotScheduler(Cluster cluster, Clock clock, ScheduleStore store, RunRecordStore runs, Leadership leadership,
                      String owner, Logger log, IntSupplier maxConcurrent, Duration refreshInterval, OffLoop offLoop) {
        this.cluster = cluster;
        this.clock = clock;
        this.store = store;
        this.runs = runs;
        this.leadership = leadership;
        this.owner = owner;
        this.log = log;
        this.maxConcurrent = maxConcurrent;
        this.refreshInterval = refreshInterval;
        this.offLoop = offLoop;
    }

    Future<Void> start() {
        refreshTimer = clock.every(refreshInterval, this::refresh);
        leadership.start(this::leadershipGained);
        return refresh();
    }

    synchronized void stop() {
        halt();
        flushCompletions();
        leadership.stop();
    }

    /** Stops dead, as a crash would: the lease stays until it expires, claims stay unsettled. */
    synchronized void crash() {
        halt();
        leadership.abandon();
    }

    private void halt() {
        stopped = true;
        cancel(refreshTimer);
        cancel(wakeup);
        cancel(claimTimer);
        cancel(completionTimer);
        cancel(sweepTimer);
        openedAhead.values().forEach(o -> closeUnused(o.image()));
        openedAhead.clear();
        cancel(pendingRefresh.getAndSet(null));
        watches.values().forEach(w -> w.onSuccess(Watch::close));
        watches.clear();
    }

    private static void cancel(Clock.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /** Reads or changes the schedules under the scheduler's lock (commands run on other threads than refreshes). */
    synchronized <T> T withSchedules(java.util.function.Function<ScheduleSet, T> action) {
        return action.apply(schedules);
    }

    /**
     * Rescans schedules and images. A request during a round gets one more round, which starts
     * after the current one and which the returned future waits for (so a command that saved a
     * schedule sees it loaded); concurrent requests share it.
     */
    synchronized Future<Void> refresh() {
        if (stopped) {
            return Future.succeededFuture();
        }
        if (refreshing != null) {
            if (refreshAgain == null) {
                refreshAgain = io.vertx.core.Promise.promise();
            }
            return refreshAgain.future();
        }
        roundsStarted++;
        Future<Void> round = store.loadAll(schedules)
                .compose(set -> {
                    Directory directory = new Directory();
                    return scan(set, directory).compose(found -> loadRecords(found)
                            .compose(records -> apply(set, found, records, directory)));
                })
                .recover(e -> {
                    log.error("refresh failed: {}", e.getMessage());
                    return Future.succeededFuture();
                });
        refreshing = round;
        round.onComplete(r -> refreshDone(round));
        return round;
    }

    private synchronized void refreshDone(Future<Void> round) {
        if (refreshing == round) {
            refreshing = null;
        }
        if (refreshAgain != null) {
            io.vertx.core.Promise<Void> waiting = refreshAgain;
            refreshAgain = null;
            refresh().onComplete(waiting);
        }
    }

    /**
     * A notification arrived: rescan soon, coalescing bursts. Lock-free, because watch callbacks may
     * run on a cluster thread that holds the cluster's own locks.
     */
    void requestRefresh() {
        if (stopped || pendingRefresh.get() != null) {
            return;
        }
        Clock.Timer[] timer = new Clock.Timer[1];
        timer[0] = clock.schedule(Duration.ofSeconds(1), () -> {
            pendingRefresh.compareAndSet(timer[0], null);
            refresh();
        });
        if (!pendingRefresh.compareAndSet(null, timer[0])) {
            timer[0].cancel();
        }
    }

    private Future<List<Found>> scan(ScheduleSet set, Directory directory) {
        return store.rbdPools().compose(pools -> {
            List<Future<List<Found>>> perPool = new ArrayList<>();
            for (PoolInfo pool : pools) {
                watch(PoolNamespace.of(pool.name()), ScheduleStore.SCHEDULE_OID);
                String poolId = String.valueOf(pool.id());
                if (set.intersects(LevelSpec.ofPool(poolId, pool.name(), null))) {
                    perPool.add(scanPool(set, pool, directory).recover(e -> {
                        log.error("scan of pool {} failed: {}", pool.name(), e.getMessage());
                        directory.failed(pool.name());
                        return Future.succeededFuture(List.of());
                    }));
                }
            }
            return Future.all(perPool).map(all -> {
                List<Found> found = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    found.addAll(all.<List<Found>>resultAt(i));
                }
                return found;
            });
        });
    }

    private Future<List<Found>> scanPool(ScheduleSet set, PoolInfo pool, Directory directory) {
        String poolId = String.valueOf(pool.id());
        return cluster.listNamespaces(pool.name()).compose(names -> {
            List<String> namespaces = new ArrayList<>();
            namespaces.add("");
            namespaces.addAll(names);
            List<Future<List<Found>>> perNamespace = new ArrayList<>();
            for (String ns : namespaces) {
                if (set.intersects(LevelSpec.ofPool(poolId, pool.name(), ns))) {
                    perNamespace.add(scanNamespace(poolId, new PoolNamespace(pool.name(), ns), directory));
                }
            }
            return Future.all(perNamespace).map(all -> {
                List<Found> found = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    found.addAll(all.<List<Found>>resultAt(i));
                }
                return found;
            });
        });
    }

    private Future<List<Found>> scanNamespace(String poolId, PoolNamespace where, Directory directory) {
        watch(where, "rbd_mirroring");
        return cluster.mirrorImageInfoList(where).compose(infos -> {
            if (infos.isEmpty()) {
                directory.scanned(poolId, where.namespace());
                return Future.succeededFuture(List.<Found>of());
            }
            return cluster.listImages(where).map(entries -> {
                directory.listed(where, entries);
                directory.scanned(poolId, where.namespace());
                List<Found> found = new ArrayList<>();
                for (ImageEntry e : entries) {
                    MirrorImageInfo info = infos.get(e.id());
                    if (ScheduleStore.isSnapshotMirrored(info) && info.primary()) {
                        String name = where.namespace().isEmpty() ? where.pool() + "/" + e.name()
                                : where.pool() + "/" + where.namespace() + "/" + e.name();
                        found.add(new Found(new ImageKey(poolId, where.namespace(), e.id()), where.pool(), name));
                    }
                }
                return found;
            });
        });
    }

    private synchronized void watch(PoolNamespace where, String object) {
        String key = where + "\u0000" + object;
        if (stopped || watches.containsKey(key)) {
            return;
        }
        Future<Watch> w = cluster.watch(where, object, payload -> {
            // A command of this instance has already applied its change (and rescanned if needed).
            if (!changeNotice().equals(payload)) {
                requestRefresh();
            }
        });
        watches.put(key, w);
        w.onFailure(e -> {
            // No object yet (nothing mirrored there): try again at the next scan.
            synchronized (this) {
                watches.remove(key);
            }
        });
    }

    private Future<Map<String, Map<String, RunRecord>>> loadRecords(List<Found> found) {
        Set<String> pools = new HashSet<>();
        found.forEach(f -> pools.add(f.pool()));
        return loadRecordsOf(pools);
    }

    private Future<Map<String, Map<String, RunRecord>>> loadRecordsOf(Set<String> pools) {
        Map<String, Map<String, RunRecord>> result = new HashMap<>();
        List<Future<Void>> loads = new ArrayList<>();
        for (String pool : pools) {
            loads.add(runs.load(pool).map(records -> {
                synchronized (result) {
                    result.put(pool, records);
                }
                return (Void) null;
            }));
        }
        return Future.all(loads).map(result);
    }

    /**
     * Takes in what a rescan found, {@link #APPLY_CHUNK} images at a time, each chunk a step off
     * the event loop that holds the lock only for that chunk; images gone are dropped at the end.
     */
    private Future<Void> apply(ScheduleSet set, List<Found> found, Map<String, Map<String, RunRecord>> records,
                               Directory directory) {
        Set<ImageKey> present = new HashSet<>();
        Future<Void> applied = offLoop.run(() -> startApplying(set, directory));
        for (int from = 0; from < found.size(); from += APPLY_CHUNK) {
            List<Found> chunk = found.subList(from, Math.min(found.size(), from + APPLY_CHUNK));
            applied = applied.compose(v -> offLoop.run(() -> applyFound(chunk, records, present)));
        }
        return applied.compose(v -> offLoop.run(() -> dropGone(records, directory, present)));
    }

    private synchronized void startApplying(ScheduleSet set, Directory directory) {
        if (stopped) {
            return;
        }
        schedules = set;
        scannedNamespaces = directory.scanned();
    }

    /** Under the lock: tracks (or updates) the images of one chunk of a rescan and queues their runs. */
    private synchronized void applyFound(List<Found> found, Map<String, Map<String, RunRecord>> records,
                                         Set<ImageKey> present) {
        if (stopped) {
            return;
        }
        LocalDateTime now = wallNow();
        Map<String, Map<String, RunRecord>> baselines = new HashMap<>();
        for (Found f : found) {
            present.add(f.key());
            Tracked t = images.get(f.key());
            RunRecord record = records.getOrDefault(f.pool(), Map.of())
                    .get(RunRecordStore.key(f.key().namespace(), f.key().imageId()));
            if (t == null) {
                t = new Tracked(f.key(), f.pool(), f.name());
                t.record = record;
                images.put(f.key(), t);
                if (record == null && leadership.isLeader()) {
                    t.record = RunRecord.baseline(now);
                    baselines.computeIfAbsent(f.pool(), p -> new HashMap<>()).put(t.recordKey(), t.record);
                }
                enqueue(t, now, true);
            } else {
                if (!f.name().equals(t.name)) {
                    t.name = f.name();
                    publish(t);
                }
                // The leader writes the records, so its own copy may be newer than what was just read.
                if (record != null && (t.record == null || !leadership.isLeader())) {
                    t.record = record;
                    publish(t);
                }
                Schedule s = schedules.find(f.key().poolId(), f.key().namespace(), f.key().imageId());
                if (t.entry == null || s == null || !s.describe().equals(t.scheduleText)) {
                    enqueue(t, now, false);
                }
            }
        }
        baselines.forEach((pool, recs) -> runs.put(pool, recs)
                .onFailure(e -> log.warn("cannot record first sight of images in {}: {}", pool, e.getMessage())));
        arm();
    }

    /** Under the lock: drops the images a rescan no longer found (unless their pool could not be read). */
    private synchronized void dropGone(Map<String, Map<String, RunRecord>> records, Directory directory,
                                       Set<ImageKey> present) {
        if (stopped) {
            return;
        }
        images.keySet().removeIf(k -> {
            if (!present.contains(k) && !directory.failed(images.get(k))) {
                Tracked gone = images.get(k);
                gone.entry = null;
                published.remove(k);
                return true;
            }
            return false;
        });
        if (leadership.isLeader()) {
            records.forEach((pool, recs) -> runs.remove(pool, directory.gone(pool, recs.keySet()))
                    .onFailure(e -> log.warn("cannot drop run records of removed images in {}: {}", pool,
                            e.getMessage())));
        }
        arm();
    }

    /**
     * Whether a schedule change at {@code level} can be taken from memory, without rescanning
     * images: no refresh started since {@code roundsBefore} (it could have applied schedules read
     * before the change), and every
     * image the level may now govern is already tracked (a scanned namespace, a tracked image).
     * Removals never bring in images. Keeps a command at one level from costing a scan of every
     * pool (seconds with 100,000 images).
     */
    synchronized boolean knowsImagesOf(LevelSpec level, boolean added, long roundsBefore) {
        if (refreshing != null || roundsStarted != roundsBefore) {
            return false;
        }
        if (!added) {
            return true;
        }
        if (level.isImage()) {
            return images.containsKey(new ImageKey(level.poolId(), level.namespace(), level.imageId()));
        }
        return level.namespace() != null && scannedNamespaces.contains(level.poolId() + "/" + level.namespace());
    }

    /** What this instance's commands notify other instances with (they rescan; this one ignores it). */
    io.vertx.core.buffer.Buffer changeNotice() {
        return io.vertx.core.buffer.Buffer.buffer("schedule changed by " + owner);
    }

    /** Refresh rounds started so far; a command reads it before it changes schedules. */
    synchronized long refreshRounds() {
        return roundsStarted;
    }

    /**
     * The schedule at {@code level} was changed by a command: recompute the next runs of the images
     * at or below it (Ceph's {@code rebuild_queue}, limited to those whose schedule may have changed).
     */
    synchronized void schedulesChanged(LevelSpec level) {
        LocalDateTime now = wallNow();
        for (Tracked t : images.values()) {
            if (level.matches(t.key.poolId(), t.key.namespace(), t.key.imageId())) {
                enqueue(t, now, false);
            }
        }
        arm();
    }

    private void leadershipGained() {
        Set<String> pools = new HashSet<>();
        synchronized (this) {
            images.values().forEach(t -> pools.add(t.pool));
        }
        loadRecordsOf(pools).onSuccess(records -> {
            Map<String, Map<String, RunRecord>> baselines = new HashMap<>();
            synchronized (this) {
                LocalDateTime now = wallNow();
                for (Tracked t : images.values()) {
                    RunRecord r = completions.getOrDefault(t.pool, Map.of())
                            .getOrDefault(t.recordKey(), records.getOrDefault(t.pool, Map.of()).get(t.recordKey()));
                    if (r != null) {
                        t.record = r;
                    } else if (t.record == null) {
                        t.record = RunRecord.baseline(now);
                        baselines.computeIfAbsent(t.pool, p -> new HashMap<>()).put(t.recordKey(), t.record);
                    }
                    enqueue(t, now, true);
                }
                arm();
            }
            baselines.forEach((pool, recs) -> runs.put(pool, recs));
        }).onFailure(e -> log.error("cannot load run records after taking over: {}", e.getMessage()));
    }

    private void enqueue(Tracked t, LocalDateTime now, boolean catchUp) {
        Schedule s = schedules.find(t.key.poolId(), t.key.namespace(), t.key.imageId());
        if (s == null) {
            t.entry = null;
            t.scheduleText = null;
            publish(t);
            return;
        }
        t.scheduleText = s.describe();
        if (catchUp && t.record != null) {
            LocalDateTime last = s.lastRunAtOrBefore(now);
            if (t.record.claim() != null) {
                // settled at its due instant at the earliest, together with the runs owed since
                LocalDateTime claimed = t.record.claim().due();
                LocalDateTime owed = last != null && last.isAfter(claimed) ? last : claimed;
                push(t, claimed.isAfter(now) ? claimed : now, owed);
                return;
            }
            if (last != null && last.isAfter(t.record.lastDue())) {
                push(t, now, last);
                return;
            }
        }
        LocalDateTime next = s.nextRunAfter(now);
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

    /** Queue length including replaced entries not yet dropped (for tests of the compaction). */
    synchronized int queueLength() {
        return queue.size();
    }

    private boolean isCurrent(Entry e) {
        Tracked t = images.get(e.key());
        return t != null && t.entry == e;
    }

    private void arm() {
        while (!queue.isEmpty() && !isCurrent(queue.peek())) {
            queue.poll();
        }
        Entry head = queue.peek();
        if (head == null || stopped) {
            cancel(wakeup);
            wakeup = null;
            wakeupAt = null;
            return;
        }
        armClaimAhead(head);
        if (head.at().equals(wakeupAt)) {
            return;
        }
        cancel(wakeup);
        wakeupAt = head.at();
        Instant when = head.at().toInstant(ZoneOffset.UTC);
        Duration delay = Duration.between(clock.now(), when);
        wakeup = clock.schedule(delay.isNegative() ? Duration.ZERO : delay, this::runDue);
    }

    private void armClaimAhead(Entry head) {
        if (!leadership.isLeader() || !head.at().isAfter(claimedThrough)) {
            return;
        }
        LocalDateTime at = head.at().minus(CLAIM_LEAD);
        if (at.equals(claimTimerAt)) {
            return;
        }
        cancel(claimTimer);
        claimTimerAt = at;
        Duration delay = Duration.between(clock.now(), at.toInstant(ZoneOffset.UTC));
        claimTimer = clock.schedule(delay.isNegative() ? Duration.ZERO : delay, this::claimAhead);
    }

    /**
     * Claims the runs falling due within {@link #CLAIM_LEAD} (not those due already): one record
     * write per pool, with the completions waiting to be written. An image whose run is claimed
     * ahead is then snapshotted at its due instant without a write before it.
     */
    private synchronized void claimAhead() {
        claimTimer = null;
        claimTimerAt = null;
        if (stopped || !leadership.isLeader()) {
            return;
        }
        LocalDateTime now = wallNow();
        LocalDateTime horizon = now.plus(CLAIM_LEAD);
        Instant at = clock.now();
        sweepOpenedAhead(now.minus(UNUSED_OPEN));
        Map<String, Map<String, RunRecord>> claims = new HashMap<>();
        List<Tracked> claimants = new ArrayList<>();
        // While an earlier batch still waits for a slot, its images' records are not settled yet.
        if (waiting.isEmpty()) {
            for (Entry e : queue) {
                if (e.at().isAfter(now) && !e.at().isAfter(horizon) && isCurrent(e)) {
                    Tracked t = images.get(e.key());
                    if (canClaimAhead(t, e.due(), at)) {
                        claims.computeIfAbsent(t.pool, p -> new HashMap<>())
                                .put(t.recordKey(), t.record.claimed(new RunRecord.Claim(e.due(), owner, at)));
                        claimants.add(t);
                    }
                }
            }
        }
        if (horizon.isAfter(claimedThrough)) {
            claimedThrough = horizon;
        }
        Map<String, Future<Void>> writes = new HashMap<>();
        claims.forEach((pool, records) -> writes.put(pool, writeRecords(pool, records)));
        for (Tracked t : claimants) {
            RunRecord before = t.record;
            RunRecord claimed = claims.get(t.pool).get(t.recordKey());
            // completes once claimWritten has run (which needs this lock, so only a write that
            // completed at once is complete here)
            Future<Void> settled = writes.get(t.pool).transform(r -> {
                claimWritten(t, before, claimed, r.succeeded());
                return Future.<Void>succeededFuture();
            });
            if (!settled.isComplete()) {
                t.claimWrite = settled;
            }
        }
        arm();
    }

    /** Under the lock: closes images opened for runs due before {@code before} that did not use them. */
    private void sweepOpenedAhead(LocalDateTime before) {
        openedAhead.values().removeIf(o -> {
            if (o.due().isBefore(before)) {
                closeUnused(o.image());
                return true;
            }
            return false;
        });
    }

    /** Under the lock: a sweep when the earliest image opened ahead has waited {@link #UNUSED_OPEN} past its run. */
    private void armSweep() {
        if (sweepTimer != null || stopped) {
            return;
        }
        openedAhead.values().stream().map(OpenedAhead::due).min(Comparator.naturalOrder()).ifPresent(due -> {
            Duration delay = Duration.between(clock.now(), due.plus(UNUSED_OPEN).toInstant(ZoneOffset.UTC));
            sweepTimer = clock.schedule(delay.isNegative() ? Duration.ZERO : delay, this::sweepLater);
        });
    }

    private synchronized void sweepLater() {
        sweepTimer = null;
        sweepOpenedAhead(wallNow().minus(UNUSED_OPEN).plusNanos(1));
        armSweep();
    }

    private void closeUnused(Future<Opened> image) {
        image.onSuccess(o -> o.image().close());
    }

    /** Under the lock: the image opened ahead for the run due at {@code due}, if any (the caller closes it). */
    private Future<Opened> takeOpenedAhead(Tracked t, LocalDateTime due) {
        OpenedAhead o = openedAhead.remove(t.key);
        if (o == null) {
            return null;
        }
        if (!o.due().equals(due)) {
            closeUnused(o.image());
            return null;
        }
        return o.image();
    }

    private boolean canClaimAhead(Tracked t, LocalDateTime due, Instant at) {
        RunRecord r = t.record;
        // The settling of a claim looks for a snapshot from (due - slack) on: the last one must be older.
        return r != null && r.claim() == null && t.claimWrite == null && !running.contains(t.key)
                && r.lastDue().isBefore(due)
                && (r.lastRun() == null || r.lastRun().isBefore(at.minus(SETTLE_SLACK).minus(SETTLE_SLACK)));
    }

    private synchronized void claimWritten(Tracked t, RunRecord before, RunRecord claimed, boolean written) {
        t.claimWrite = null;
        if (written && t.record == before) {
            t.record = claimed;
            t.claimedAhead = claimed.claim().due();
            publish(t);
            if (!stopped) {
                OpenedAhead stale = openedAhead.put(t.key, new OpenedAhead(t.claimedAhead, openAhead(t)));
                if (stale != null) {
                    closeUnused(stale.image());
                }
                armSweep();
            }
        }
    }

    /** Under the lock: writes records of a pool now, with that pool's completions waiting to be written. */
    private Future<Void> writeRecords(String pool, Map<String, RunRecord> records) {
        Map<String, RunRecord> all = completions.remove(pool);
        if (all == null) {
            all = records;
        } else {
            all.putAll(records);
        }
        return runs.put(pool, all);
    }

    /** Under the lock: remembers a completed run at once and writes its record within {@link #COMPLETION_LINGER}. */
    private void complete(Tracked t, RunRecord record) {
        t.record = record;
        publish(t);
        completions.computeIfAbsent(t.pool, p -> new HashMap<>()).put(t.recordKey(), record);
        if (completionTimer == null && !stopped) {
            completionTimer = clock.schedule(COMPLETION_LINGER, this::flushCompletionsLater);
        }
    }

    private synchronized void flushCompletionsLater() {
        completionTimer = null;
        flushCompletions();
    }

    private void flushCompletions() {
        Map<String, Map<String, RunRecord>> pending = new HashMap<>(completions);
        completions.clear();
        pending.forEach((pool, records) -> runs.put(pool, records)
                .onFailure(e -> log.warn("cannot record completed runs in {}: {}", pool, e.getMessage())));
    }

    private synchronized void runDue() {
        wakeup = null;
        wakeupAt = null;
        if (stopped) {
            return;
        }
        LocalDateTime now = wallNow();
        while (!queue.isEmpty() && !queue.peek().at().isAfter(now)) {
            Entry e = queue.poll();
            if (!isCurrent(e)) {
                continue;
            }
            Tracked t = images.get(e.key());
            if (leadership.isLeader()) {
                if (running.size() < maxConcurrent.getAsInt() && !running.contains(t.key)) {
                    launch(t, e.due());
                } else {
                    waiting.add(e);
                }
            }
            Schedule s = schedules.find(t.key.poolId(), t.key.namespace(), t.key.imageId());
            if (s != null) {
                LocalDateTime next = s.nextRunAfter(now);
                push(t, next, next);
            }
        }
        arm();
    }

    private void launch(Tracked t, LocalDateTime due) {
        running.add(t.key);
        execute(t, due).onComplete(r -> {
            if (r.failed()) {
                log.error("scheduled snapshot of {} failed: {}", t.name, String.valueOf(r.cause()), r.cause());
            }
            synchronized (this) {
                running.remove(t.key);
                drainWaiting();
            }
        });
    }

    private void drainWaiting() {
        while (!waiting.isEmpty() && running.size() < maxConcurrent.getAsInt() && !stopped) {
            Entry e = waiting.poll();
            Tracked t = images.get(e.key());
            if (t != null && !running.contains(t.key)) {
                launch(t, e.due());
            }
        }
    }

    /**
     * One due run of one image, settled against its record so it is taken once. The leader is the
     * only writer of records and reloads them all when it takes over, so its own copy is current
     * (reading the pool's whole record object per run would cost O(images) each time).
     */
    private Future<Void> execute(Tracked t, LocalDateTime due) {
        Future<Void> claimWrite;
        synchronized (this) {
            claimWrite = t.claimWrite;
        }
        // a claim made ahead still being written: its outcome decides how the run is taken
        return claimWrite == null ? executeClaimed(t, due) : claimWrite.transform(r -> executeClaimed(t, due));
    }

    private Future<Void> executeClaimed(Tracked t, LocalDateTime due) {
        RunRecord record;
        boolean claimedAhead;
        synchronized (this) {
            record = t.record;
            claimedAhead = due.equals(t.claimedAhead);
            t.claimedAhead = null;
        }
        RunRecord.Claim claim = record == null ? null : record.claim();
        if (claim != null && claimedAhead && owner.equals(claim.owner()) && due.equals(claim.due())) {
            return take(t, record, due);
        }
        if (claim != null && owner.equals(claim.owner()) && claim.due().isAfter(due)) {
            // this instance's claim of a later run, made ahead: that run is not due yet
            return snapshot(t, record.skipped(record.lastDue()), due);
        }
        if (claim != null) {
            return settleClaim(t, record, due);
        }
        if (record != null && !record.lastDue().isBefore(due)) {
            return Future.succeededFuture();
        }
        return snapshot(t, record == null ? RunRecord.baseline(due.minusMinutes(1)) : record, due);
    }

    /** A crashed instance claimed a run: find its snapshot, else take the run now. */
    private Future<Void> settleClaim(Tracked t, RunRecord record, LocalDateTime due) {
        RunRecord.Claim claim = record.claim();
        return withImage(t, image -> image.listSnaps().map(snaps -> snaps.stream()
                .filter(s -> s.namespace() == SnapNamespace.MIRROR && s.mirror() != null
                        && s.mirror().state() == MirrorSnapshotState.PRIMARY
                        && !s.timestamp().isBefore(takenFrom(claim)))
                .reduce((a, b) -> b).orElse(null)))
                .compose(snap -> {
                    LocalDateTime owed = claim.due().isAfter(due) ? claim.due() : due;
                    if (snap == null) {
                        return snapshot(t, record.skipped(record.lastDue()), owed);
                    }
                    RunRecord settled = record.succeeded(claim.due(), snap.timestamp(), snap.id());
                    Future<Void> written;
                    synchronized (this) {
                        written = writeRecords(t.pool, new HashMap<>(Map.of(t.recordKey(), settled)));
                    }
                    written = written.andThen(r -> remember(t, settled));
                    return due.isAfter(claim.due()) ? written.compose(v -> snapshot(t, settled, due)) : written;
                });
    }

    /** The earliest timestamp a snapshot taken for {@code claim} can have: never before its run was due. */
    private static Instant takenFrom(RunRecord.Claim claim) {
        Instant due = claim.due().toInstant(ZoneOffset.UTC);
        return (claim.at().isAfter(due) ? claim.at() : due).minus(SETTLE_SLACK);
    }

    /** Claims the run due at {@code due} (one record write), then takes it. */
    private Future<Void> snapshot(Tracked t, RunRecord before, LocalDateTime due) {
        RunRecord claimed = before.claimed(new RunRecord.Claim(due, owner, clock.now()));
        Future<Void> written;
        synchronized (this) {
            written = writeRecords(t.pool, new HashMap<>(Map.of(t.recordKey(), claimed)));
        }
        return written
                .andThen(w -> {
                    if (w.succeeded()) {
                        remember(t, claimed);
                    }
                })
                .compose(v -> take(t, claimed, due));
    }

    /**
     * Opens an image for a run claimed ahead and reads its mirroring, before the run is due: at the
     * due instant only the snapshot itself is left (in a burst, every call counts).
     */
    private Future<Opened> openAhead(Tracked t) {
        return open(t).compose(image -> image.mirrorInfo().transform(info ->
                Future.succeededFuture(new Opened(image, info.succeeded() ? info.result() : null))));
    }

    /** Takes a claimed run and records how it went (the record is written within {@link #COMPLETION_LINGER}). */
    private Future<Void> take(Tracked t, RunRecord claimed, LocalDateTime due) {
        Future<Opened> opened;
        synchronized (this) {
            opened = takeOpenedAhead(t, due);
        }
        Future<Opened> openNow = opened == null ? openForRun(t) : opened.recover(e -> openForRun(t));
        // the image closes in the background: the run's slot is free once its snapshot is taken
        return openNow.compose(o -> snapshotIfPrimary(o).andThen(r -> o.image().close()))
                .transform(r -> {
                    RunRecord after;
                    if (r.failed()) {
                        after = claimed.failed(due, clock.now(), describe(r.cause()));
                        log.error("error when creating snapshot for {}: {}", t.name, after.lastError());
                    } else if (r.result() == null) {
                        after = claimed.skipped(due);
                    } else {
                        after = claimed.succeeded(due, clock.now(), r.result());
                    }
                    synchronized (this) {
                        complete(t, after);
                    }
                    return Future.<Void>succeededFuture();
                });
    }

    private synchronized void remember(Tracked t, RunRecord record) {
        t.record = record;
        publish(t);
    }

    /** Under the lock: replaces what status shows of {@code t}. */
    private void publish(Tracked t) {
        if (t.entry == null || images.get(t.key) != t) {
            published.remove(t.key);
        } else {
            RunRecord r = t.record;
            published.put(t.key, new StatusRow(t.entry.at(), t.name,
                    r == null || r.lastRun() == null ? null : r.lastRun().toString(), r == null ? null : r.lastError()));
        }
    }

    /**
     * A mirror-snapshot if the image is a primary snapshot-mirrored one (else null: the run is
     * skipped), as Ceph's scheduler decides from the image's mirror info before creating. When the
     * info read ahead says so, the snapshot is created at once; if that fails, the info read again
     * decides whether the run failed or is skipped (the image was demoted or disabled meanwhile).
     */
    private static Future<Long> snapshotIfPrimary(Opened opened) {
        Image image = opened.image();
        if (opened.infoAhead() != null && takesSnapshot(opened.infoAhead())) {
            return image.mirrorCreateSnapshot().recover(failure -> image.mirrorInfo().transform(info ->
                    info.succeeded() && !takesSnapshot(info.result())
                            ? Future.succeededFuture((Long) null) : Future.failedFuture(failure)));
        }
        return image.mirrorInfo().compose(info -> takesSnapshot(info)
                ? image.mirrorCreateSnapshot() : Future.succeededFuture((Long) null));
    }

    private static boolean takesSnapshot(MirrorImageInfo info) {
        return info.primary() && info.mode() == MirrorImageMode.SNAPSHOT;
    }

    private Future<Opened> openForRun(Tracked t) {
        return open(t).map(image -> new Opened(image, null));
    }

    private <T> Future<T> withImage(Tracked t, java.util.function.Function<Image, Future<T>> action) {
        return withImage(open(t), action);
    }

    private Future<Image> open(Tracked t) {
        return cluster.openImageById(where(t), t.key.imageId());
    }

    private static PoolNamespace where(Tracked t) {
        return new PoolNamespace(t.pool, t.key.namespace());
    }

    /** Runs {@code action} on an image being opened, then closes it. */
    private static <T> Future<T> withImage(Future<Image> opening, java.util.function.Function<Image, Future<T>> action) {
        return opening.compose(image -> closing(image, action.apply(image)));
    }

    /** The outcome of {@code action}, once {@code image} is closed after it. */
    private static <T> Future<T> closing(Image image, Future<T> action) {
        return action.transform(r -> image.close().transform(c -> r.succeeded()
                ? Future.succeededFuture(r.result()) : Future.failedFuture(r.cause())));
    }

    static String describe(Throwable failure) {
        if (failure instanceof ClusterException ce) {
            return ce.errno().describe() + (ce.getMessage() == null ? "" : ": " + ce.getMessage());
        }
        return String.valueOf(failure.getMessage());
    }

    private LocalDateTime wallNow() {
        return LocalDateTime.ofInstant(clock.now(), ZoneOffset.UTC);
    }

    /** What status shows of one image. */
    private record StatusRow(LocalDateTime at, String name, String lastRun, String lastError) {
    }

    /**
     * Scheduled images at or below a level, by next run then name (what {@code status} shows),
     * read from the published rows without taking the scheduler's lock: each row is one image's
     * state at some instant of the last changes, and a status is never held up by a rescan or a
     * batch of snapshots (nor holds them up).
     */
    List<ScheduledImage> status(LevelSpec level) {
        List<StatusRow> rows = new ArrayList<>();
        published.forEach((key, row) -> {
            if (level.matches(key.poolId(), key.namespace(), key.imageId())) {
                rows.add(row);
            }
        });
        rows.sort(Comparator.comparing(StatusRow::at).thenComparing(StatusRow::name));
        List<ScheduledImage> result = new ArrayList<>(rows.size());
        LocalDateTime formattedAt = null;
        String formatted = null;
        for (StatusRow row : rows) {
            if (!row.at().equals(formattedAt)) {
                // rows are sorted by time, and thousands share each one
                formattedAt = row.at();
                formatted = formattedAt.format(Schedule.TIME_FORMAT);
            }
            result.add(new ScheduledImage(formatted, row.name(), row.lastRun(), row.lastError()));
        }
        return result;
    }

    boolean isLeader() {
        return leadership.isLeader();
    }
}
