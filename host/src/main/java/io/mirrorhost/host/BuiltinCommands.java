package io.mirrorhost.host;

import io.mirrorhost.api.format.TextTable;
import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandHandler;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.host.ha.HostSite;
import io.mirrorhost.host.ha.SiteStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The host's own commands ({@code mgr module ls|enable|disable}, {@code mgr stat|dump}, {@code config
 * get|set|rm|ls}), worded as Ceph's {@code ceph mgr} and {@code ceph config} commands answer.
 */
final class BuiltinCommands {
    private static final Map<String, String> XML_ITEMS = Map.of(
            "always_on_modules", "module", "enabled_modules", "module", "disabled_modules", "module",
            "failed_modules", "module", "enum_allowed", "value", "config", "option");

    private final ModuleManager modules;
    private final ModuleOptions options;
    private final HostSite site;

    BuiltinCommands(ModuleManager modules, ModuleOptions options, HostSite site) {
        this.modules = modules;
        this.options = options;
        this.site = site;
    }

    /** The built-ins as the catalogue lists them without a host: same words and arguments, no host to serve them. */
    static List<CommandSpec> describe() {
        return new BuiltinCommands(null, null, null).specs();
    }

    List<CommandSpec> specs() {
        ArgSpec module = ArgSpec.positional("module", ArgType.STRING, "module name");
        ArgSpec key = ArgSpec.positional("key", ArgType.STRING, "option name, mgr/MODULE/OPTION");
        return List.of(
                CommandSpec.of("mgr module ls", "list the modules: always on, enabled, disabled",
                        bound(this::moduleLs)),
                CommandSpec.of("mgr module enable", "enable a module (at once, kept across restarts)",
                        bound(r -> modules.enable(r.string("module").orElseThrow()).map(this::note)), module),
                CommandSpec.of("mgr module disable", "disable a module (at once, kept across restarts)",
                        bound(r -> modules.disable(r.string("module").orElseThrow()).map(this::note)), module),
                CommandSpec.of("mgr stat", "show the site's leader and how many instances stand by",
                        bound(this::mgrStat)),
                CommandSpec.of("mgr dump", "show the site map: its leader, the instances and the modules",
                        bound(this::mgrDump)),
                CommandSpec.of("config get", "show a module option's current value", bound(this::configGet), key),
                CommandSpec.of("config set", "set a module option (checked against its declaration)",
                        bound(this::configSet), key,
                        ArgSpec.positional("value", ArgType.STRING, "the new value")),
                CommandSpec.of("config rm", "forget a module option's run-time value", bound(this::configRm), key),
                CommandSpec.of("config ls", "list every module option and its current value",
                        bound(this::configLs)));
    }

    private CommandHandler bound(Function<CommandRequest, Future<CommandResult>> handler) {
        return request -> {
            if (modules == null) {
                return Future.succeededFuture(CommandResult.error(Errno.EOPNOTSUPP,
                        "rbdm: '" + request.prefix() + "' is served by a running host (bin/mirrorhost)"));
            }
            try {
                return handler.apply(request).recover(e -> Future.succeededFuture(asError(e)));
            } catch (CommandException e) {
                return Future.succeededFuture(asError(e));
            }
        };
    }

    /** Ceph's CLI shows a failed manager command as {@code Error EINVAL: <reason>}. */
    private static CommandResult asError(Throwable e) {
        if (!(e instanceof CommandException ce)) {
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
        return new CommandResult(-ce.errno().code(), "", "Error " + ce.errno().name() + ": " + ce.getMessage());
    }

    private CommandResult note(String message) {
        return new CommandResult(0, "", message);
    }

    private Future<CommandResult> moduleLs(CommandRequest request) {
        List<ModuleManager.Slot> slots = modules.slots().stream()
                .sorted(Comparator.comparing(ModuleManager.Slot::name)).toList();
        if (request.format() == OutputFormat.PLAIN) {
            TextTable table = TextTable.leftAligned("MODULE", "      ").cellsEndWithOneSpace();
            slots.stream().filter(s -> s.module.alwaysOn()).forEach(s -> table.row(s.name(), state(s)));
            slots.stream().filter(s -> !s.module.alwaysOn() && s.state != ModuleManager.State.DISABLED)
                    .forEach(s -> table.row(s.name(), state(s)));
            slots.stream().filter(s -> !s.module.alwaysOn() && s.state == ModuleManager.State.DISABLED)
                    .forEach(s -> table.row(s.name(), "-"));
            return Future.succeededFuture(CommandResult.ok(table.render()));
        }
        JsonArray alwaysOn = new JsonArray();
        JsonArray enabled = new JsonArray();
        JsonArray disabled = new JsonArray();
        JsonArray failed = new JsonArray();
        for (ModuleManager.Slot slot : slots) {
            if (slot.module.alwaysOn()) {
                alwaysOn.add(slot.name());
            } else if (slot.state == ModuleManager.State.DISABLED) {
                disabled.add(new JsonObject().put("name", slot.name()).put("can_run", slot.canRun())
                        .put("error_string", slot.canRun() ? "" : slot.error)
                        .put("module_options", moduleOptions(slot)));
            } else {
                enabled.add(slot.name());
            }
            if (slot.state == ModuleManager.State.FAILED) {
                failed.add(new JsonObject().put("name", slot.name()).put("error_string", slot.error));
            }
        }
        JsonObject listing = new JsonObject().put("always_on_modules", alwaysOn).put("enabled_modules", enabled)
                .put("disabled_modules", disabled).put("failed_modules", failed);
        return Future.succeededFuture(CommandResult.ok(
                StructuredOutput.render(request.format(), request.prettyFormat(), "modules", listing, XML_ITEMS)));
    }

    /** As {@code ceph mgr stat}: json-pretty unless a format is asked for. */
    private Future<CommandResult> mgrStat(CommandRequest request) {
        SiteStatus status = site.status();
        JsonObject stat = new JsonObject().put("epoch", status.epoch()).put("available", status.leader().isPresent())
                .put("active_name", status.leader().orElse("")).put("num_standby", standbys(status).size());
        return Future.succeededFuture(CommandResult.ok(cephJson(request, "stat", stat)));
    }

    /**
     * The MgrMap keys of {@code ceph mgr dump} that mean something here ({@code gid}: an instance's place in
     * the member list, oldest first, which changes when instances restart), plus each instance and its role.
     */
    private Future<CommandResult> mgrDump(CommandRequest request) {
        SiteStatus status = site.status();
        List<String> live = status.instances();
        JsonArray standbys = new JsonArray();
        standbys(status).forEach(name -> standbys.add(new JsonObject().put("gid", live.indexOf(name) + 1)
                .put("name", name).put("available_modules", new JsonArray())));
        JsonArray instances = new JsonArray();
        for (String name : live) {
            boolean leads = status.leader().equals(java.util.Optional.of(name));
            JsonObject instance = new JsonObject().put("name", name).put("role", leads ? "leader" : "standby");
            instances.add(leads ? instance.put("leader_epoch", status.leaderEpoch()) : instance);
        }
        JsonObject dump = new JsonObject().put("epoch", status.epoch())
                .put("active_gid", status.leader().map(name -> live.indexOf(name) + 1).orElse(0))
                .put("active_name", status.leader().orElse("")).put("available", status.leader().isPresent())
                .put("standbys", standbys).put("modules", new JsonArray(modules.slots().stream()
                        .filter(s -> !s.module.alwaysOn() && s.state != ModuleManager.State.DISABLED)
                        .map(ModuleManager.Slot::name).sorted().toList()))
                .put("instances", instances);
        return Future.succeededFuture(CommandResult.ok(cephJson(request, "mgrmap", dump)));
    }

    private static List<String> standbys(SiteStatus status) {
        return status.instances().stream().filter(name -> !status.leader().equals(java.util.Optional.of(name))).toList();
    }

    /** The monitor's manager commands print json-pretty when no format is asked for. */
    private static String cephJson(CommandRequest request, String root, JsonObject value) {
        return request.format() == OutputFormat.PLAIN
                ? StructuredOutput.render(OutputFormat.JSON, true, root, value, XML_ITEMS)
                : StructuredOutput.render(request.format(), request.prettyFormat(), root, value, XML_ITEMS);
    }

    private static String state(ModuleManager.Slot slot) {
        String on = slot.module.alwaysOn() ? "on (always on)" : "on";
        return switch (slot.state) {
            case FAILED -> (slot.module.alwaysOn() ? "on (always on, " : "on (") + "failed: " + slot.error + ")";
            case STARTING -> on + " (starting)";
            default -> on;
        };
    }

    /** A module's options as Ceph's {@code module_options} describe them. */
    private static JsonObject moduleOptions(ModuleManager.Slot slot) {
        JsonObject described = new JsonObject();
        for (OptionSpec<?> o : slot.module.options()) {
            described.put(o.name(), new JsonObject().put("name", o.name()).put("type", cephType(o.type()))
                    .put("level", "advanced").put("flags", 1)
                    .put("default_value", o.defaultValue())
                    .put("min", o.min() == null ? "" : o.min().toString())
                    .put("max", o.max() == null ? "" : o.max().toString())
                    .put("enum_allowed", new JsonArray(List.copyOf(o.choices())))
                    .put("desc", o.description()).put("long_desc", "")
                    .put("tags", new JsonArray()).put("see_also", new JsonArray()));
        }
        return described;
    }

    private static String cephType(ArgType type) {
        return switch (type) {
            case STRING, CHOICE, PATH -> "str";
            case INT -> "int";
            case FLOAT -> "float";
            case BOOL -> "bool";
            case SIZE -> "size";
        };
    }

    /** {@code mgr/MODULE/OPTION} split into module and option. */
    private record OptionName(String module, String option) {
        static OptionName parse(String key) {
            String[] parts = key.split("/", -1);
            if (parts.length != 3 || !parts[0].equals("mgr") || parts[1].isEmpty() || parts[2].isEmpty()) {
                throw CommandException.invalid("unrecognized config option '" + key
                        + "' (module options are named mgr/MODULE/OPTION)");
            }
            return new OptionName(parts[1], parts[2]);
        }
    }

    private OptionName optionName(CommandRequest request) {
        OptionName name = OptionName.parse(request.string("key").orElseThrow());
        if (modules.slot(name.module()).isEmpty()) {
            throw CommandException.invalid("unrecognized config option 'mgr/" + name.module() + "/"
                    + name.option() + "': no module named '" + name.module() + "'");
        }
        return name;
    }

    private Future<CommandResult> configGet(CommandRequest request) {
        OptionName name = optionName(request);
        String shown = options.value(name.module(), name.option());
        if (request.format() == OutputFormat.PLAIN) {
            return Future.succeededFuture(CommandResult.ok(shown + "\n"));
        }
        return Future.succeededFuture(CommandResult.ok(request.format() == OutputFormat.XML
                ? "<value>" + shown.replace("&", "&amp;").replace("<", "&lt;") + "</value>\n"
                : io.vertx.core.json.Json.encode(shown) + "\n"));
    }

    private Future<CommandResult> configSet(CommandRequest request) {
        OptionName name = optionName(request);
        OptionSpec<?> option = options.spec(name.module(), name.option());
        return options.set(name.module(), name.option(), request.string("value").orElseThrow()).map(v -> {
            modules.optionChanged(name.module(), option);
            return CommandResult.ok();
        });
    }

    private Future<CommandResult> configRm(CommandRequest request) {
        OptionName name = optionName(request);
        OptionSpec<?> option = options.spec(name.module(), name.option());
        return options.remove(name.module(), name.option()).map(v -> {
            modules.optionChanged(name.module(), option);
            return CommandResult.ok();
        });
    }

    private Future<CommandResult> configLs(CommandRequest request) {
        JsonArray all = new JsonArray();
        TextTable table = TextTable.leftAligned("OPTION", "VALUE").cellsEndWithOneSpace();
        for (ModuleManager.Slot slot : modules.slots()) {
            options.values(slot.name()).forEach((option, value) -> {
                String key = "mgr/" + slot.name() + "/" + option;
                all.add(new JsonObject().put("name", key).put("value", value));
                table.row(key, value);
            });
        }
        if (request.format() == OutputFormat.PLAIN) {
            return Future.succeededFuture(CommandResult.ok(table.render()));
        }
        return Future.succeededFuture(CommandResult.ok(
                StructuredOutput.render(request.format(), request.prettyFormat(), "config", all, XML_ITEMS)));
    }
}
