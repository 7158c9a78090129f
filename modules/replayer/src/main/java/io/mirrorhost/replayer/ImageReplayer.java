package io.mirrorhost.replayer;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.Watch;
import io.mirrorhost.replayer.snapshot.DataPoolChoice;
import io.mirrorhost.replayer.snapshot.ImageSide;
import io.mirrorhost.replayer.snapshot.Promotion;
import io.mirrorhost.replayer.snapshot.ReplayAction;
import io.mirrorhost.replayer.snapshot.ReplayInput;
import io.mirrorhost.replayer.snapshot.ReplayStats;
import io.mirrorhost.replayer.snapshot.ReplayTimestamps;
import io.mirrorhost.replayer.snapshot.SnapshotReplayStatus;
import io.mirrorhost.replayer.snapshot.SnapshotReplayer;
import io.mirrorhost.replayer.snapshot.StatusTracker;
import io.mirrorhost.replayer.snapshot.SyncProgress;
import io.mirrorhost.replayer.snapshot.UserSnapshotPlan;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays one image (by global id) from the peer: reads both copies, asks {@link SnapshotReplayer}
 * for the next action, executes it, and repeats until there is nothing to do; a change
 * notification on either image, or {@link #kick()}, starts it again. Runs on the module's context;
 * one pass at a time. Where the replay stands is its {@link Phase}; whether a pass is under way,
 * its {@link Pass}.
 */
final class ImageReplayer {
    /** Where this image's replay stands. STOPPED and FINISHED are final: nothing leaves them. */
    enum Phase {
        /**
         * Not replaying: new, or the last pass ended with a Stop action or failed, so the next pass
         * starts with bootstrap again (a local primary found then is "local image is primary").
         * Leaves on a copy (SYNCING or REPLAYING), Idle (REPLAYING), Finished, or {@link #stop()}.
         */
        BOOTSTRAPPING,
        /**
         * The first, full copy of the image is under way: its progress is reported as
         * {@code up+syncing}. Leaves when it completes (REPLAYING), on a Stop action or a failure
         * (BOOTSTRAPPING), or on {@link #stop()}.
         */
        SYNCING,
        /**
         * Past bootstrap: copying deltas or waiting for the next primary snapshot (a local primary
         * found now was force promoted). Leaves on a full copy (SYNCING), a Stop action or a failure
         * (BOOTSTRAPPING), Finished, or {@link #stop()}.
         */
        REPLAYING,
        /** {@link #stop()} was called: copies cancel, no status is written, no pass starts. */
        STOPPED,
        /** Neither copy exists: handles closed, statuses removed; the namespace replayer drops it. */
        FINISHED;

        boolean isFinal() {
            return this == STOPPED || this == FINISHED;
        }

        /** Whether replay got past bootstrap in this run (the snapshot replayer's input). */
        boolean pastBootstrap() {
            return this == SYNCING || this == REPLAYING;
        }
    }

    /** Whether a pass is under way: a kick during one asks for one more right after it. */
    enum Pass {
        NONE,
        RUNNING,
        RUNNING_THEN_AGAIN
    }

    static final int MAX_STEPS_PER_PASS = 10_000;
    /**
     * At most one durable copy-progress record and one syncing status per interval (each costs a
     * flush and commits on both sites; recording every object stalled the copy behind them).
     */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    /** How often the local copy's removal is tried a second apart while the peer's daemon holds it open. */
    static final int REMOVE_ATTEMPTS = 30;
    /** Then it is tried this often for as long as the replayer runs (rbd_mirror_delete_retry_interval). */
    static final Duration REMOVE_RETRY_INTERVAL = Duration.ofSeconds(30);
    private final ReplaySettings settings;
    private final String globalId;
    private final StatusTracker status = new StatusTracker();
    private final ReplayStats stats = new ReplayStats();
    // One header watch per side, kept while the handles are closed between passes (a stopped
    // replayer holds no handle: the peer's daemon could not remove an image held open here).
    private Watch localWatch;
    private Watch remoteWatch;
    private String localWatchedId;
    private String remoteWatchedId;
    private Image remoteImage;
    private String remoteImageId;
    private Image localImage;
    private String localImageId;
    private Phase phase = Phase.BOOTSTRAPPING;
    private Pass pass = Pass.NONE;
    private SyncProgress syncing;
    private SnapInfo syncingSnap;
    /** Syncing statuses are written when the percent changes, not for every object. */
    private int publishedPercent = -1;
    private final Pacer syncingStatus;
    private final Executor executor = new Executor();
    private ImageSide lastLocal;
    private ImageSide lastRemote;
    private int pending;
    private Future<Void> runningPass = Future.succeededFuture();
    /** Stops the wait of a copy queued for a sync slot, so that a stopping replayer does not wait its turn. */
    private Runnable withdrawSlotWait = () -> { };

    ImageReplayer(ReplaySettings settings, String globalId) {
        this.settings = settings;
        this.globalId = globalId;
        this.syncingStatus = new Pacer(settings.context(), PROGRESS_INTERVAL, this::publishSyncing);
    }

    String globalId() {
        return globalId;
    }

    boolean finished() {
        return phase == Phase.FINISHED;
    }

    StatusTracker.Status status() {
        return status.current();
    }

    /** Starts a pass, or another one right after the running pass. */
    void kick() {
        settings.context().runOnContext(v -> {
            if (phase.isFinal()) {
                return;
            }
            if (pass != Pass.NONE) {
                pass = Pass.RUNNING_THEN_AGAIN;
                return;
            }
            pass = Pass.RUNNING;
            if (status.current() == null) {
                publish(StatusTracker.starting());
            }
            runningPass = runPass(0);
            runningPass.onComplete(ar -> {
                Throwable cause = ar.failed() && ar.cause().getCause() != null ? ar.cause().getCause() : ar.cause();
                if (ar.failed() && ClusterException.errnoOf(cause) == Errno.ESHUTDOWN) {
                    superseded(cause);
                } else if (ar.failed()) {
                    enter(Phase.BOOTSTRAPPING);
                    settings.logger().warn("image {}: {}: {} {}", globalId, ar.cause().getMessage(),
                            ClusterException.errnoOf(cause).describe(), cause.getMessage());
                    publish(new StatusTracker.Status(MirrorImageStatusState.ERROR, describe(ar.cause())));
                    closeImages();
                }
                boolean again = pass == Pass.RUNNING_THEN_AGAIN;
                pass = Pass.NONE;
                if (again) {
                    kick();
                }
            });
        });
    }

    /**
     * The storage refused a write under this replayer's fence: the image was given to another instance,
     * which replays it now. This one stops at once and writes nothing more, not even a status.
     */
    private void superseded(Throwable refusal) {
        if (phase.isFinal()) {
            return;
        }
        enter(Phase.STOPPED);
        settings.logger().warn("image {}: stopped, another instance replays it now: {}", globalId, refusal.getMessage());
        closeImages();
    }

    /** Moves to {@code next}, unless the replayer already stopped or finished. */
    private void enter(Phase next) {
        if (!phase.isFinal()) {
            phase = next;
        }
    }

    Future<Void> stop() {
        return stop(false);
    }

    /**
     * Stops the replay for another instance to take the image over: completes once the running pass has
     * ended too (a copy cancels after its writes in flight), so that no write of this replayer is left.
     */
    Future<Void> handOver() {
        return stop(true);
    }

    private Future<Void> stop(boolean drained) {
        Promise<Void> done = Promise.promise();
        settings.context().runOnContext(v -> {
            enter(Phase.STOPPED);
            withdrawSlotWait.run();
            Future<Void> ended = drained ? runningPass.otherwiseEmpty() : Future.succeededFuture();
            ended.transform(x -> closeImages()).onComplete(ar -> done.complete());
        });
        return done.future();
    }

    /** Decides and executes actions until the replayer has to wait. */
    private Future<Void> runPass(int step) {
        if (step == MAX_STEPS_PER_PASS) {
            // every step changes one copy; this many in a row means the two sides never settle
            return Future.failedFuture(new StepFailure("replay does not converge", null));
        }
        long started = System.nanoTime();
        return gather().compose(input -> {
            ReplayAction action = SnapshotReplayer.next(input);
            long gathered = System.nanoTime();
            return execute(action)
                    .recover(failure -> Future.failedFuture(new StepFailure(failureText(action), failure)))
                    .onSuccess(more -> settings.logger().debug("image {}: {} (read both sides {} ms, step {} ms)",
                            globalId, action.getClass().getSimpleName(), (gathered - started) / 1_000_000,
                            (System.nanoTime() - gathered) / 1_000_000))
                    .compose(more -> more && phase != Phase.STOPPED ? runPass(step + 1) : Future.succeededFuture());
        });
    }

    /** rbd-mirror's failure text for a step (notes §2.4), shown in an {@code up+error} status. */
    static String failureText(ReplayAction action) {
        return action.handle(FAILURE_TEXT);
    }

    private static final ReplayAction.Handler<String> FAILURE_TEXT = new ReplayAction.Handler<>() {
        @Override
        public String createLocalImage(ReplayAction.CreateLocalImage action) {
            return "error bootstrapping replay";
        }

        @Override
        public String deleteLocalImage(ReplayAction.DeleteLocalImage action) {
            return "failed to delete local image";
        }

        @Override
        public String renameLocalImage(ReplayAction.RenameLocalImage action) {
            return "failed to apply remote image state";
        }

        @Override
        public String pruneLocalSnapshot(ReplayAction.PruneLocalSnapshot action) {
            return "failed to prune non-primary snapshot";
        }

        @Override
        public String unlinkRemoteSnapshot(ReplayAction.UnlinkRemoteSnapshot action) {
            return "failed to unlink local peer from remote image";
        }

        @Override
        public String copySnapshot(ReplayAction.CopySnapshot action) {
            return "failed to copy remote image";
        }

        @Override
        public String idle(ReplayAction.Idle action) {
            return "failed to update image status";
        }

        @Override
        public String stop(ReplayAction.Stop action) {
            return "failed to update image status";
        }

        @Override
        public String finished(ReplayAction.Finished action) {
            return "failed to update image status";
        }
    };

    /**
     * Reads the local copy first: a local primary needs nothing from the peer (and is reported as
     * such even while the peer is unreachable); otherwise both copies. The peer's image list is
     * asked for at once, as every read is a round trip and the empty delta's latency is mostly
     * these; the peer's image is opened only once the local copy is known not to be primary.
     */
    private Future<ReplayInput> gather() {
        Future<Map<String, MirrorImageInfo>> remoteList = on(settings.remote().mirrorImageInfoList(
                settings.remoteNamespace()));
        return on(settings.local().mirrorImageInfoList(settings.localNamespace())).compose(localList -> {
            MirrorImageInfo localInfo = find(localList, false);
            return openLocal(localInfo).compose(v -> side(localImage, localInfo));
        }).compose(local -> {
            if (local != null && local.promotion() == Promotion.PRIMARY) {
                return Future.succeededFuture(input(local, null, false));
            }
            Future<Boolean> resync = resync();
            return remoteList.compose(list -> {
                MirrorImageInfo remoteInfo = find(list, true);
                return openRemote(remoteInfo).compose(v -> side(remoteImage, remoteInfo));
            }).compose(remote -> resync.map(r -> input(local, remote, r)));
        });
    }

    private ReplayInput input(ImageSide local, ImageSide remote, boolean resync) {
        lastLocal = local;
        lastRemote = remote;
        return new ReplayInput(local, remote, settings.localMirrorUuid(), settings.remoteMirrorUuid(),
                settings.remotePeerUuid(), resync, phase.pastBootstrap(), settings.maxSnapshots().getAsInt());
    }

    private MirrorImageInfo find(Map<String, MirrorImageInfo> infos, boolean remote) {
        for (Map.Entry<String, MirrorImageInfo> e : infos.entrySet()) {
            if (e.getValue().globalId().equals(globalId) && e.getValue().mode() == MirrorImageMode.SNAPSHOT) {
                if (remote) {
                    remoteImageId = e.getKey();
                } else {
                    localImageId = e.getKey();
                }
                return e.getValue();
            }
        }
        if (remote) {
            remoteImageId = null;
        } else {
            localImageId = null;
        }
        return null;
    }

    private Future<Void> openRemote(MirrorImageInfo info) {
        if (info == null || remoteImage != null) {
            return Future.succeededFuture();
        }
        return on(settings.remote().openImageById(settings.remoteNamespace(), remoteImageId)).compose(image -> {
            remoteImage = image;
            if (remoteImageId.equals(remoteWatchedId)) {
                return Future.succeededFuture();
            }
            String watched = remoteImageId;
            return rewatch(remoteWatch, image).map(w -> {
                remoteWatch = w;
                remoteWatchedId = watched;
                return null;
            });
        });
    }

    private Future<Void> openLocal(MirrorImageInfo info) {
        if (info == null || localImage != null) {
            return Future.succeededFuture();
        }
        return on(settings.local().openImageForReplay(settings.localNamespace(), localImageId)).compose(image -> {
            localImage = image;
            if (localImageId.equals(localWatchedId)) {
                return Future.succeededFuture();
            }
            String watched = localImageId;
            return rewatch(localWatch, image).map(w -> {
                localWatch = w;
                localWatchedId = watched;
                return null;
            });
        });
    }

    /** Watches {@code image}'s header instead of the one {@code old} watched (if any). */
    private Future<Watch> rewatch(Watch old, Image image) {
        Future<Void> closed = old == null ? Future.succeededFuture() : on(old.close()).otherwiseEmpty();
        return closed.compose(v -> on(image.updateWatch(this::kick)));
    }

    private Future<ImageSide> side(Image image, MirrorImageInfo info) {
        if (info == null || image == null) {
            return Future.succeededFuture(null);
        }
        Future<ImageInfo> about = on(image.info());
        Future<List<SnapInfo>> snaps = on(image.listSnaps());
        return on(Future.all(about, snaps)).map(both -> new ImageSide(about.result().name(), info, snaps.result()));
    }

    private Future<Boolean> resync() {
        if (localImage == null) {
            return Future.succeededFuture(false);
        }
        return on(localImage.mirrorResyncRequested());
    }

    /** Executes one action; true when the replayer should look again at once. */
    private Future<Boolean> execute(ReplayAction action) {
        return action.handle(executor);
    }

    private final class Executor implements ReplayAction.Handler<Future<Boolean>> {
        @Override
        public Future<Boolean> createLocalImage(ReplayAction.CreateLocalImage action) {
            return ImageReplayer.this.createLocalImage().map(true);
        }

        @Override
        public Future<Boolean> deleteLocalImage(ReplayAction.DeleteLocalImage delete) {
            publish(new StatusTracker.Status(MirrorImageStatusState.STOPPED, delete.description()));
            return ImageReplayer.this.deleteLocalImage().map(delete.resync());
        }

        @Override
        public Future<Boolean> renameLocalImage(ReplayAction.RenameLocalImage rename) {
            return on(settings.local().renameImage(new ImageSpec(settings.localNamespace(), lastLocal.name()),
                    rename.newName())).compose(v -> closeImages()).map(true);
        }

        @Override
        public Future<Boolean> pruneLocalSnapshot(ReplayAction.PruneLocalSnapshot prune) {
            return on(localImage.removeSnapById(prune.localSnapId())).map(true);
        }

        @Override
        public Future<Boolean> unlinkRemoteSnapshot(ReplayAction.UnlinkRemoteSnapshot unlink) {
            Future<Void> unlinked = on(remoteImage.mirrorSnapshotUnlinkPeer(unlink.remoteSnapId(), settings.remotePeerUuid()));
            // the backend removes a snapshot left with no peer and no longer newest (librbd's
            // UnlinkPeerRequest), or the primary's pruning got there first: gone is done
            return (unlink.removeSnapshot() ? unlinked.compose(v -> on(remoteImage.removeSnapById(unlink.remoteSnapId())))
                    : unlinked).recover(ImageReplayer::goneIsDone).map(true);
        }

        @Override
        public Future<Boolean> copySnapshot(ReplayAction.CopySnapshot copy) {
            boolean initial = copy.remoteStart() == null;
            enter(initial ? Phase.SYNCING : Phase.REPLAYING);
            return ImageReplayer.this.copySnapshot(copy).onSuccess(v -> enter(Phase.REPLAYING)).map(true);
        }

        @Override
        public Future<Boolean> idle(ReplayAction.Idle idle) {
            enter(Phase.REPLAYING);
            pending = idle.pendingSnapshots();
            publish(new StatusTracker.Status(MirrorImageStatusState.REPLAYING, replayStatus(null).description()));
            return Future.succeededFuture(false);
        }

        @Override
        public Future<Boolean> stop(ReplayAction.Stop stop) {
            // the images stay watched: a change on either side (the peer copying our demotion after
            // a transient split-brain, a promotion) is looked at at once, not at the next refresh;
            // the handles go, as rbd-mirror holds none while stopped (a peer removing its copy of
            // the image would find it in use otherwise)
            enter(Phase.BOOTSTRAPPING);
            publish(new StatusTracker.Status(stop.state(), stop.description()));
            return closeHandles().map(false);
        }

        @Override
        public Future<Boolean> finished(ReplayAction.Finished action) {
            enter(Phase.FINISHED);
            return closeImages().compose(v -> removeStatuses()).map(false);
        }
    }

    private Future<Void> createLocalImage() {
        Future<ImageInfo> info = on(remoteImage.info());
        Future<List<PoolInfo>> pools = on(settings.local().listPools());
        return Future.all(info, pools).compose(both -> {
            ImageInfo remote = info.result();
            String dataPool = DataPoolChoice.choose(settings.defaultDataPool().get(), remote.dataPool(),
                    settings.remoteNamespace().pool(), pools.result().stream().map(PoolInfo::name).toList());
            ImageOptions options = new ImageOptions(remote.size(), remote.order(),
                    withoutDataPoolFeature(remote.features()), dataPool);
            ImageSpec spec = new ImageSpec(settings.localNamespace(), remote.name());
            return on(settings.local().mirrorCreateNonPrimaryImage(spec, options, globalId,
                    settings.remoteMirrorUuid()));
        });
    }

    /**
     * The remote image's features without {@code data-pool}: that one follows from the data pool the
     * copy is created with (none when the remote's data pool does not exist here), as librbd sets it.
     */
    static Set<ImageFeature> withoutDataPoolFeature(Set<ImageFeature> features) {
        EnumSet<ImageFeature> local = EnumSet.noneOf(ImageFeature.class);
        local.addAll(features);
        local.remove(ImageFeature.DATA_POOL);
        return local;
    }

    /** Removes the local copy (snapshots first: an image with snapshots cannot be removed). */
    private Future<Void> deleteLocalImage() {
        Image image = localImage;
        return on(image.info()).compose(info -> on(image.listSnaps()).compose(snaps -> {
            Future<Void> chain = Future.succeededFuture();
            for (SnapInfo s : snaps) {
                chain = chain.compose(v -> on(image.removeSnapById(s.id())));
            }
            ImageSpec spec = new ImageSpec(settings.localNamespace(), info.name());
            // rbd-mirror's ImageDeleter disables mirroring with force first: a non-primary image
            // cannot be removed while mirrored
            return chain.compose(v -> on(image.mirrorDisable(true))).compose(v -> closeImages())
                    .compose(v -> removeLocal(spec, 1));
        }));
    }

    /**
     * Removes the local copy, again a second later while it is in use: the peer's daemon opens it
     * briefly on every change it sees (rbd-mirror's ImageDeleter retries "image has watchers" too).
     * Its mirroring is disabled by now, so no later pass would find it again: after the quick
     * attempts it is retried every {@link #REMOVE_RETRY_INTERVAL} until it goes or the replayer stops.
     */
    private Future<Void> removeLocal(ImageSpec spec, int attempt) {
        return on(settings.local().removeImage(spec)).recover(failure -> {
            if (failure instanceof ClusterException e && e.errno() == Errno.ENOENT) {
                return Future.succeededFuture();
            }
            if (phase == Phase.STOPPED || !(failure instanceof ClusterException e && e.errno() == Errno.EBUSY)) {
                return Future.failedFuture(failure);
            }
            if (attempt == REMOVE_ATTEMPTS) {
                settings.logger().warn("image {}: local copy {} still in use after {} attempts, retrying every {} s",
                        globalId, spec, REMOVE_ATTEMPTS, REMOVE_RETRY_INTERVAL.toSeconds());
            }
            Promise<Void> later = Promise.promise();
            settings.clock().schedule(attempt < REMOVE_ATTEMPTS ? Duration.ofSeconds(1) : REMOVE_RETRY_INTERVAL,
                    () -> settings.context().runOnContext(v -> later.complete()));
            return later.future().compose(v -> removeLocal(spec, attempt + 1));
        });
    }

    private Future<Void> copySnapshot(ReplayAction.CopySnapshot copy) {
        Promise<Void> slot = Promise.promise();
        Runnable granted = () -> settings.context().runOnContext(v -> slot.tryComplete());
        settings.syncs().acquire(granted);
        withdrawSlotWait = () -> {
            if (settings.syncs().withdraw(granted)) {
                slot.tryFail(new ImageCopier.CancelledCopy());
            }
        };
        return slot.future().compose(v -> copyWithSlot(copy)).onComplete(ar -> {
            if (slot.future().succeeded()) {
                settings.syncs().release();
            }
        });
    }

    private Future<Void> copyWithSlot(ReplayAction.CopySnapshot copy) {
        pending = copy.pendingSnapshots();
        syncingSnap = lastRemote.byId(copy.remoteEnd());
        Future<Long> localSnap = copy.resumeLocalSnapId() != null
                ? Future.succeededFuture(copy.resumeLocalSnapId())
                : on(localImage.mirrorCreateNonPrimarySnapshot(settings.remoteMirrorUuid(),
                        copy.remoteEnd(), Map.of(), copy.demoted()));
        long started = System.nanoTime();
        return localSnap.compose(localSnapId -> plan(copy).compose(plan -> {
            timing("snapshot created and planned", started);
            stats.syncStarted(settings.clock().now());
            return copyUserSnapshots(plan.segments(), plan.from()).compose(from -> {
                long resumeAt = plan.segments().isEmpty() ? copy.resumeObject() : 0;
                return copyFinal(copy.remoteEnd(), from, localSnapId, resumeAt);
            }).compose(v -> applySnapshotState(plan));
        }).compose(v -> on(localImage.mirrorSnapshotSetCopyProgress(localSnapId, true,
                syncing == null ? 0 : syncing.objectCount()))))
                .onSuccess(v -> stats.syncFinished(settings.clock().now()))
                .onSuccess(v -> timing("copy complete", started))
                .onComplete(ar -> syncing = null);
    }

    /** Debug timings of a copy's phases (milliseconds since {@code since}). */
    private void timing(String what, long since) {
        settings.logger().debug("image {}: {} after {} ms", globalId, what, (System.nanoTime() - since) / 1_000_000);
    }

    private Future<UserSnapshotPlan> plan(ReplayAction.CopySnapshot copy) {
        Future<List<SnapInfo>> remote = on(remoteImage.listSnaps());
        Future<List<SnapInfo>> local = on(localImage.listSnaps());
        return on(Future.all(remote, local)).map(both ->
                UserSnapshotPlan.of(copy.remoteStart(), copy.remoteEnd(), remote.result(), local.result()));
    }

    /** Copies up to each pending user snapshot in turn and takes it; answers where the rest starts. */
    private Future<Long> copyUserSnapshots(List<SnapInfo> segments, Long from) {
        if (segments.isEmpty() || phase == Phase.STOPPED) {
            return Future.succeededFuture(from);
        }
        SnapInfo next = segments.get(0);
        return copyRange(next.id(), from, null, 0).compose(v -> on(localImage.createSnap(next.name())))
                .compose(id -> copyUserSnapshots(segments.subList(1, segments.size()), next.id()));
    }

    private Future<Void> copyFinal(long remoteEnd, Long from, long localSnapId, long resumeObject) {
        return copyRange(remoteEnd, from, new ProgressRecorder(localSnapId), resumeObject);
    }

    /** Copies the remote image at {@code toSnap} over the local head, as the delta from {@code from}. */
    private Future<Void> copyRange(long toSnap, Long from, ProgressRecorder recorder, long resumeObject) {
        long started = System.nanoTime();
        return on(settings.remote().openImageAtSnap(settings.remoteNamespace(), remoteImageId, toSnap))
                .compose(atSnap -> on(atSnap.info()).compose(info -> resizeLocal(info.size()).compose(v -> {
                    SyncProgress progress = new SyncProgress(info.objectCount(), resumeObject);
                    if (recorder != null) {
                        syncing = progress;
                        publishedPercent = -1;
                        publishSyncing();
                    }
                    ImageCopier copier = new ImageCopier(settings.clock(), settings.objectsInFlight().getAsInt(),
                            settings.bandwidth());
                    return copier.copy(atSnap, from, localImage, info.size(), info.objectSize(), progress,
                                    bytes -> stats.bytesRead(settings.clock().now(), bytes),
                                    recorder == null ? p -> { } : recorder::progressed, () -> phase == Phase.STOPPED)
                            .onSuccess(x -> timing("data copied", started))
                            .compose(x -> on(localImage.flush()))
                            .onSuccess(x -> timing("data flushed", started))
                            .eventually(() -> recorder == null ? Future.succeededFuture() : recorder.idle());
                    // closed without waiting: nothing after the copy depends on it
                })).onComplete(ar -> atSnap.close()));
    }

    /** Removes user snapshots the primary dropped and protects those it protects. */
    private Future<Void> applySnapshotState(UserSnapshotPlan plan) {
        return on(localImage.listSnaps()).compose(local -> {
            Future<Void> chain = Future.succeededFuture();
            for (String name : plan.toRemove()) {
                boolean isProtected = local.stream().anyMatch(s -> s.name().equals(name) && s.isProtected());
                chain = chain.compose(v -> isProtected ? on(localImage.unprotectSnap(name)) : Future.succeededFuture())
                        .compose(v -> on(localImage.removeSnap(name)));
            }
            for (String name : plan.toProtect()) {
                if (local.stream().anyMatch(s -> s.name().equals(name))) {
                    chain = chain.compose(v -> on(localImage.protectSnap(name)));
                }
            }
            return chain;
        });
    }

    private Future<Void> resizeLocal(long size) {
        return on(localImage.info()).compose(info -> info.size() == size ? Future.succeededFuture()
                : on(localImage.resize(size)));
    }

    /** Persists copy progress, one update at a time, skipping ones overtaken while one is in flight. */
    private final class ProgressRecorder {
        private final long localSnapId;
        private final Pacer pacer = new Pacer(settings.context(), PROGRESS_INTERVAL, this::recordLatest);
        private SyncProgress latest;
        private Future<Void> inFlight = Future.succeededFuture();
        private boolean dirty;
        private long recorded;

        ProgressRecorder(long localSnapId) {
            this.localSnapId = localSnapId;
        }

        void progressed(SyncProgress progress) {
            settings.context().runOnContext(v -> {
                latest = progress;
                syncingStatus.changed();
                pacer.changed();
            });
        }

        private void recordLatest() {
            if (!inFlight.isComplete()) {
                dirty = true;
                return;
            }
            record(latest);
        }

        private void record(SyncProgress progress) {
            long prefix = progress.copiedPrefix();
            if (prefix == recorded || progress.complete() || phase == Phase.STOPPED || localImage == null) {
                return;
            }
            // flushed first, so that the recorded progress never runs ahead of durable data
            inFlight = on(localImage.flush())
                    .compose(v -> on(localImage.mirrorSnapshotSetCopyProgress(localSnapId, false, prefix)))
                    .onSuccess(v -> recorded = prefix)
                    .onComplete(ar -> {
                        if (dirty) {
                            dirty = false;
                            record(progress);
                        }
                    });
        }

        Future<Void> idle() {
            pacer.cancel();
            return inFlight.otherwiseEmpty();
        }
    }

    private void publishSyncing() {
        SyncProgress p = syncing;
        if (p == null || p.percent() == publishedPercent) {
            return;
        }
        publishedPercent = p.percent();
        if (phase == Phase.SYNCING) {
            publish(StatusTracker.initialSync(p.percent()));
        } else {
            publish(new StatusTracker.Status(MirrorImageStatusState.REPLAYING, replayStatus(p).description()));
        }
    }

    private SnapshotReplayStatus replayStatus(SyncProgress progress) {
        java.time.Instant now = settings.clock().now();
        return new SnapshotReplayStatus(stats.bytesPerSecond(now), stats.bytesPerSnapshot(), stats.lastSnapshotBytes(),
                stats.lastSnapshotSyncSeconds(),
                lastLocal == null || lastRemote == null ? null : ReplayTimestamps.local(lastLocal, lastRemote),
                lastRemote == null ? null : ReplayTimestamps.remote(lastRemote),
                progress == null || syncingSnap == null ? null : syncingSnap.timestamp(),
                progress == null ? null : progress.percent(), pending);
    }

    private void publish(StatusTracker.Status wanted) {
        if (phase == Phase.STOPPED) {
            return; // a stopping replayer's failing I/O says nothing about the image
        }
        StatusTracker.Status before = status.current();
        StatusTracker.Status now = status.update(wanted.state(), wanted.description());
        if (now.equals(before)) {
            return;
        }
        writeStatus(now);
    }

    /**
     * Writes a status on both sites, the peer's after this site's: the peer does not check this
     * replayer's fence, this site does, so a replayer whose image moved on writes neither.
     */
    private void writeStatus(StatusTracker.Status s) {
        java.time.Instant at = settings.clock().now();
        settings.local().mirrorImageStatusSet(settings.localNamespace(), globalId,
                new MirrorImageSiteStatus("", s.state(), s.description(), at, true)).onComplete(local -> {
                    if (local.failed() && ClusterException.errnoOf(local.cause()) == Errno.ESHUTDOWN) {
                        settings.context().runOnContext(v -> superseded(local.cause()));
                        return;
                    }
                    if (local.failed()) {
                        settings.logger().debug("image {}: local status not saved: {}", globalId, local.cause().getMessage());
                    }
                    settings.remote().mirrorImageStatusSet(settings.remoteNamespace(), globalId,
                            new MirrorImageSiteStatus(settings.localMirrorUuid(), s.state(), s.description(), at, true))
                            .onFailure(e -> settings.logger().debug("image {}: remote status not saved: {}", globalId,
                                    e.getMessage()));
                });
    }

    /** Rewrites the current status (rbd-mirror refreshes statuses periodically so last_update advances). */
    void republish() {
        settings.context().runOnContext(v -> {
            StatusTracker.Status s = status.current();
            if (s != null && !phase.isFinal()) {
                if (syncing == null && s.state() == MirrorImageStatusState.REPLAYING) {
                    s = new StatusTracker.Status(MirrorImageStatusState.REPLAYING, replayStatus(null).description());
                }
                writeStatus(s);
            }
        });
    }

    private Future<Void> removeStatuses() {
        return Future.join(on(settings.local().mirrorImageStatusRemove(settings.localNamespace(), globalId, "")),
                on(settings.remote().mirrorImageStatusRemove(settings.remoteNamespace(), globalId,
                        settings.localMirrorUuid()))).otherwiseEmpty().mapEmpty();
    }

    private Future<Void> closeImages() {
        List<Future<Void>> closing = new ArrayList<>();
        for (Watch w : new Watch[] {localWatch, remoteWatch}) {
            if (w != null) {
                closing.add(w.close());
            }
        }
        localWatch = null;
        remoteWatch = null;
        localWatchedId = null;
        remoteWatchedId = null;
        closing.add(closeHandles());
        return on(Future.join(closing).otherwiseEmpty().mapEmpty());
    }

    /** Closes the image handles; the header watches stay, so a change on either side still kicks. */
    private Future<Void> closeHandles() {
        List<Future<Void>> closing = new ArrayList<>();
        if (remoteImage != null) {
            closing.add(remoteImage.close());
        }
        if (localImage != null) {
            closing.add(localImage.close());
        }
        remoteImage = null;
        localImage = null;
        return on(Future.join(closing).otherwiseEmpty().mapEmpty());
    }

    private static String describe(Throwable failure) {
        if (failure instanceof StepFailure step) {
            return step.getMessage();
        }
        return "failed to refresh remote image";
    }

    /** A step failed: rbd-mirror's text for the step, with the cluster's failure as the cause. */
    static final class StepFailure extends RuntimeException {
        StepFailure(String text, Throwable cause) {
            super(text, cause, false, false);
        }
    }

    /** A removal that finds its target gone has done its job. */
    private static Future<Void> goneIsDone(Throwable failure) {
        return failure instanceof ClusterException e && e.errno() == Errno.ENOENT ? Future.succeededFuture()
                : Future.failedFuture(failure);
    }

    /** Brings a result back onto the module's context, where this replayer's state lives. */
    private <T> Future<T> on(Future<T> future) {
        Promise<T> promise = Promise.promise();
        future.onComplete(ar -> settings.context().runOnContext(v -> promise.handle(ar)));
        return promise.future();
    }
}
