package io.mirrorhost.api;

import java.util.List;
import java.util.Objects;

/**
 * A module option, declared as data (name, type, default, range), like {@code Option} in Ceph's
 * {@code mgr_module.py}. Values come from the site's conf ({@code [mgr/MODULE]}) and from
 * {@code config set mgr/MODULE/NAME VALUE}; the host checks them against this declaration.
 */
public record OptionSpec(String name, ArgType type, String defaultValue, Long min, Long max, List<String> choices,
                         String description) {

    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(choices == null ? List.of() : choices);
        description = description == null ? "" : description;
    }

    public static OptionSpec of(String name, ArgType type, String defaultValue, String description) {
        return new OptionSpec(name, type, defaultValue, null, null, List.of(), description);
    }

    public OptionSpec withRange(Long minimum, Long maximum) {
        return new OptionSpec(name, type, defaultValue, minimum, maximum, choices, description);
    }

    public OptionSpec withChoices(String... words) {
        return new OptionSpec(name, ArgType.CHOICE, defaultValue, min, max, List.of(words), description);
    }
}
