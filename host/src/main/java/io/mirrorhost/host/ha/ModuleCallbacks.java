package io.mirrorhost.host.ha;

import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The listeners one module registered for a kind of event (leadership, assignment changes), called on
 * the module's verticle context while it runs; dropped when the module stops.
 */
public final class ModuleCallbacks<T> {
    private final Supplier<Context> moduleContext;
    private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();

    /** {@code moduleContext}: the module's verticle context, null while it is not running. */
    public ModuleCallbacks(Supplier<Context> moduleContext) {
        this.moduleContext = moduleContext;
    }

    void add(Consumer<T> listener) {
        listeners.add(listener);
    }

    void fire(T event) {
        Context context = moduleContext.get();
        if (context != null) {
            listeners.forEach(listener -> context.runOnContext(v -> listener.accept(event)));
        }
    }

    /** The module stopped (or starts again): its listeners belong to the run that registered them. */
    public void clear() {
        listeners.clear();
    }
}
