package io.mirrorhost.host;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.OptionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host's check of module option values against their declarations, before a module can read them:
 * the declared defaults when a module loads, the values of a conf section when the host starts. Each
 * check reports every invalid value, not only the first, so one correction round fixes them all.
 */
final class OptionCheck {

    private OptionCheck() {
    }

    /** One problem per option whose declared default its own declaration refuses, in declaration order. */
    static List<String> invalidDefaults(List<OptionSpec<?>> options) {
        List<String> problems = new ArrayList<>();
        for (OptionSpec<?> option : options) {
            problem(option::parseDefault).ifPresent(problems::add);
        }
        return problems;
    }

    /**
     * One problem per value its option's declaration refuses, in declaration order; {@code values} maps
     * option names to text, and names no option declares are the caller's to report.
     */
    static List<String> invalidValues(List<OptionSpec<?>> options, Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        for (OptionSpec<?> option : options) {
            String value = values.get(option.name());
            if (value != null) {
                problem(() -> option.parse(value)).ifPresent(problems::add);
            }
        }
        return problems;
    }

    private static Optional<String> problem(Runnable parse) {
        try {
            parse.run();
            return Optional.empty();
        } catch (CommandException e) {
            return Optional.of(e.getMessage());
        }
    }
}
