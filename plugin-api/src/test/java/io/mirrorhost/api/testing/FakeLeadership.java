package io.mirrorhost.api.testing;

import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Fencing;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A leadership the test moves: {@link #change} sets the term and calls the module's listeners at once,
 * on the test's thread; what the module reported refused is kept for the test to read. It does not
 * step down by itself on a refusal: the test decides when the host would.
 */
public final class FakeLeadership implements Leadership {
    private final List<Consumer<Optional<FenceToken>>> listeners = new CopyOnWriteArrayList<>();
    private final List<FenceToken> refused = new CopyOnWriteArrayList<>();
    private volatile Optional<FenceToken> term;

    private FakeLeadership(Optional<FenceToken> term) {
        this.term = term;
    }

    public static FakeLeadership leading(FenceToken term) {
        return new FakeLeadership(Optional.of(term));
    }

    /**
     * Leading a site alone on {@code cluster}, as a host with no {@code [hazelcast]} section does: under
     * the epoch after the stored one of fence {@code leader}, taken by {@code holder}, so that the
     * cluster admits the writes made under it.
     */
    public static Future<FakeLeadership> leadingAlone(Fencing cluster, String holder) {
        return cluster.fenceGet(TestModuleContext.SOLO_TERM.name())
            .compose(stored -> cluster.fenceTake(TestModuleContext.SOLO_TERM.name(),
                stored.map(FenceRecord::epoch).orElse(0L), holder))
            .map(FakeLeadership::leading);
    }

    public static FakeLeadership standby() {
        return new FakeLeadership(Optional.empty());
    }

    /** Gains ({@code next} present) or loses (empty) leadership, as the host tells a module. */
    public void change(Optional<FenceToken> next) {
        term = next;
        listeners.forEach(listener -> listener.accept(next));
    }

    /** The terms the module reported refused, in order. */
    public List<FenceToken> refusedTerms() {
        return List.copyOf(refused);
    }

    @Override
    public Optional<FenceToken> term() {
        return term;
    }

    @Override
    public void onChange(Consumer<Optional<FenceToken>> listener) {
        listeners.add(listener);
    }

    @Override
    public void refused(FenceToken stale) {
        refused.add(stale);
    }
}
