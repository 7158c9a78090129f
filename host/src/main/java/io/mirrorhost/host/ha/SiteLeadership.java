package io.mirrorhost.host.ha;

import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.cluster.FenceToken;
import java.util.Optional;
import java.util.function.Consumer;

/** One module's view of a {@link SoloSite}'s leadership. */
final class SoloLeadership implements Leadership {
    private final SoloSite site;
    private final ModuleCallbacks<Optional<FenceToken>> callbacks;

    SoloLeadership(SoloSite site, ModuleCallbacks<Optional<FenceToken>> callbacks) {
        this.site = site;
        this.callbacks = callbacks;
    }

    @Override
    public Optional<FenceToken> term() {
        return site.term();
    }

    @Override
    public void onChange(Consumer<Optional<FenceToken>> listener) {
        callbacks.add(listener);
    }

    @Override
    public void refused(FenceToken stale) {
        site.refused(stale);
    }
}
