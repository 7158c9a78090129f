package io.mirrorhost.schedule;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandHandler;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/** The {@code mirror snapshot schedule add|remove|ls|status} commands, answering as rbd does. */
final class ScheduleCommands {
    private static final String PREFIX = "mirror snapshot schedule ";

    private final Supplier<ScheduleRuntime> runtime;

    ScheduleCommands(Supplier<ScheduleRuntime> runtime) {
        this.runtime = runtime;
    }

    List<CommandSpec> specs() {
        List<CommandSpec> specs = new ArrayList<>();
        specs.add(new CommandSpec(PREFIX + "add", withLevel(
                ArgSpec.positional("interval", ArgType.STRING, "schedule interval"),
                ArgSpec.positional("start-time", ArgType.STRING, "schedule start time").optional()),
                "Add mirror snapshot schedule.", handler("add", this::add)));
        for (String word : List.of("remove", "rm")) {
            specs.add(new CommandSpec(PREFIX + word, withLevel(
                    ArgSpec.positional("interval", ArgType.STRING, "schedule interval").optional(),
                    ArgSpec.positional("start-time", ArgType.STRING, "schedule start time").optional()),
                    "Remove mirror snapshot schedule.", handler("remove", this::remove)));
        }
        for (String word : List.of("ls", "list")) {
            specs.add(new CommandSpec(PREFIX + word, withLevel(
                    ArgSpec.flag("recursive", "list all schedules").withAliases("-R", "--recursive")),
                    "List mirror snapshot schedule.", handler("list", this::list)));
        }
        specs.add(new CommandSpec(PREFIX + "status", withLevel(), "Show mirror snapshot schedule status.",
                statusHandler()));
        return specs;
    }

    private static List<ArgSpec> withLevel(ArgSpec... more) {
        List<ArgSpec> args = new ArrayList<>();
        args.add(ArgSpec.option("pool", ArgType.STRING, "pool name").withAliases("-p", "--pool"));
        args.add(ArgSpec.option("namespace", ArgType.STRING, "namespace name"));
        args.add(ArgSpec.option("image", ArgType.STRING, "image name"));
        args.addAll(List.of(more));
        return args;
    }

    /** Wraps a handler: manager-side failures read as rbd prints them ({@code rbd: rbd mirror ... failed: (22) ...}). */
    private CommandHandler handler(String managerVerb, Function<CommandRequest, Future<CommandResult>> body) {
        return request -> {
            Future<CommandResult> result;
            try {
                result = body.apply(request);
            } catch (CommandException | ScheduleException | ClusterException e) {
                result = Future.failedFuture(e);
            }
            return result.recover(e -> Future.failedFuture(userError(managerVerb, e)));
        };
    }

    /**
     * rbd's {@code status} ignores the manager's failure and then fails to parse the empty answer:
     * it prints both errors and exits with EBADMSG (74). Reproduced, since rbd is right by definition.
     */
    private CommandHandler statusHandler() {
        CommandHandler plain = handler("status", this::status);
        return request -> plain.handle(request).recover(e -> {
            if (e instanceof CommandException ce && ce.getMessage().startsWith("rbd: rbd mirror snapshot schedule status failed")) {
                return Future.succeededFuture(new CommandResult(-EBADMSG, "",
                        ce.getMessage() + "\nrbd: invalid schedule status JSON received"));
            }
            return Future.failedFuture(e);
        });
    }

    /** EBADMSG, which {@link Errno} does not list. */
    static final int EBADMSG = 74;

    private static Throwable userError(String verb, Throwable e) {
        String command = "rbd: rbd mirror snapshot schedule " + verb + " failed: ";
        if (e instanceof ScheduleException) {
            return new CommandException(Errno.EINVAL, command + Errno.EINVAL.describe() + ": " + e.getMessage());
        }
        if (e instanceof ClusterException ce) {
            return new CommandException(ce.errno(), command + ce.errno().describe() + ": " + ce.getMessage());
        }
        return e;
    }

    private ScheduleRuntime started() {
        ScheduleRuntime r = runtime.get();
        if (r == null) {
            throw new CommandException(Errno.EAGAIN, "rbd: mirror-snapshot-schedule module is starting, try again");
        }
        return r;
    }

    private Future<CommandResult> add(CommandRequest request) {
        String name = LevelArgs.levelName(request);
        String interval = request.string("interval").orElse("");
        if (interval.isEmpty()) {
            throw CommandException.invalid("rbd: missing 'interval' argument");
        }
        String start = request.string("start-time").orElse("");
        ScheduleRuntime r = started();
        return r.scheduler().refreshRounds().compose(rounds -> r.store().resolveName(name).compose(level -> {
            ScheduleItem item = ScheduleItem.parse(interval, start);
            return r.store().loadLevel(level).compose(current -> r.scheduler().withSchedules(set -> {
                set.put(level, current);
                return set.add(level, item).copy();
            })).compose(updated -> r.store().save(level, updated).compose(v -> r.changed(level, true, rounds)));
        })).map(v -> CommandResult.ok());
    }

    private Future<CommandResult> remove(CommandRequest request) {
        String name = LevelArgs.levelName(request);
        String interval = request.string("interval").orElse("");
        String start = request.string("start-time").orElse("");
        ScheduleRuntime r = started();
        return r.scheduler().refreshRounds().compose(rounds -> r.store().resolveName(name)
                .compose(level -> r.store().loadLevel(level).compose(current -> {
                    ScheduleItem item = current == null || interval.isEmpty() ? null : ScheduleItem.parse(interval, start);
                    return r.scheduler().withSchedules(set -> {
                        set.put(level, current);
                        Schedule rest = current == null ? null : set.remove(level, item);
                        return rest == null ? null : rest.copy();
                    }).compose(left -> r.store().save(level, left).compose(v -> r.changed(level, false, rounds)));
                }))).map(v -> CommandResult.ok());
    }

    private Future<CommandResult> list(CommandRequest request) {
        String name = LevelArgs.levelName(request);
        ScheduleRuntime r = started();
        return r.store().resolveName(name).compose(level -> r.scheduler().withSchedules(set -> {
            TreeMap<String, Schedule> copies = new TreeMap<>();
            set.list(level).values().forEach(s -> copies.put(s.name(), s.copy()));
            return copies;
        })).map(byName -> {
            if (request.flag("recursive")) {
                return CommandResult.ok(ScheduleOutput.levels(byName, request.format(), request.prettyFormat()));
            }
            Schedule schedule = byName.get(name);
            if (schedule == null) {
                return CommandResult.error(Errno.ENOENT, "");
            }
            return CommandResult.ok(ScheduleOutput.level(schedule, request.format(), request.prettyFormat()));
        });
    }

    private Future<CommandResult> status(CommandRequest request) {
        String name = LevelArgs.levelName(request);
        ScheduleRuntime r = started();
        return r.store().resolveName(name).map(level -> CommandResult.ok(
                ScheduleOutput.status(r.scheduler().status(level), request.format(), request.prettyFormat())));
    }
}
