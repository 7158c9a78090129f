package io.mirrorhost.rbd.command;

import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.ModuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Every image, snapshot, pool and namespace command of the rbd module. */
public final class RbdCommands {

    private RbdCommands() {
    }

    /** @param context the module's context, or null until the module has started */
    public static List<CommandSpec> all(Supplier<ModuleContext> context) {
        List<CommandSpec> specs = new ArrayList<>();
        specs.addAll(new ImageCommands(context).specs());
        specs.addAll(new ObjectMapCommands(context).specs());
        specs.addAll(new SnapCommands(context).specs());
        specs.add(new DiffCommand(context).spec());
        specs.addAll(new DiskUsageCommand(context).specs());
        specs.addAll(new ExportImportCommands(context).specs());
        specs.add(new BenchCommand(context).spec());
        specs.addAll(new PoolCommands(context).specs());
        specs.addAll(new NamespaceCommands(context).specs());
        specs.addAll(new JournalCommands(context).specs());
        return List.copyOf(specs);
    }
}
