package io.mirrorhost.rbd;

import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.RunMode;
import io.mirrorhost.rbd.command.ImportMarkers;
import io.mirrorhost.rbd.command.RbdCommands;
import io.mirrorhost.rbd.mirror.MirrorCommands;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The always-on {@code rbd} module: rbd's image, snapshot, pool, namespace and mirroring commands with
 * rbd's syntax, outputs and error wording, over the cluster SPI.
 */
public final class RbdModule implements MgrModule {
    private volatile ModuleContext context;
    private final List<CommandSpec> commands = allCommands();

    private List<CommandSpec> allCommands() {
        List<CommandSpec> all = new ArrayList<>(RbdCommands.all(() -> context));
        all.addAll(MirrorCommands.commands(() -> context));
        all.addAll(io.mirrorhost.rbd.command.AuthCommands.specs(() -> context));
        return List.copyOf(all);
    }

    @Override
    public String name() {
        return "rbd";
    }

    @Override
    public RunMode runMode() {
        return RunMode.EVERYWHERE;
    }

    @Override
    public String description() {
        return "rbd's image, snapshot, pool, namespace and mirroring commands";
    }

    @Override
    public boolean alwaysOn() {
        return true;
    }

    @Override
    public List<CommandSpec> commands() {
        return commands;
    }

    @Override
    public Future<Void> start(ModuleContext context) {
        this.context = context;
        return ImportMarkers.recover(context).recover(failure -> {
            context.logger().warn("could not remove the images of imports cut short: {}", failure.getMessage());
            return Future.succeededFuture();
        });
    }

    @Override
    public Future<Void> stop() {
        context = null;
        return Future.succeededFuture();
    }
}
