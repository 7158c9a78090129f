package io.mirrorhost.host;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.Cancellation;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one command request: finds the command, checks its module can serve, parses the arguments
 * against its {@link ArgSpec}s and runs the handler on the module's context. Every outcome becomes a
 * {@link CommandReply}; a user mistake never becomes a 500, an internal failure never shows a stack trace.
 */
final class CommandDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private final CommandCatalog catalog;
    private final ModuleManager modules;

    CommandDispatcher(CommandCatalog catalog, ModuleManager modules) {
        this.catalog = catalog;
        this.modules = modules;
    }

    /**
     * Serves {@code body}; {@code cancellation} is set when its client goes away, {@code files} says which
     * files its caller may name.
     */
    Future<CommandReply> dispatch(JsonObject body, Cancellation cancellation, FileAccess files) {
        try {
            return route(body, cancellation, files);
        } catch (CommandException e) {
            return Future.succeededFuture(CommandReply.error(e.errno(), "rbdm: " + e.getMessage()));
        }
    }

    private Future<CommandReply> route(JsonObject body, Cancellation cancellation, FileAccess files) {
        String prefix = text(body, "prefix").filter(p -> !p.isBlank()).orElseThrow(() ->
                CommandException.invalid("malformed request: 'prefix' must name the command, as \"mgr module ls\""));
        CommandCatalog.Match match = catalog.match(prefix).orElseThrow(() -> unknownCommand(prefix));
        CommandSpec spec = match.entry().spec();
        String module = match.entry().module();
        Optional<CommandReply> unavailable = availability(module, spec.prefix());
        if (unavailable.isPresent()) {
            return Future.succeededFuture(unavailable.get());
        }
        CommandRequest request = request(spec, match.extraWords(), body, cancellation, files);
        files.check(spec.args(), request.args());
        return run(module, spec, request);
    }

    private CommandException unknownCommand(String prefix) {
        String words = String.join(" ", prefix.trim().split("\\s+"));
        List<String> near = catalog.suggestions(words);
        String hint = near.isEmpty() ? " (bin/rbdm --help lists the commands)"
                : " (did you mean " + String.join(" or ", near.stream().map(p -> "'" + p + "'").toList()) + "?)";
        return CommandException.invalid("unknown command '" + words + "'" + hint);
    }

    /** A 503 reply when the command's module is not running, empty when it can serve. */
    private Optional<CommandReply> availability(String module, String prefix) {
        if (module.equals(CommandCatalog.HOST_MODULE)) {
            return Optional.empty();
        }
        ModuleManager.Slot slot = modules.slot(module).orElseThrow();
        String required = " (required by command '" + prefix + "')";
        return switch (slot.state) {
            case RUNNING -> Optional.empty();
            case DISABLED -> Optional.of(CommandReply.unavailable("Module '" + module + "' is not enabled" + required
                    + ": use `rbdm mgr module enable " + module + "` to enable it"));
            case FAILED -> Optional.of(CommandReply.unavailable("Module '" + module + "' failed to start" + required
                    + ": " + slot.error + "; use `rbdm mgr module enable " + module + "` to retry"));
            case STARTING, STOPPING -> Optional.of(CommandReply.unavailable("Module '" + module + "' is "
                    + slot.state.name().toLowerCase() + required + ": try again in a moment"));
        };
    }

    private CommandRequest request(CommandSpec spec, List<String> extraWords, JsonObject body,
                                   Cancellation cancellation, FileAccess files) {
        Map<String, Object> raw = rawArgs(body);
        List<ArgSpec> freePositionals = new ArrayList<>(spec.args().stream()
                .filter(a -> a.positional() && !raw.containsKey(a.name())).toList());
        for (String word : extraWords) {
            if (freePositionals.isEmpty()) {
                throw CommandException.invalid("too many arguments for '" + spec.prefix() + "': '" + word + "'");
            }
            raw.put(freePositionals.remove(0).name(), word);
        }
        Map<String, Object> args = ArgumentParser.parse(spec, raw);
        Object format = body.getValue("format");
        if (format != null && !(format instanceof String)) {
            throw CommandException.invalid("malformed request: 'format' must be plain, json or xml");
        }
        Object pretty = body.getValue("pretty_format");
        if (pretty != null && !(pretty instanceof Boolean)) {
            throw CommandException.invalid("malformed request: 'pretty_format' must be true or false");
        }
        return new CommandRequest(spec.prefix(), args, OutputFormat.parse((String) format),
                Boolean.TRUE.equals(pretty), input(body), cancellation, files);
    }

    private static Map<String, Object> rawArgs(JsonObject body) {
        Object args = body.getValue("args");
        if (args == null) {
            return new LinkedHashMap<>();
        }
        if (!(args instanceof JsonObject object)) {
            throw CommandException.invalid("malformed request: 'args' must be an object of argument values");
        }
        Map<String, Object> raw = new LinkedHashMap<>();
        object.forEach(e -> {
            Object value = e.getValue();
            if (value != null) {
                raw.put(e.getKey(), value instanceof JsonArray array ? array.getList()
                        : value instanceof JsonObject nested ? nested.getMap() : value);
            }
        });
        return raw;
    }

    private static byte[] input(JsonObject body) {
        Optional<String> encoded = text(body, "input_base64");
        if (encoded.isEmpty()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(encoded.get());
        } catch (IllegalArgumentException e) {
            throw CommandException.invalid("malformed request: 'input_base64' is not base64");
        }
    }

    private static Optional<String> text(JsonObject body, String key) {
        Object value = body.getValue(key);
        if (value != null && !(value instanceof String)) {
            throw CommandException.invalid("malformed request: '" + key + "' must be a string");
        }
        return Optional.ofNullable((String) value);
    }

    /** Runs the handler on the module's context (the caller's for built-ins) and maps its outcome. */
    private Future<CommandReply> run(String module, CommandSpec spec, CommandRequest request) {
        Context target = module.equals(CommandCatalog.HOST_MODULE) ? null
                : modules.slot(module).map(s -> s.context.verticleContext()).orElse(null);
        Promise<CommandResult> result = Promise.promise();
        Runnable call = () -> {
            try {
                Future<CommandResult> answer = spec.handler().handle(request);
                if (answer == null) {
                    result.fail(new IllegalStateException("handler of '" + spec.prefix() + "' returned no future"));
                } else {
                    answer.onComplete(result);
                }
            } catch (RuntimeException | LinkageError e) {
                result.fail(e);
            }
        };
        if (target == null) {
            call.run();
        } else {
            target.runOnContext(v -> call.run());
        }
        return result.future().transform(ar -> Future.succeededFuture(ar.succeeded() && ar.result() != null
                ? CommandReply.of(ar.result())
                : failure(module, spec, ar.succeeded() ? new IllegalStateException("null result") : ar.cause())));
    }

    private static CommandReply failure(String module, CommandSpec spec, Throwable e) {
        if (e instanceof CommandException ce) {
            return CommandReply.error(ce.errno(), ce.getMessage());
        }
        if (e instanceof ClusterException ce && ce.errno() != Errno.EIO) {
            // a module that let a cluster error through unworded: word it as rbd words such failures
            return CommandReply.error(ce.errno(), "rbdm: " + spec.prefix() + " failed: "
                    + (ce.getMessage() == null ? "" : ce.getMessage() + ": ") + ce.errno().describe());
        }
        LOG.error("module {} failed serving '{}'", module, spec.prefix(), e);
        return CommandReply.internal(module);
    }
}
