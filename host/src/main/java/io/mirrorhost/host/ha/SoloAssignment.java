package io.mirrorhost.host.ha;

import io.mirrorhost.api.AssignmentChange;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.FenceToken;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One SPREAD module's work while a site has no image assigner: every item offered is this instance's, under the
 * site's term (the instance's only fence), as long as it leads; an item no longer offered is released.
 */
final class SoloAssignment implements WorkAssignment {
    private final HostSite site;
    private final ModuleCallbacks<AssignmentChange> callbacks;
    private final Map<String, Set<String>> mine = new HashMap<>();

    SoloAssignment(HostSite site, ModuleCallbacks<AssignmentChange> callbacks) {
        this.site = site;
        this.callbacks = callbacks;
    }

    @Override
    public void offer(String scope, Set<String> items) {
        Optional<FenceToken> term = site.term();
        Set<String> next = term.isPresent() ? Set.copyOf(items) : Set.of();
        Set<String> before;
        synchronized (this) {
            before = mine.getOrDefault(scope, Set.of());
            mine.put(scope, next);
        }
        before.stream().filter(item -> !next.contains(item)).sorted()
            .forEach(item -> callbacks.fire(new AssignmentChange.Release(scope, item)));
        next.stream().filter(item -> !before.contains(item)).sorted()
            .forEach(item -> callbacks.fire(new AssignmentChange.Acquire(scope, item, term.orElseThrow())));
    }

    @Override
    public void onChange(Consumer<AssignmentChange> listener) {
        callbacks.add(listener);
    }

    /** Alone, no other instance waits for the item: nothing to hand over. */
    @Override
    public void released(String scope, String item) {
    }

    @Override
    public synchronized Set<String> mine(String scope) {
        return new HashSet<>(mine.getOrDefault(scope, Set.of()));
    }
}
