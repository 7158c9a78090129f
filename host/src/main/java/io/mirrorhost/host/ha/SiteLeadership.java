package io.mirrorhost.host.ha;

import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.cluster.FenceToken;
import java.util.Optional;
import java.util.function.Consumer;

/** One module's view of its site's leadership. */
final class SiteLeadership implements Leadership {
    private final HostSite site;
    private final ModuleCallbacks<Optional<FenceToken>> callbacks;

    SiteLeadership(HostSite site, ModuleCallbacks<Optional<FenceToken>> callbacks) {
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
