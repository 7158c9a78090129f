package io.mirrorhost.api.testing;

import io.mirrorhost.api.AssignmentChange;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.FenceToken;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A work assignment the test drives: {@link #acquire} and {@link #release} change this instance's
 * items and call the module's listeners at once, on the test's thread; the module's offers and its
 * release acknowledgements are kept for the test to read.
 */
public final class FakeWorkAssignment implements WorkAssignment {
    private final List<Consumer<AssignmentChange>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Set<String>> offers = new HashMap<>();
    private final Map<String, Set<String>> mine = new HashMap<>();
    private final List<String> released = new CopyOnWriteArrayList<>();

    public void acquire(String scope, String item, FenceToken token) {
        synchronized (this) {
            mine.computeIfAbsent(scope, s -> new HashSet<>()).add(item);
        }
        fire(new AssignmentChange.Acquire(scope, item, token));
    }

    public void release(String scope, String item) {
        synchronized (this) {
            mine.getOrDefault(scope, new HashSet<>()).remove(item);
        }
        fire(new AssignmentChange.Release(scope, item));
    }

    /** The module's last offer of {@code scope}; empty if it made none. */
    public synchronized Set<String> offered(String scope) {
        return Set.copyOf(offers.getOrDefault(scope, Set.of()));
    }

    /** The releases the module acknowledged, as {@code scope/item}, in order. */
    public List<String> releasedItems() {
        return List.copyOf(released);
    }

    private void fire(AssignmentChange change) {
        listeners.forEach(listener -> listener.accept(change));
    }

    @Override
    public synchronized void offer(String scope, Set<String> items) {
        offers.put(scope, Set.copyOf(items));
    }

    @Override
    public void onChange(Consumer<AssignmentChange> listener) {
        listeners.add(listener);
    }

    @Override
    public void released(String scope, String item) {
        released.add(scope + "/" + item);
    }

    @Override
    public synchronized Set<String> mine(String scope) {
        return Set.copyOf(mine.getOrDefault(scope, Set.of()));
    }
}
