package io.mirrorhost.host.ha;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.map.IMap;
import io.mirrorhost.api.AssignmentChange;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Fencing;
import io.mirrorhost.host.ha.LeaderAction.Announce;
import io.mirrorhost.host.ha.LeaderAction.Contend;
import io.mirrorhost.host.ha.LeaderAction.ForceUnlock;
import io.mirrorhost.host.ha.LeaderAction.Lead;
import io.mirrorhost.host.ha.LeaderAction.LearnStoredEpoch;
import io.mirrorhost.host.ha.LeaderAction.PublishMembers;
import io.mirrorhost.host.ha.LeaderAction.StepDown;
import io.mirrorhost.host.ha.LeaderAction.TakeFence;
import io.mirrorhost.host.ha.LeaderAction.Wait;
import io.mirrorhost.host.ha.LeaderInput.FenceOutcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A site of several host instances joined in one Hazelcast cluster: the I/O around {@link LeaderElection}.
 * One thread of its own observes the site (members, the site map, the leader lock, the leader's beats),
 * asks the election for the next step and performs it, then observes again. The lock is a Hazelcast map
 * lock, which belongs to the thread that took it (so only this thread takes and releases it) and which
 * Hazelcast releases when its holder leaves the cluster. The leader beats on the event bus every
 * {@code leader_beat_ms}; the designated successor breaks the lock of a leader silent for
 * {@code leader_suspect_ms} (a paused process stays a member for seconds). Safety does not rest on the lock:
 * the leader writes under the leader fence's term, which the storage checks.
 */
public final class HazelcastSite implements HostSite {
    static final String SITE_MAP = "mirrorhost.site";
    static final String INSTANCE_ATTRIBUTE = "mirrorhost.instance";
    private static final String LOCK_KEY = "leader";
    private static final String RECORD_KEY = "site";
    private static final Duration FENCE_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastSite.class);

    private final Vertx vertx;
    private final HazelcastInstance hazelcast;
    private final IMap<String, String> siteMap;
    private final String self;
    private final Duration beat;
    private final Duration suspectAfter;
    private final String beatAddress;
    private final List<ModuleCallbacks<Optional<FenceToken>>> leadershipListeners = new CopyOnWriteArrayList<>();
    private final Semaphore wake = new Semaphore(0);
    private volatile Optional<FenceToken> term = Optional.empty();
    private volatile Optional<FenceOutcome> fence = Optional.empty();
    private volatile SiteMap lastSeen = SiteMap.NONE;
    private String lastSeenJson;
    private volatile boolean merging;
    private volatile boolean running;
    private volatile String lastBeatFrom;
    private volatile long lastBeatNanos;
    // owned by the site thread
    private boolean lockHeld;
    private long stepDownNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    private Optional<String> watchedLeader = Optional.empty();
    private long watchedSinceNanos;
    private Fencing fencing;
    private Thread thread;
    private MessageConsumer<JsonObject> beats;
    private UUID lifecycleListener;

    public HazelcastSite(Vertx vertx, HazelcastInstance hazelcast, String self, HazelcastConf conf) {
        this.vertx = vertx;
        this.hazelcast = hazelcast;
        this.siteMap = hazelcast.getMap(SITE_MAP);
        this.self = self;
        this.beat = conf.leaderBeat();
        this.suspectAfter = conf.leaderSuspect();
        this.beatAddress = "mirrorhost." + conf.clusterName() + ".beat";
    }

    /** The site of the Hazelcast instance that {@link HazelcastSetup#clusteredVertx} started for {@code self}. */
    public static HazelcastSite of(Vertx vertx, String self, HazelcastConf conf) {
        HazelcastInstance hazelcast = Hazelcast.getHazelcastInstanceByName(self);
        if (hazelcast == null) {
            throw new IllegalStateException("no Hazelcast instance " + self + ": Vert.x was not clustered for it");
        }
        return new HazelcastSite(vertx, hazelcast, self, conf);
    }

    /** Starts the site thread once this instance hears the leader's beats. */
    @Override
    public Future<Void> lead(Fencing cluster) {
        this.fencing = cluster;
        lifecycleListener = hazelcast.getLifecycleService().addLifecycleListener(event -> {
            merging = event.getState() == LifecycleState.MERGING;
            wake.release();
        });
        beats = vertx.eventBus().consumer(beatAddress, message -> {
            lastBeatFrom = message.body().getString("name");
            lastBeatNanos = System.nanoTime();
        });
        return beats.completion().map(v -> {
            running = true;
            thread = new Thread(this::run, "mirrorhost-site-" + self);
            thread.setDaemon(true);
            thread.start();
            return null;
        });
    }

    private void run() {
        while (running) {
            try {
                perform(LeaderElection.next(observe()));
            } catch (RuntimeException e) {
                if (!hazelcast.getLifecycleService().isRunning()) {
                    running = false;
                } else if (running) {
                    LOG.warn("instance {}: leader election step failed: {}", self, e.toString());
                    pause(beat);
                }
            }
        }
        if (lockHeld || term.isPresent()) {
            stepDown(hazelcast.getLifecycleService().isRunning() ? "the host stops" : "Hazelcast stopped");
        }
    }

    private LeaderInput observe() {
        lastSeenJson = siteMap.get(RECORD_KEY);
        SiteMap seen = SiteMap.fromJson(lastSeenJson);
        lastSeen = seen;
        long now = System.nanoTime();
        if (!seen.leader().equals(watchedLeader)) {
            watchedLeader = seen.leader();
            watchedSinceNanos = now;
        }
        // silence counts from a beat heard: an instance that joined hears nothing until the leader's event bus
        // knows its beat consumer, and a leader it never heard is left to Hazelcast's failure detection
        long lastHeard = watchedLeader.isPresent() && watchedLeader.get().equals(lastBeatFrom)
                ? Math.max(lastBeatNanos, watchedSinceNanos) : now;
        return new LeaderInput(self, instanceNames(), seen.instances(), seen.leader(), seen.leaderEpoch(), seen.known(),
                lockHeld, term,
                fence, Duration.ofNanos(now - lastHeard), Duration.ofNanos(now - stepDownNanos), suspectAfter,
                merging);
    }

    private void perform(LeaderAction action) {
        if (action instanceof Contend) {
            contend();
        } else if (action instanceof Wait) {
            pause(beat);
        } else if (action instanceof LearnStoredEpoch) {
            learnStoredEpoch();
        } else if (action instanceof TakeFence take) {
            takeFence(take.known());
        } else if (action instanceof Announce announce) {
            announce(announce.term());
        } else if (action instanceof PublishMembers) {
            write(lastSeen.listing(instanceNames()));
        } else if (action instanceof Lead) {
            vertx.eventBus().publish(beatAddress, new JsonObject().put("name", self));
            pause(beat);
        } else if (action instanceof ForceUnlock force) {
            LOG.warn("instance {}: leader {} silent for {} ms or more: breaking its lock", self, force.leader(),
                    suspectAfter.toMillis());
            siteMap.forceUnlock(LOCK_KEY);
            watchedSinceNanos = System.nanoTime(); // a full suspicion period for whoever takes the lock now
        } else if (action instanceof StepDown down) {
            stepDown(down.reason());
        }
    }

    /** Waits a beat for the lock: Hazelcast hands it over when its holder unlocks it or leaves the cluster. */
    private void contend() {
        try {
            lockHeld = siteMap.tryLock(LOCK_KEY, beat.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** A site formed afresh knows no epoch: the storage's is the one to start from. */
    private void learnStoredEpoch() {
        long stored = await(fencing.fenceGet(SoloSite.LEADER_FENCE)
                .recover(e -> ClusterException.errnoOf(e) == Errno.EOPNOTSUPP
                        ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e)))
                .map(FenceRecord::epoch).orElse(0L);
        write(lastSeen.intending(stored));
    }

    /** The intent goes first, so that a successor knows {@code known + 1} even if this instance dies taking it. */
    private void takeFence(long known) {
        if (!write(lastSeen.intending(Math.max(lastSeen.intent(), known + 1)))) {
            return;
        }
        try {
            fence = Optional.of(new FenceOutcome.Taken(await(fencing.fenceTake(SoloSite.LEADER_FENCE, known, self))));
        } catch (ClusterException e) {
            if (e.errno() == Errno.EOPNOTSUPP) {
                LOG.info("the cluster cannot fence ({}): instance {} leads unfenced", e.getMessage(), self);
                fence = Optional.of(new FenceOutcome.Taken(new FenceToken(SoloSite.LEADER_FENCE, known + 1)));
            } else {
                fence = Optional.of(new FenceOutcome.NotTaken(e.getMessage()));
            }
        }
    }

    private void announce(FenceToken taken) {
        if (!write(lastSeen.announcing(self, taken.epoch(), instanceNames()))) {
            return; // the site map changed meanwhile: observe again, then announce (or step down)
        }
        fence = Optional.empty();
        term = Optional.of(taken);
        LOG.info("instance {} leads the site (term {})", self, taken);
        vertx.eventBus().publish(beatAddress, new JsonObject().put("name", self));
        leadershipListeners.forEach(callbacks -> callbacks.fire(term));
    }

    /**
     * Replaces the site map as this instance last saw it: a writer that missed a change (a lock holder whose
     * lock was broken while it was paused) writes nothing, observes again and learns the change.
     */
    private boolean write(SiteMap next) {
        return lastSeenJson == null ? siteMap.putIfAbsent(RECORD_KEY, next.toJson()) == null
                : siteMap.replace(RECORD_KEY, lastSeenJson, next.toJson());
    }

    /** No longer the announced leader, so that the successor does not wait for its beats (best effort: it may be gone). */
    private void withdraw() {
        if (lockHeld && lastSeen.leader().equals(Optional.of(self))) {
            try {
                write(lastSeen.withdrawn());
            } catch (RuntimeException e) {
                LOG.debug("instance {}: cannot withdraw from the site map: {}", self, e.toString());
            }
        }
    }

    /** Modules first (they stop acting), then the lock (it may have been broken already: nothing to release then). */
    private void stepDown(String reason) {
        fence = Optional.empty();
        if (term.isPresent()) {
            LOG.warn("instance {} no longer leads (term {}): {}", self, term.get(), reason);
            term = Optional.empty();
            leadershipListeners.forEach(callbacks -> callbacks.fire(Optional.empty()));
            withdraw();
        } else {
            LOG.info("instance {} does not lead: {}", self, reason);
        }
        if (lockHeld) {
            lockHeld = false;
            try {
                siteMap.unlock(LOCK_KEY);
            } catch (IllegalMonitorStateException | HazelcastInstanceNotActiveException e) {
                LOG.debug("instance {}: the leader lock was broken or went with Hazelcast: {}", self, e.toString());
            }
        }
        stepDownNanos = System.nanoTime();
    }

    private void pause(Duration duration) {
        try {
            wake.tryAcquire(duration.toMillis(), TimeUnit.MILLISECONDS);
            wake.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** The site thread's own wait for a fence call, which runs on the cluster's threads. */
    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(FENCE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking the leader fence", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the cluster did not answer a fence call within " + FENCE_TIMEOUT, e);
        }
    }

    @Override
    public Optional<FenceToken> term() {
        return term;
    }

    @Override
    public void refused(FenceToken stale) {
        if (term.equals(Optional.of(stale))) {
            fence = Optional.of(new FenceOutcome.Refused(stale));
            wake.release();
        }
    }

    @Override
    public Leadership leadership(ModuleCallbacks<Optional<FenceToken>> callbacks) {
        leadershipListeners.add(callbacks);
        return new SiteLeadership(this, callbacks);
    }

    /** Until the leader assigns work items to instances, the leader does all of them. */
    @Override
    public WorkAssignment assignment(ModuleCallbacks<AssignmentChange> callbacks) {
        return new SoloAssignment(this, callbacks);
    }

    @Override
    public String instanceName() {
        return self;
    }

    @Override
    public Optional<String> leaderName() {
        return lastSeen.leader();
    }

    @Override
    public List<String> instanceNames() {
        return hazelcast.getCluster().getMembers().stream()
                .map(member -> member.getAttribute(INSTANCE_ATTRIBUTE)).filter(Objects::nonNull).toList();
    }

    @Override
    public SiteStatus status() {
        return lastSeen.status(instanceNames());
    }

    /** Stops the site thread; a leader steps down on its way out, so that another instance takes over at once. */
    @Override
    public Future<Void> close() {
        running = false;
        wake.release();
        if (lifecycleListener != null) {
            hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
        }
        Future<Void> unregistered = beats == null ? Future.succeededFuture() : beats.unregister();
        return unregistered.compose(v -> vertx.executeBlocking(() -> {
            if (thread != null) {
                thread.join(FENCE_TIMEOUT.toMillis() + beat.toMillis());
            }
            return null;
        }, false));
    }
}
