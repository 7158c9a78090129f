package io.mirrorhost.api;

import java.util.List;
import java.util.Objects;

/**
 * A command a module serves: its words ({@code mirror snapshot schedule add}), its arguments, its help
 * and its handler. The host matches the words, parses and validates the arguments against
 * {@link #args()}, then calls the handler with typed values.
 */
public record CommandSpec(String prefix, List<ArgSpec> args, String help, CommandHandler handler) {

    public CommandSpec {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(handler, "handler");
        if (prefix.isBlank() || !prefix.equals(prefix.trim()) || prefix.contains("  ")) {
            throw new IllegalArgumentException("command prefix must be words separated by single spaces: '" + prefix + "'");
        }
        args = List.copyOf(args);
        help = help == null ? "" : help;
    }

    public static CommandSpec of(String prefix, String help, CommandHandler handler, ArgSpec... args) {
        return new CommandSpec(prefix, List.of(args), help, handler);
    }

    /** The words of the prefix. */
    public List<String> words() {
        return List.of(prefix.split(" "));
    }
}
