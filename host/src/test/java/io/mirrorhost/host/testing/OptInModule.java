package io.mirrorhost.host.testing;

import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.vertx.core.Future;
import java.util.List;

/** Test module "optin": disabled on a new site. */
public final class OptInModule implements MgrModule {
    @Override
    public String name() {
        return "optin";
    }

    @Override
    public boolean enabledByDefault() {
        return false;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(CommandSpec.of("optin hello", "say hello",
                r -> Future.succeededFuture(CommandResult.ok("hello from optin\n"))));
    }

    @Override
    public Future<Void> start(ModuleContext context) {
        return Future.succeededFuture();
    }
}
