package io.mirrorhost.schedule;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.cluster.Watch;
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
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Takes the scheduled mirror-snapshots (Ceph's {@code MirrorSnapshotScheduleHandler}): the I/O
 * around the {@link ScheduleQueue}, which makes every decision. It rescans schedules, pools and
 * images (every {@code refresh_interval}, and soon after {@code rbd_mirroring} or a schedule
 * object is notified), follows the site's {@link Leadership}, reads and writes {@link RunRecord}s,
 * opens images and takes snapshots, and feeds each outcome back to the queue as an event. Every
 * write it makes because it leads goes through {@link LeaderWrites}, fenced with the current term.
 *
 * <p>Concurrency: everything here and in the queue is confined to one {@link ModuleLoop}, the
 * module's Vert.x context, and runs there one step at a time, without locks.
 * <ul>
 * <li>Entry points that may be called from elsewhere (clock timers, watch callbacks on cluster
 * threads, leadership changes, commands) hop onto the loop first; those that answer return a future.</li>
 * <li>Cluster and store futures complete on their own threads; their outcomes are fed on the
 * loop. Events that arrive while the queue's actions are being started wait for them.</li>
 * <li>A rescan's reads build only data of their own ({@link Scan}), on whichever thread answers.
 * It is then applied in steps of {@link #APPLY_CHUNK} images, each prepared by {@link OffLoop}
 * (Vert.x's worker pool) and fed on the loop, so that no step there takes more than tens of
 * milliseconds and commands and due runs go on between them.</li>
 * <li>Read from any thread: {@link #status} (the queue's published {@link StatusView}) and
 * {@link #isLeader} (the host's leadership).</li>
 * </ul>
 */
final class SnapshotScheduler {
    /** Images a rescan applies in one step on the loop (tens of ms), not all 100,000 (seconds). */
    static final int APPLY_CHUNK = 2_000;

    private final Cluster cluster;
    private final Clock clock;
    private final ScheduleStore store;
    private final RunRecordStore runs;
    private final Leadership leadership;
    private final LeaderWrites leaderWrites;
    private final String owner;
    private final Logger log;
    private final Duration refreshInterval;
    private final ModuleLoop loop;
    private final OffLoop offLoop;
    private final ScheduleQueue queue;

    private final ArrayDeque<ScheduleEvent> events = new ArrayDeque<>();
    private boolean feeding;
    /** Images opened for runs claimed ahead (the queue says when to open, use and close them). */
    private final Map<ImageKey, Future<Opened>> openedAhead = new HashMap<>();
    private final Map<String, Future<Watch>> watches = new HashMap<>();
    private final Map<ScheduleQueue.Alarm, Clock.Timer> alarms = new EnumMap<>(ScheduleQueue.Alarm.class);
    private Clock.Timer refreshTimer;
    private Clock.Timer pendingRefresh;
    private Future<Void> refreshing;
    private Promise<Void> refreshAgain;
    private long roundsStarted;
    private boolean stopped;

    /**
     * An image open for a run, with its mirroring as read when it was opened ahead (null when
     * opened at the run, or if that read failed), opened through the fenced view of {@code term}.
     */
    private record Opened(Image image, MirrorImageInfo infoAhead, FenceToken term) {
    }

    SnapshotScheduler(Cluster cluster, Clock clock, ScheduleStore store, RunRecordStore runs, Leadership leadership,
                      String owner, Logger log, IntSupplier maxConcurrent, Duration refreshInterval, ModuleLoop loop,
                      OffLoop offLoop) {
        this.cluster = cluster;
        this.clock = clock;
        this.store = store;
        this.runs = runs;
        this.leadership = leadership;
        this.leaderWrites = new LeaderWrites(cluster, leadership);
        this.owner = owner;
        this.log = log;
        this.refreshInterval = refreshInterval;
        this.loop = loop;
        this.offLoop = offLoop;
        this.queue = new ScheduleQueue(owner, maxConcurrent);
    }

    /** Follows the leadership (acting at once if this instance leads) and rescans; completes after the first rescan. */
    Future<Void> start() {
        return loop.call(() -> {
            refreshTimer = clock.every(refreshInterval, () -> loop.execute(this::refreshRound));
            leadership.onChange(term -> loop.execute(() -> {
                if (term.isPresent()) {
                    feed(new LeadershipGained());
                    // a standby's schedules may be a refresh old (a schedule object made after its last scan)
                    refreshRound();
                } else {
                    feed(new LeadershipLost());
                }
            }));
            if (leadership.isLeader()) {
                feed(new LeadershipGained());
            }
            return refreshRound();
        }).compose(round -> round);
    }

    /** Stops: completions waiting to be written are written (the host hands the leadership on). */
    Future<Void> stop() {
        return loop.call(() -> {
            feed(new Stopping());
            halt();
            return null;
        });
    }

    /** Stops dead, as a crash would: claims stay unsettled. */
    void crash() {
        loop.execute(this::halt);
    }

    private void halt() {
        stopped = true;
        cancel(refreshTimer);
        alarms.values().forEach(SnapshotScheduler::cancel);
        alarms.clear();
        cancel(pendingRefresh);
        openedAhead.values().forEach(this::closeUnused);
        openedAhead.clear();
        watches.values().forEach(w -> w.onSuccess(Watch::close));
        watches.clear();
    }

    private static void cancel(Clock.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    // --- what commands and routes use ---

    /** Reads or changes the schedules, on the loop. */
    <T> Future<T> withSchedules(Function<ScheduleSet, T> action) {
        return loop.call(() -> action.apply(queue.schedules()));
    }

    /** Refresh rounds started so far; a command reads it before it changes schedules. */
    Future<Long> refreshRounds() {
        return loop.call(() -> roundsStarted);
    }

    /** The schedule at {@code level} was changed by a command: recompute the next runs below it. */
    void schedulesChanged(LevelSpec level) {
        feedOnLoop(new SchedulesChanged(level));
    }

    /**
     * Whether a schedule change at {@code level} can be taken from memory, without rescanning
     * images: no refresh started since {@code roundsBefore} (it could have applied schedules read
     * before the change), and every image the level may now govern is already tracked. Removals
     * never bring in images. Keeps a command at one level from costing a scan of every pool
     * (seconds with 100,000 images).
     */
    Future<Boolean> knowsImagesOf(LevelSpec level, boolean added, long roundsBefore) {
        return loop.call(() -> refreshing == null && roundsStarted == roundsBefore
                && (!added || queue.tracksImagesOf(level)));
    }

    /** What this instance's commands notify other instances with (they rescan; this one ignores it). */
    Buffer changeNotice() {
        return Buffer.buffer("schedule changed by " + owner);
    }

    /** Scheduled images at or below a level, by next run then name (what {@code status} shows); any thread. */
    List<ScheduledImage> status(LevelSpec level) {
        return queue.status().at(level);
    }

    boolean isLeader() {
        return leadership.isLeader();
    }

    /** Queue length including replaced entries not yet dropped (for tests that drive the loop inline). */
    int queueLength() {
        return queue.queueLength();
    }

    // --- feeding the queue ---

    private void feedOnLoop(ScheduleEvent event) {
        loop.execute(() -> feed(event));
    }

    /** On the loop: hands {@code event} to the queue and starts its actions; events they cause wait their turn. */
    private void feed(ScheduleEvent event) {
        if (stopped) {
            return;
        }
        events.add(event);
        if (feeding) {
            return;
        }
        feeding = true;
        try {
            ScheduleEvent next;
            while (!stopped && (next = events.poll()) != null) {
                queue.handle(next, clock.now()).forEach(this::performOrFail);
            }
        } finally {
            feeding = false;
        }
    }

    /**
     * Performs {@code action}; if starting it throws, the queue is told it failed, as a failed future
     * would tell it: the queue already counts the run as under way, and without an outcome the run
     * would hold its slot for good and the actions after it in the batch would be lost.
     */
    private void performOrFail(ScheduleAction action) {
        try {
            perform(action);
        } catch (RuntimeException e) {
            log.error("cannot start {}: {}", action, e.toString(), e);
            ScheduleEvent failed = failureOf(action, e);
            if (failed != null) {
                feed(failed);
            }
        }
    }

    /** The event that tells the queue {@code action} failed, or null where no outcome is awaited. */
    private static ScheduleEvent failureOf(ScheduleAction action, RuntimeException e) {
        if (action instanceof ClaimAhead a) {
            return new ClaimsAheadWritten(a.images(), false);
        } else if (action instanceof WriteRunRecord a) {
            return new RunRecordWritten(a.image().key(), false);
        } else if (action instanceof FindClaimedSnapshot a) {
            return new RunFailed(a.image().key());
        } else if (action instanceof TakeSnapshot a) {
            return new SnapshotFailed(a.image().key(), String.valueOf(e.getMessage()));
        }
        return null;
    }

    private void perform(ScheduleAction action) {
        if (action instanceof SleepUntil a) {
            sleepUntil(a.alarm(), a.at());
        } else if (action instanceof Idle a) {
            cancel(alarms.remove(a.alarm()));
        } else if (action instanceof LoadRecords a) {
            loadRecordsOf(a.pools()).onComplete(r -> loop.execute(() -> {
                if (r.succeeded()) {
                    feed(new RecordsLoaded(r.result()));
                } else {
                    log.error("cannot load run records after taking over: {}", r.cause().getMessage());
                }
            }));
        } else if (action instanceof RecordFirstSight a) {
            leaderWrites.write((c, t) -> runs.put(c, a.pool(), a.records())).onFailure(e ->
                    log.warn("cannot record first sight of images in {}: {}", a.pool(), e.getMessage()));
        } else if (action instanceof RecordCompletions a) {
            leaderWrites.write((c, t) -> runs.put(c, a.pool(), a.records())).onFailure(e ->
                    log.warn("cannot record completed runs in {}: {}", a.pool(), e.getMessage()));
        } else if (action instanceof RemoveRecords a) {
            leaderWrites.write((c, t) -> runs.remove(c, a.pool(), a.keys())).onFailure(e ->
                    log.warn("cannot drop run records of removed images in {}: {}", a.pool(), e.getMessage()));
        } else if (action instanceof ClaimAhead a) {
            leaderWrites.write((c, t) -> runs.put(c, a.pool(), a.records()))
                    .onComplete(r -> feedOnLoop(new ClaimsAheadWritten(a.images(), r.succeeded())));
        } else if (action instanceof WriteRunRecord a) {
            leaderWrites.write((c, t) -> runs.put(c, a.image().pool(), a.records())).onComplete(r -> loop.execute(() -> {
                if (r.failed()) {
                    runFailed(a.image(), r.cause());
                }
                feed(new RunRecordWritten(a.image().key(), r.succeeded()));
            }));
        } else if (action instanceof OpenAhead a) {
            openedAhead.put(a.image().key(), openAhead(a.image()));
        } else if (action instanceof CloseOpenedAhead a) {
            closeUnused(openedAhead.remove(a.image()));
        } else if (action instanceof FindClaimedSnapshot a) {
            findClaimedSnapshot(a);
        } else if (action instanceof TakeSnapshot a) {
            takeSnapshot(a);
        } else {
            throw new IllegalArgumentException("no way to perform " + action);
        }
    }

    private void sleepUntil(ScheduleQueue.Alarm alarm, Instant at) {
        cancel(alarms.get(alarm));
        Duration delay = Duration.between(clock.now(), at);
        alarms.put(alarm, delay.isNegative() || delay.isZero() ? ringNow(alarm)
                : clock.schedule(delay, () -> feedOnLoop(new Tick(alarm))));
    }

    /**
     * An alarm already due rings on the loop's next turn, cancellable until then like a timer, rather than
     * through the clock: a clock's zero-delay timer fires at its next tick, which a test's fake clock may
     * never give (an I/O outcome that arrives after the test advanced the clock sets such an alarm).
     */
    private Clock.Timer ringNow(ScheduleQueue.Alarm alarm) {
        java.util.concurrent.atomic.AtomicBoolean pending = new java.util.concurrent.atomic.AtomicBoolean(true);
        loop.execute(() -> {
            if (pending.compareAndSet(true, false)) {
                feed(new Tick(alarm));
            }
        });
        return () -> pending.compareAndSet(true, false);
    }

    private void runFailed(ImageRef image, Throwable cause) {
        log.error("scheduled snapshot of {} failed: {}", image.name(), String.valueOf(cause), cause);
    }

    // --- rescans ---

    /**
     * Rescans schedules and images. A request during a round gets one more round, which starts
     * after the current one and which the returned future waits for (so a command that saved a
     * schedule sees it loaded); concurrent requests share it.
     */
    Future<Void> refresh() {
        return loop.call(this::refreshRound).compose(round -> round);
    }

    /** On the loop: {@link #refresh}. */
    private Future<Void> refreshRound() {
        if (stopped) {
            return Future.succeededFuture();
        }
        if (refreshing != null) {
            if (refreshAgain == null) {
                refreshAgain = Promise.promise();
            }
            return refreshAgain.future();
        }
        roundsStarted++;
        Future<Void> round = loop.back(store.loadAll(queue.schedules().copy())
                        .compose(set -> scan(set).compose(scan -> loadRecordsOf(scan.pools())
                                .compose(records -> apply(set, scan, records)))))
                .recover(e -> {
                    log.error("refresh failed: {}", e.getMessage());
                    return Future.succeededFuture();
                });
        refreshing = round;
        round.onComplete(r -> refreshDone(round));
        return round;
    }

    private void refreshDone(Future<Void> round) {
        if (refreshing == round) {
            refreshing = null;
        }
        if (refreshAgain != null) {
            Promise<Void> waiting = refreshAgain;
            refreshAgain = null;
            refreshRound().onComplete(waiting);
        }
    }

    /** A notification arrived (on any thread): rescan soon, coalescing bursts. */
    private void requestRefresh() {
        loop.execute(() -> {
            if (stopped || pendingRefresh != null) {
                return;
            }
            pendingRefresh = clock.schedule(Duration.ofSeconds(1), () -> loop.execute(() -> {
                pendingRefresh = null;
                refreshRound();
            }));
        });
    }

    /** What one namespace's scan read: its images, listed only when something there is mirrored (else null). */
    private record NamespaceScan(String poolId, PoolNamespace where, List<ImageEntry> listed, List<ImageRef> found) {
    }

    /** What a rescan read of one pool: its namespaces, or nothing when it could not be read. */
    private record PoolScan(String pool, List<NamespaceScan> namespaces, boolean unreadable) {
    }

    /** What a rescan read: per namespace, and the pools it could not read. */
    private record Scan(List<NamespaceScan> namespaces, Set<String> unreadablePools) {
        static Scan of(List<PoolScan> pools) {
            List<NamespaceScan> namespaces = new ArrayList<>();
            Set<String> unreadable = new HashSet<>();
            for (PoolScan pool : pools) {
                namespaces.addAll(pool.namespaces());
                if (pool.unreadable()) {
                    unreadable.add(pool.pool());
                }
            }
            return new Scan(namespaces, unreadable);
        }

        List<ImageRef> found() {
            List<ImageRef> found = new ArrayList<>();
            namespaces.forEach(n -> found.addAll(n.found()));
            return found;
        }

        Set<String> pools() {
            Set<String> pools = new HashSet<>();
            namespaces.forEach(n -> n.found().forEach(i -> pools.add(i.pool())));
            return pools;
        }

        /** Namespaces ({@code POOLID/NS}) whose mirrored images were all read. */
        Set<String> scannedNamespaces() {
            Set<String> scanned = new HashSet<>();
            namespaces.forEach(n -> scanned.add(n.poolId() + "/" + n.where().namespace()));
            return scanned;
        }

        /** Record keys, by pool, of images gone from a namespace the scan listed. */
        Map<String, Set<String>> goneRecords(Map<String, Map<String, RunRecord>> records) {
            Map<String, Set<String>> listedNamespaces = new HashMap<>();
            Map<String, Set<String>> present = new HashMap<>();
            for (NamespaceScan n : namespaces) {
                if (n.listed() != null) {
                    String pool = n.where().pool();
                    listedNamespaces.computeIfAbsent(pool, p -> new HashSet<>()).add(n.where().namespace());
                    Set<String> keys = present.computeIfAbsent(pool, p -> new HashSet<>());
                    n.listed().forEach(e -> keys.add(RunRecordStore.key(n.where().namespace(), e.id())));
                }
            }
            Map<String, Set<String>> gone = new HashMap<>();
            records.forEach((pool, recs) -> {
                Set<String> poolGone = new HashSet<>();
                for (String key : recs.keySet()) {
                    String namespace = key.substring(0, key.lastIndexOf('/'));
                    if (listedNamespaces.getOrDefault(pool, Set.of()).contains(namespace)
                            && !present.getOrDefault(pool, Set.of()).contains(key)) {
                        poolGone.add(key);
                    }
                }
                gone.put(pool, poolGone);
            });
            return gone;
        }
    }

    private Future<Scan> scan(ScheduleSet set) {
        return store.rbdPools().compose(pools -> {
            List<Future<PoolScan>> perPool = new ArrayList<>();
            for (PoolInfo pool : pools) {
                loop.execute(() -> watch(PoolNamespace.of(pool.name()), ScheduleStore.SCHEDULE_OID));
                String poolId = String.valueOf(pool.id());
                if (set.intersects(LevelSpec.ofPool(poolId, pool.name(), null))) {
                    perPool.add(scanPool(set, pool).recover(e -> {
                        log.error("scan of pool {} failed: {}", pool.name(), e.getMessage());
                        return Future.succeededFuture(new PoolScan(pool.name(), List.of(), true));
                    }));
                }
            }
            return Future.all(perPool).map(all -> Scan.of(all.list()));
        });
    }

    private Future<PoolScan> scanPool(ScheduleSet set, PoolInfo pool) {
        String poolId = String.valueOf(pool.id());
        return cluster.listNamespaces(pool.name()).compose(names -> {
            List<String> namespaces = new ArrayList<>();
            namespaces.add("");
            namespaces.addAll(names);
            List<Future<NamespaceScan>> perNamespace = new ArrayList<>();
            for (String ns : namespaces) {
                if (set.intersects(LevelSpec.ofPool(poolId, pool.name(), ns))) {
                    perNamespace.add(scanNamespace(poolId, new PoolNamespace(pool.name(), ns)));
                }
            }
            return Future.all(perNamespace).map(all -> new PoolScan(pool.name(), all.list(), false));
        });
    }

    private Future<NamespaceScan> scanNamespace(String poolId, PoolNamespace where) {
        loop.execute(() -> watch(where, "rbd_mirroring"));
        return cluster.mirrorImageInfoList(where).compose(infos -> {
            if (infos.isEmpty()) {
                return Future.succeededFuture(new NamespaceScan(poolId, where, null, List.of()));
            }
            return cluster.listImages(where).map(entries -> {
                List<ImageRef> found = new ArrayList<>();
                for (ImageEntry e : entries) {
                    MirrorImageInfo info = infos.get(e.id());
                    if (ScheduleStore.isSnapshotMirrored(info) && info.primary()) {
                        String name = where.namespace().isEmpty() ? where.pool() + "/" + e.name()
                                : where.pool() + "/" + where.namespace() + "/" + e.name();
                        found.add(new ImageRef(new ImageKey(poolId, where.namespace(), e.id()), where.pool(), name));
                    }
                }
                return new NamespaceScan(poolId, where, entries, found);
            });
        });
    }

    /** On the loop: watches an object for changes that call for a rescan (once; again after a failure). */
    private void watch(PoolNamespace where, String object) {
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
        // No object yet (nothing mirrored there): try again at the next scan.
        w.onFailure(e -> loop.execute(() -> watches.remove(key)));
    }

    private Future<Map<String, Map<String, RunRecord>>> loadRecordsOf(Set<String> pools) {
        List<String> order = new ArrayList<>(pools);
        List<Future<Map<String, RunRecord>>> loads = order.stream().map(runs::load).toList();
        return Future.all(loads).map(all -> {
            Map<String, Map<String, RunRecord>> result = new HashMap<>();
            for (int i = 0; i < order.size(); i++) {
                result.put(order.get(i), all.resultAt(i));
            }
            return result;
        });
    }

    /**
     * Feeds what a rescan found to the queue: its start, {@link #APPLY_CHUNK} images at a time,
     * then its end (images gone are dropped); each step prepared off the loop and fed on it.
     */
    private Future<Void> apply(ScheduleSet set, Scan scan, Map<String, Map<String, RunRecord>> records) {
        List<ImageRef> found = scan.found();
        Future<Void> applied = step(() -> new ScanStarted(set, scan.scannedNamespaces()));
        for (int from = 0; from < found.size(); from += APPLY_CHUNK) {
            List<ImageRef> chunk = found.subList(from, Math.min(found.size(), from + APPLY_CHUNK));
            applied = applied.compose(v -> step(() -> new ImagesFound(withRecords(chunk, records))));
        }
        return applied.compose(v -> step(() -> new ScanFinished(scan.unreadablePools(), scan.goneRecords(records))));
    }

    private static List<FoundImage> withRecords(List<ImageRef> images, Map<String, Map<String, RunRecord>> records) {
        List<FoundImage> found = new ArrayList<>(images.size());
        for (ImageRef image : images) {
            found.add(new FoundImage(image, records.getOrDefault(image.pool(), Map.of()).get(image.key().recordKey())));
        }
        return found;
    }

    /** Prepares an event off the loop, then feeds it on the loop. */
    private Future<Void> step(Supplier<ScheduleEvent> prepare) {
        AtomicReference<ScheduleEvent> event = new AtomicReference<>();
        return offLoop.run(() -> event.set(prepare.get())).compose(v -> loop.call(() -> {
            feed(event.get());
            return null;
        }));
    }

    // --- runs ---

    /** Looks for the snapshot a claim may have produced; tells the queue what it found. */
    private void findClaimedSnapshot(FindClaimedSnapshot find) {
        ImageRef image = find.image();
        withImage(open(cluster, image), opened -> opened.listSnaps().map(snaps -> snaps.stream()
                .filter(s -> s.namespace() == SnapNamespace.MIRROR && s.mirror() != null
                        && s.mirror().state() == MirrorSnapshotState.PRIMARY
                        && !s.timestamp().isBefore(find.takenFrom()))
                .reduce((a, b) -> b).orElse(null)))
                .onComplete(r -> loop.execute(() -> {
                    if (r.failed()) {
                        runFailed(image, r.cause());
                        feed(new RunFailed(image.key()));
                        return;
                    }
                    SnapInfo snap = r.result();
                    feed(new ClaimedSnapshotFound(image.key(), snap == null ? null : snap.id(),
                            snap == null ? null : snap.timestamp()));
                }));
    }

    /** Takes a claimed run's snapshot; the image closes in the background (the run's slot is free once the snapshot is taken). */
    private void takeSnapshot(TakeSnapshot take) {
        ImageRef image = take.image();
        Future<Opened> opened = take.openedAhead() ? openedAhead.remove(image.key()) : null;
        Future<Opened> openNow = opened == null ? openForRun(image) : opened.recover(e -> openForRun(image));
        openNow.compose(o -> snapshotIfPrimary(o).onFailure(e -> leaderWrites.refusedIf(e, o.term()))
                        .andThen(r -> o.image().close()))
                .onComplete(r -> loop.execute(() -> {
                    if (r.failed()) {
                        String error = describe(r.cause());
                        log.error("error when creating snapshot for {}: {}", image.name(), error);
                        feed(new SnapshotFailed(image.key(), error));
                    } else {
                        feed(new SnapshotTaken(image.key(), r.result()));
                    }
                }));
    }

    /**
     * Opens an image for a run claimed ahead and reads its mirroring, before the run is due: at the
     * due instant only the snapshot itself is left (in a burst, every call counts).
     */
    private Future<Opened> openAhead(ImageRef image) {
        return leaderWrites.write((c, term) -> open(c, image).compose(opened -> opened.mirrorInfo().transform(info ->
                Future.succeededFuture(new Opened(opened, info.succeeded() ? info.result() : null, term)))));
    }

    private void closeUnused(Future<Opened> image) {
        if (image != null) {
            image.onSuccess(o -> o.image().close());
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

    /** Opened through the leader's fenced view, so that the snapshot is refused if the term was superseded. */
    private Future<Opened> openForRun(ImageRef image) {
        return leaderWrites.write((c, term) -> open(c, image).map(opened -> new Opened(opened, null, term)));
    }

    private static Future<Image> open(Cluster through, ImageRef image) {
        return through.openImageById(image.where(), image.key().imageId());
    }

    /** Runs {@code action} on an image being opened, then closes it. */
    private static <T> Future<T> withImage(Future<Image> opening, Function<Image, Future<T>> action) {
        return opening.compose(image -> action.apply(image).transform(r -> image.close().transform(c -> r.succeeded()
                ? Future.succeededFuture(r.result()) : Future.failedFuture(r.cause()))));
    }

    static String describe(Throwable failure) {
        if (failure instanceof ClusterException ce) {
            return ce.errno().describe() + (ce.getMessage() == null ? "" : ": " + ce.getMessage());
        }
        return String.valueOf(failure.getMessage());
    }
}
