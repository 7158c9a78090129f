package io.mirrorhost.host.testing;

import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.vertx.core.Future;
import java.util.List;

/** Test module "core": always on. */
public final class CoreModule implements MgrModule {
    @Override
    public String name() {
        return "core";
    }

    @Override
    public boolean alwaysOn() {
        return true;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(CommandSpec.of("core status", "say it runs",
                r -> Future.succeededFuture(CommandResult.ok("core is running\n"))));
    }

    @Override
    public Future<Void> start(ModuleContext context) {
        return Future.succeededFuture();
    }
}
