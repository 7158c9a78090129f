package io.mirrorhost.api;

import java.util.List;
import java.util.Objects;

/**
 * One argument of a command, declared as data so that the host can parse, validate and document it
 * before the module sees it (like the {@code CLICommand} descriptors of Ceph's manager modules).
 *
 * @param name        the key under which the handler finds the value; for positionals also the label
 *                    shown in help ({@code image-spec})
 * @param type        the value type
 * @param positional  true for a positional argument, false for an option ({@code --name value})
 * @param required    whether the command fails without it
 * @param repeated    whether it may be given several times (the value is then a list)
 * @param aliases     further option names ({@code -p}, {@code --pool}); empty for positionals
 * @param choices     allowed words for {@link ArgType#CHOICE}
 * @param min         smallest allowed value for numbers and sizes, or null
 * @param max         largest allowed value for numbers and sizes, or null
 * @param defaultValue value used when absent, as text, or null for none
 * @param help        one line of help
 */
public record ArgSpec(String name, ArgType type, boolean positional, boolean required, boolean repeated,
                      List<String> aliases, List<String> choices, Long min, Long max, String defaultValue,
                      String help) {

    public ArgSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        aliases = List.copyOf(aliases == null ? List.of() : aliases);
        choices = List.copyOf(choices == null ? List.of() : choices);
        help = help == null ? "" : help;
        if (type == ArgType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("CHOICE argument '" + name + "' needs choices");
        }
        if (type == ArgType.BOOL && positional) {
            throw new IllegalArgumentException("BOOL argument '" + name + "' cannot be positional");
        }
    }

    /** A required positional argument. */
    public static ArgSpec positional(String name, ArgType type, String help) {
        return new ArgSpec(name, type, true, true, false, List.of(), List.of(), null, null, null, help);
    }

    /** An optional option, {@code --name VALUE}. */
    public static ArgSpec option(String name, ArgType type, String help) {
        return new ArgSpec(name, type, false, false, false, List.of("--" + name), List.of(), null, null, null, help);
    }

    /** A flag, {@code --name}. */
    public static ArgSpec flag(String name, String help) {
        return new ArgSpec(name, ArgType.BOOL, false, false, false, List.of("--" + name), List.of(), null, null,
                "false", help);
    }

    public ArgSpec optional() {
        return new ArgSpec(name, type, positional, false, repeated, aliases, choices, min, max, defaultValue, help);
    }

    public ArgSpec repeatable() {
        return new ArgSpec(name, type, positional, required, true, aliases, choices, min, max, defaultValue, help);
    }

    public ArgSpec withAliases(String... names) {
        return new ArgSpec(name, type, positional, required, repeated, List.of(names), choices, min, max,
                defaultValue, help);
    }

    public ArgSpec withChoices(String... words) {
        return new ArgSpec(name, ArgType.CHOICE, positional, required, repeated, aliases, List.of(words), min, max,
                defaultValue, help);
    }

    public ArgSpec withRange(Long minimum, Long maximum) {
        return new ArgSpec(name, type, positional, required, repeated, aliases, choices, minimum, maximum,
                defaultValue, help);
    }

    public ArgSpec withDefault(String value) {
        return new ArgSpec(name, type, positional, false, repeated, aliases, choices, min, max, value, help);
    }
}
