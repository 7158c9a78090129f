package io.mirrorhost.rbd.spec;

import io.mirrorhost.api.CommandRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A command's arguments seen the way rbd's parser sees them: named options, plus the positional
 * arguments as one ordered list consumed from the front ({@code rbd rename --image a b} takes
 * {@code b} as the destination, because the source came from {@code --image}).
 */
public final class CommandArgs {
    private final CommandRequest request;
    private final List<String> positionals = new ArrayList<>();
    private int next;

    /** @param positionalNames the command's positional ArgSpec names, in their declared order */
    public CommandArgs(CommandRequest request, String... positionalNames) {
        this.request = request;
        for (String name : positionalNames) {
            for (String value : request.strings(name)) {
                if (value != null && !value.isEmpty()) {
                    positionals.add(value);
                }
            }
        }
    }

    public CommandRequest request() {
        return request;
    }

    /** An option's text, or the empty string when it was not given (rbd treats both alike). */
    public String option(String name) {
        Object value = request.args().get(name);
        return value == null ? "" : value.toString();
    }

    public boolean flag(String name) {
        return request.flag(name);
    }

    /** The next positional argument, or the empty string; moves past it either way. */
    public String takePositional() {
        String value = next < positionals.size() ? positionals.get(next) : "";
        next++;
        return value;
    }

    /** The next positional argument, or the empty string; moves past it only if present. */
    public String takePositionalIfPresent() {
        if (next < positionals.size()) {
            return positionals.get(next++);
        }
        return "";
    }

    /** Every positional argument not consumed yet. */
    public List<String> remainingPositionals() {
        return next >= positionals.size() ? List.of() : List.copyOf(positionals.subList(next, positionals.size()));
    }
}
