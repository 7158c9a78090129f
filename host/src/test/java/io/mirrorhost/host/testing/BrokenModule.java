package io.mirrorhost.host.testing;

import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test module "broken": its start fails (a failed future, or a thrown exception when {@link #THROW} is set)
 * while {@link #FAIL} is set, so a test can make a retry succeed.
 */
public final class BrokenModule implements MgrModule {
    public static final AtomicBoolean FAIL = new AtomicBoolean(true);
    public static final AtomicBoolean THROW = new AtomicBoolean(false);

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(CommandSpec.of("broken status", "say it runs",
                r -> Future.succeededFuture(CommandResult.ok("broken is running\n"))));
    }

    @Override
    public Future<Void> start(ModuleContext context) {
        if (FAIL.get()) {
            if (THROW.get()) {
                throw new IllegalStateException("broken threw while starting");
            }
            return Future.failedFuture("no spare disk for the broken module");
        }
        return Future.succeededFuture();
    }
}
