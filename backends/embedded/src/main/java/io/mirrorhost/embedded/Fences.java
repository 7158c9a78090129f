package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceToken;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fences of one store as the running server enforces them: each fence's current epoch (loaded
 * from the {@code fences} table, advanced by a take), the calls running under each epoch, and how many
 * calls were refused. A take waits until the calls under older epochs have finished, so no write made
 * under an older token lands after the take returns. Thread-safe: calls enter from any thread.
 */
final class Fences {
    private static final Logger LOG = LoggerFactory.getLogger(Fences.class);

    private record Drain(String name, long below, Promise<Void> done) {
    }

    private final Map<String, Long> current = new HashMap<>();
    /** Per fence: running calls by the epoch they entered under. */
    private final Map<String, Map<Long, Integer>> running = new HashMap<>();
    private final Map<String, Long> refused = new HashMap<>();
    private final List<Drain> drains = new ArrayList<>();

    Fences(Map<String, Long> stored) {
        current.putAll(stored);
    }

    /** Before a mutating call under {@code token}: ESHUTDOWN if the token is not the fence's current one. */
    synchronized void enter(FenceToken token, String call, String client) {
        long epoch = current.getOrDefault(token.name(), 0L);
        if (!FenceRules.admits(epoch, token.epoch())) {
            refused.merge(token.name(), 1L, Long::sum);
            LOG.warn("fence refused {} from {} ({} epoch {}, current {})", call, client, token.name(), token.epoch(), epoch);
            throw new ClusterException(Errno.ESHUTDOWN, "fenced: " + token.name() + " epoch " + token.epoch()
                + " superseded by " + epoch);
        }
        running.computeIfAbsent(token.name(), n -> new HashMap<>()).merge(token.epoch(), 1, Integer::sum);
    }

    /** After a call admitted by {@link #enter} has completed, however it ended. */
    void exit(FenceToken token) {
        List<Promise<Void>> drained;
        synchronized (this) {
            running.get(token.name()).computeIfPresent(token.epoch(), (e, n) -> n == 1 ? null : n - 1);
            drained = settledDrains();
        }
        drained.forEach(Promise::complete);
    }

    /**
     * After a take committed {@code epoch}: refuses older tokens from now on; completes once the calls
     * they had running have finished.
     */
    Future<Void> advance(String name, long epoch) {
        Promise<Void> done = Promise.promise();
        List<Promise<Void>> drained;
        synchronized (this) {
            current.put(name, epoch);
            drains.add(new Drain(name, epoch, done));
            drained = settledDrains();
        }
        drained.forEach(Promise::complete);
        return done.future();
    }

    synchronized long refused(String name) {
        return refused.getOrDefault(name, 0L);
    }

    /** Under the lock: removes the drains with nothing left running below them; completed by the caller, outside it. */
    private List<Promise<Void>> settledDrains() {
        List<Promise<Void>> settled = new ArrayList<>();
        for (Iterator<Drain> it = drains.iterator(); it.hasNext(); ) {
            Drain drain = it.next();
            Map<Long, Integer> byEpoch = running.getOrDefault(drain.name(), Map.of());
            if (byEpoch.keySet().stream().noneMatch(e -> e < drain.below())) {
                it.remove();
                settled.add(drain.done());
            }
        }
        return settled;
    }
}
