package io.mirrorhost.api.testing;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.OutputFormat;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a module's commands from a command line, as {@code bin/rbdm} and the host do: the longest
 * declared prefix of the words picks the command, the rest are positionals and {@code --options}
 * typed by their {@link ArgSpec} (defaults filled in), {@code --format json} and {@code --pretty-format}
 * choose the output, and the handler runs on the module's event-loop context. A {@link CommandException}
 * becomes {@code -errno} with its message on standard error, as the host reports it.
 *
 * <p>Arguments are split on spaces, so values with spaces cannot be given; none of the scenarios need one.
 */
public final class ModuleCommandLine {
    private final MgrModule module;
    private final Context context;

    public ModuleCommandLine(MgrModule module, Context context) {
        this.module = module;
        this.context = context;
    }

    /** Runs {@code line} ({@code "snap create pool/image@s1"}). */
    public CommandResult run(String line) {
        List<String> words = new ArrayList<>(Arrays.asList(line.trim().split(" +")));
        CommandSpec spec = command(words);
        List<String> rest = words.subList(spec.words().size(), words.size());
        OutputFormat format = OutputFormat.PLAIN;
        boolean pretty = false;
        Map<String, Object> args = new HashMap<>();
        List<ArgSpec> positionals = spec.args().stream().filter(ArgSpec::positional).toList();
        int nextPositional = 0;
        for (int i = 0; i < rest.size(); i++) {
            String word = rest.get(i);
            if (word.equals("--format")) {
                format = OutputFormat.valueOf(rest.get(++i).toUpperCase(Locale.ROOT));
            } else if (word.equals("--pretty-format")) {
                pretty = true;
            } else if (word.startsWith("-") && !word.equals("-")) {
                ArgSpec arg = option(spec, word);
                put(args, arg, arg.type() == ArgType.BOOL ? Boolean.TRUE : typed(arg, rest.get(++i)));
            } else {
                if (nextPositional >= positionals.size()) {
                    throw new IllegalArgumentException("too many positionals for '" + spec.prefix() + "': " + line);
                }
                ArgSpec arg = positionals.get(nextPositional);
                put(args, arg, typed(arg, word));
                if (!arg.repeated()) {
                    nextPositional++;
                }
            }
        }
        for (ArgSpec arg : spec.args()) {
            if (!args.containsKey(arg.name()) && arg.defaultValue() != null) {
                put(args, arg, arg.type() == ArgType.BOOL ? Boolean.valueOf(arg.defaultValue())
                        : typed(arg, arg.defaultValue()));
            }
        }
        return handle(spec, new CommandRequest(spec.prefix(), args, format, pretty, null));
    }

    /** Runs an already typed request (its prefix names the command exactly). */
    public CommandResult run(CommandRequest request) {
        CommandSpec spec = module.commands().stream().filter(c -> c.prefix().equals(request.prefix())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("module " + module.name() + " has no command '"
                        + request.prefix() + "'"));
        return handle(spec, request);
    }

    /** Runs {@code line} and returns its standard output, failing the test if the command failed. */
    public String ok(String line) {
        CommandResult result = run(line);
        if (result.code() != 0) {
            throw new AssertionError("'" + line + "' failed with " + result.code() + ": " + result.stderr());
        }
        return result.stdout();
    }

    private CommandSpec command(List<String> words) {
        return module.commands().stream()
                .filter(c -> c.words().size() <= words.size() && words.subList(0, c.words().size()).equals(c.words()))
                .max((x, y) -> Integer.compare(x.words().size(), y.words().size()))
                .orElseThrow(() -> new IllegalArgumentException("module " + module.name() + " has no command for "
                        + words));
    }

    private static ArgSpec option(CommandSpec spec, String word) {
        return spec.args().stream().filter(a -> !a.positional() && a.aliases().contains(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + spec.prefix() + "' has no option " + word));
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> args, ArgSpec arg, Object value) {
        if (arg.repeated()) {
            ((List<Object>) args.computeIfAbsent(arg.name(), k -> new ArrayList<>())).add(value);
        } else {
            args.put(arg.name(), value);
        }
    }

    /** The value as the host's parser types it: INT and SIZE as Long, FLOAT as Double, the rest as text. */
    private static Object typed(ArgSpec arg, String text) {
        return switch (arg.type()) {
            case INT -> Long.parseLong(text);
            case SIZE -> size(text);
            case FLOAT -> Double.parseDouble(text);
            case BOOL -> Boolean.parseBoolean(text);
            case STRING, CHOICE, PATH -> text;
        };
    }

    /** Bytes in {@code 1024}, {@code 8M}, {@code 1G} (binary units, as rbd). */
    private static long size(String text) {
        String units = "BKMGTPE";
        char last = Character.toUpperCase(text.charAt(text.length() - 1));
        int unit = units.indexOf(last);
        return unit < 0 ? Long.parseLong(text) : Long.parseLong(text.substring(0, text.length() - 1)) << (10 * unit);
    }

    private CommandResult handle(CommandSpec spec, CommandRequest request) {
        Promise<CommandResult> promise = Promise.promise();
        context.runOnContext(v -> {
            Future<CommandResult> result;
            try {
                result = spec.handler().handle(request);
            } catch (RuntimeException e) {
                result = Future.failedFuture(e);
            }
            result.onComplete(promise);
        });
        try {
            return Deadlines.await(promise.future());
        } catch (CommandException e) {
            return new CommandResult(-e.errno().code(), "", e.getMessage());
        }
    }
}
