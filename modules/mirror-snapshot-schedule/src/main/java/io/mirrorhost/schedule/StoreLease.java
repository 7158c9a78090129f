package io.mirrorhost.schedule;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Leadership as a lease in the module store ({@code scheduler_lease}: owner and expiry), renewed
 * every third of its length; a standby takes it once it has expired. Taking and renewing are a
 * compare-and-set against the lease as read, so of two standbys racing for an expired lease one
 * wins. Where the store has no compare-and-set (Ceph's config-key), the write is read back instead,
 * which leaves a window where both may lead until the loser's next renewal (Hazelcast closes it).
 */
final class StoreLease implements Leadership {
    static final String KEY = "scheduler_lease";

    private final KeyValueStore store;
    private final Clock clock;
    private final Duration length;
    private final String owner;
    private final Logger log;
    private Clock.Timer timer;
    private volatile boolean leader;
    private Runnable onGained = () -> { };
    private Runnable onLost = () -> { };
    private boolean compareAndSet = true;

    StoreLease(KeyValueStore store, Clock clock, Duration length, String owner, Logger log) {
        this.store = store;
        this.clock = clock;
        this.length = length;
        this.owner = owner;
        this.log = log;
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public void start(Runnable gained, Runnable lost) {
        this.onGained = gained;
        this.onLost = lost;
        timer = clock.every(length.dividedBy(3), this::renew);
        renew();
    }

    /** One round: keep or take the lease if it is ours or free. */
    Future<Void> renew() {
        return store.get(KEY).compose(current -> {
            Instant now = clock.now();
            JsonObject lease = current.map(JsonObject::new).orElse(null);
            boolean free = lease == null || owner.equals(lease.getString("owner"))
                    || Instant.parse(lease.getString("expires")).isBefore(now);
            if (!free) {
                setLeader(false);
                return Future.succeededFuture();
            }
            String mine = new JsonObject().put("owner", owner).put("expires", now.plus(length).toString()).encode();
            return take(current.orElse(null), mine).map(won -> {
                setLeader(won);
                return (Void) null;
            });
        }).recover(e -> {
            log.warn("scheduler lease: {}", e.getMessage());
            setLeader(false);
            return Future.succeededFuture();
        });
    }

    /** Replaces the lease as read with ours; true when ours is what the store now holds. */
    private Future<Boolean> take(String asRead, String mine) {
        if (!compareAndSet) {
            return putAndReadBack(mine);
        }
        return store.compareAndSet(KEY, asRead, mine).recover(e -> {
            if (ClusterException.errnoOf(e) != Errno.EOPNOTSUPP) {
                return Future.failedFuture(e);
            }
            compareAndSet = false;
            log.warn("scheduler lease: the module store has no compare-and-set; two standbys may both lead for a"
                    + " moment after a failover");
            return putAndReadBack(mine);
        });
    }

    private Future<Boolean> putAndReadBack(String mine) {
        return store.put(KEY, mine).compose(v -> store.get(KEY)).map(readBack -> readBack.map(JsonObject::new)
                .map(j -> owner.equals(j.getString("owner"))).orElse(false));
    }

    /**
     * Renewals overlap and complete on store threads: the flag and the callbacks change under one lock,
     * so the scheduler hears gained and lost in the order the flag took them and ends where the flag is.
     */
    private synchronized void setLeader(boolean now) {
        boolean was = leader;
        leader = now;
        if (now && !was) {
            log.info("scheduler lease taken by {}", owner);
            onGained.run();
        } else if (was && !now) {
            onLost.run();
        }
    }

    @Override
    public void stop() {
        abandon();
        store.get(KEY).compose(current -> current.map(JsonObject::new)
                .filter(j -> owner.equals(j.getString("owner")))
                .map(j -> store.remove(KEY)).orElse(Future.succeededFuture()));
    }

    @Override
    public void abandon() {
        if (timer != null) {
            timer.cancel();
        }
        leader = false;
    }
}
