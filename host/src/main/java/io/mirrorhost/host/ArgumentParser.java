package io.mirrorhost.host;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.ValueParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where a command's arguments are parsed and checked against their declarations
 * ({@link ArgSpec}): known, required, repeated, and each value through {@link ValueParser} (type, choices
 * and range, as module options are). The host dispatcher and the CLI both call it, so a command line means
 * the same everywhere. Every error is a {@link CommandException} (EINVAL) naming the argument and the
 * problem; callers put their own prefix ({@code rbdm: }) before the message.
 */
public final class ArgumentParser {
    private ArgumentParser() {
    }

    /**
     * Typed values for a command's arguments. {@code raw} maps argument names to text, JSON numbers or
     * booleans, or lists of those for repeated arguments; absent optional arguments get their default.
     */
    public static Map<String, Object> parse(CommandSpec command, Map<String, ?> raw) {
        Map<String, ArgSpec> declared = new LinkedHashMap<>();
        command.args().forEach(a -> declared.put(a.name(), a));
        for (String name : raw.keySet()) {
            if (!declared.containsKey(name)) {
                throw CommandException.invalid("unknown argument '" + name + "' for command '"
                        + command.prefix() + "'" + knownArguments(command));
            }
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (ArgSpec arg : command.args()) {
            Object value = raw.get(arg.name());
            if (value == null) {
                value = arg.defaultValue();
            }
            if (value == null) {
                if (arg.required()) {
                    throw CommandException.invalid("missing required argument '" + arg.name()
                            + "' for command '" + command.prefix() + "'");
                }
                continue;
            }
            typed.put(arg.name(), parseArgument(arg, value));
        }
        return typed;
    }

    private static String label(ArgSpec arg) {
        return "argument '" + arg.name() + "'";
    }

    private static String knownArguments(CommandSpec command) {
        if (command.args().isEmpty()) {
            return " (it takes no arguments)";
        }
        return " (known: " + String.join(", ", command.args().stream().map(ArgSpec::name).toList()) + ")";
    }

    /** One argument's typed value: a single value, or a list of them for a repeated argument. */
    public static Object parseArgument(ArgSpec arg, Object value) {
        if (value instanceof List<?> list) {
            if (!arg.repeated()) {
                if (list.size() != 1) {
                    throw CommandException.invalid("argument '" + arg.name() + "' may be given only once");
                }
                return parseArgument(arg, list.get(0));
            }
            List<Object> values = new ArrayList<>();
            for (Object item : list) {
                values.add(ValueParser.parse(label(arg), arg.type(), arg.choices(), arg.min(), arg.max(), item));
            }
            if (arg.required() && values.isEmpty()) {
                throw CommandException.invalid("missing required argument '" + arg.name() + "'");
            }
            return List.copyOf(values);
        }
        Object single = ValueParser.parse(label(arg), arg.type(), arg.choices(), arg.min(), arg.max(), value);
        return arg.repeated() ? List.of(single) : single;
    }
}
