package io.mirrorhost.api.testing;

import io.mirrorhost.api.AssignmentChange;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.FenceToken;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A work assignment the test drives: {@link #acquire} and {@link #release} change this instance's
 * items and call the module's listeners at once, on the test's thread; the module's offers and its
 * release acknowledgements are kept for the test to read. {@link #alone} instead makes every item
 * offered this instance's, as a host with no {@code [hazelcast]} section does.
 */
public final class FakeWorkAssignment implements WorkAssignment {
    private final Supplier<Optional<FenceToken>> aloneUnder;
    private final List<Consumer<AssignmentChange>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Set<String>> offers = new HashMap<>();
    private final Map<String, Set<String>> mine = new HashMap<>();
    private final List<String> released = new CopyOnWriteArrayList<>();

    /** Driven by the test. */
    public FakeWorkAssignment() {
        this(Optional::empty);
    }

    private FakeWorkAssignment(Supplier<Optional<FenceToken>> aloneUnder) {
        this.aloneUnder = aloneUnder;
    }

    /**
     * The one instance of its site: each item offered is acquired under {@code term} read at the offer
     * (the site's leader term, while there is one), and one no longer offered is released.
     */
    public static FakeWorkAssignment alone(Supplier<Optional<FenceToken>> term) {
        return new FakeWorkAssignment(term);
    }

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
    public void offer(String scope, Set<String> items) {
        Set<String> before;
        synchronized (this) {
            offers.put(scope, Set.copyOf(items));
            before = mine(scope);
        }
        aloneUnder.get().ifPresent(term -> {
            before.stream().filter(item -> !items.contains(item)).sorted().forEach(item -> release(scope, item));
            items.stream().filter(item -> !before.contains(item)).sorted().forEach(item -> acquire(scope, item, term));
        });
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
