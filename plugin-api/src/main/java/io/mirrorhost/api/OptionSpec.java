package io.mirrorhost.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A module option, declared once as data (name, type, default, range or choices, description), like
 * {@code Option} in Ceph's {@code mgr_module.py} and a {@code ConfigDef} entry in Kafka. The host checks
 * every value against it: the default when the module loads, the site's conf ({@code [mgr/MODULE]}) when the
 * host starts, {@code config set mgr/MODULE/NAME VALUE} when it is set. The module reads the current value
 * typed, {@code context.option(SPEC)}. Declare each option as a constant and return those constants from
 * {@link MgrModule#options()}: the host knows an option by its declaration, not by its name alone.
 *
 * <p>The text form (conf, {@code config set/get}, the default as {@code mgr module ls} shows it) is the
 * Ceph one; {@link #type()} says how it parses, {@code T} what the module reads.
 *
 * @param <T> {@code Long} for integers and sizes (in bytes), {@code Duration} for intervals written in
 *            seconds, {@code Boolean} for switches, {@code String} for text and choices
 */
public final class OptionSpec<T> {
    private final String name;
    private final ArgType type;
    private final Function<Object, T> typed;
    private final String defaultValue;
    private final Long min;
    private final Long max;
    private final List<String> choices;
    private final String description;

    private OptionSpec(String name, ArgType type, Function<Object, T> typed, String defaultValue, Long min,
                       Long max, List<String> choices, String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.typed = typed;
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.min = min;
        this.max = max;
        this.choices = List.copyOf(choices);
        this.description = description == null ? "" : description;
        if (type == ArgType.CHOICE && this.choices.isEmpty()) {
            throw new IllegalArgumentException("choice option '" + name + "' needs choices");
        }
    }

    /** A whole number (64-bit), read as a Long. */
    public static OptionSpec<Long> integer(String name, long defaultValue, String description) {
        return new OptionSpec<>(name, ArgType.INT, Long.class::cast, String.valueOf(defaultValue), null, null,
                List.of(), description);
    }

    /** An interval written as whole seconds ({@code 30}), read as a Duration; a range is in seconds. */
    public static OptionSpec<Duration> seconds(String name, long defaultSeconds, String description) {
        return new OptionSpec<>(name, ArgType.INT, seconds -> Duration.ofSeconds((Long) seconds),
                String.valueOf(defaultSeconds), null, null, List.of(), description);
    }

    /** A byte size written with an optional binary unit ({@code 0}, {@code 1M}), read as a Long in bytes. */
    public static OptionSpec<Long> size(String name, String defaultValue, String description) {
        return new OptionSpec<>(name, ArgType.SIZE, Long.class::cast, defaultValue, null, null, List.of(),
                description);
    }

    /** A switch ({@code true}/{@code false}, {@code yes}/{@code no}, {@code on}/{@code off}), read as a Boolean. */
    public static OptionSpec<Boolean> bool(String name, boolean defaultValue, String description) {
        return new OptionSpec<>(name, ArgType.BOOL, Boolean.class::cast, String.valueOf(defaultValue), null, null,
                List.of(), description);
    }

    /**
     * Text, read as a String. An empty default means "unset" (the module reads {@code ""}, as Ceph's empty
     * string options); a value given later must not be empty, and {@code config rm} unsets it again.
     */
    public static OptionSpec<String> text(String name, String defaultValue, String description) {
        return new OptionSpec<>(name, ArgType.STRING, String.class::cast, defaultValue, null, null, List.of(),
                description);
    }

    /** One of a fixed set of words, read as a String. */
    public static OptionSpec<String> choice(String name, List<String> choices, String defaultValue,
                                            String description) {
        return new OptionSpec<>(name, ArgType.CHOICE, String.class::cast, defaultValue, null, null, choices,
                description);
    }

    /** The same option with bounds (either may be null); only numbers and sizes have them. */
    public OptionSpec<T> withRange(Long minimum, Long maximum) {
        if (type != ArgType.INT && type != ArgType.SIZE) {
            throw new IllegalArgumentException(type + " option '" + name + "' cannot have a range");
        }
        return new OptionSpec<>(name, type, typed, defaultValue, minimum, maximum, choices, description);
    }

    /** A value given as text (conf, {@code config set}); fails with EINVAL naming the option and the problem. */
    public T parse(String text) {
        return typed.apply(ValueParser.parse("option '" + name + "'", type, choices, min, max, text));
    }

    /** The declared default; fails as {@link #parse} does when the declaration itself is wrong. */
    public T parseDefault() {
        if (type == ArgType.STRING && defaultValue.isEmpty()) {
            return typed.apply(defaultValue);
        }
        return parse(defaultValue);
    }

    public String name() {
        return name;
    }

    /** How the text form parses (and which type Ceph's {@code module_options} name). */
    public ArgType type() {
        return type;
    }

    /** The default in its text form, as declared. */
    public String defaultValue() {
        return defaultValue;
    }

    public Long min() {
        return min;
    }

    public Long max() {
        return max;
    }

    public List<String> choices() {
        return choices;
    }

    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return "option '" + name + "'";
    }
}
