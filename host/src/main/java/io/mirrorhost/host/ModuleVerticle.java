package io.mirrorhost.host;

import io.mirrorhost.api.MgrModule;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Supplier;

/** Runs one module on its own event-loop context: start on deploy, stop on undeploy. */
final class ModuleVerticle extends VerticleBase {
    private final MgrModule module;
    private final HostModuleContext moduleContext;

    ModuleVerticle(MgrModule module, HostModuleContext moduleContext) {
        this.module = module;
        this.moduleContext = moduleContext;
    }

    @Override
    public Future<?> start() {
        moduleContext.attach(context);
        Future<Void> started = guarded(() -> module.start(moduleContext));
        return started.onFailure(e -> moduleContext.attach(null));
    }

    @Override
    public Future<?> stop() {
        return guarded(module::stop).onComplete(ar -> moduleContext.attach(null));
    }

    /** A module that throws or returns null fails like one that returns a failed future. */
    private Future<Void> guarded(Supplier<Future<Void>> call) {
        try {
            Future<Void> result = call.get();
            return result != null ? result
                    : Future.failedFuture(new IllegalStateException("module " + module.name() + " returned no future"));
        } catch (RuntimeException | LinkageError e) {
            return Future.failedFuture(e);
        }
    }
}
