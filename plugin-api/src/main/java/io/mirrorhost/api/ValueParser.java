package io.mirrorhost.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One declared value (a command argument's or a module option's) parsed from text or a JSON scalar and
 * checked against its type, choices and range. The host's argument parser and {@link OptionSpec} both use
 * it, so a value means the same everywhere. Every error is a {@link CommandException} (EINVAL) whose
 * message starts with the label ({@code option 'limit' must be at most 100, got 1000}).
 */
public final class ValueParser {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([BKMGTPE])(?:i?B)?)?",
            Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "BKMGTPE";

    private ValueParser() {
    }

    /**
     * One value: STRING and CHOICE as String, INT and SIZE as Long, FLOAT as Double, BOOL as Boolean.
     *
     * @param label names the value in errors ({@code argument 'count'}, {@code option 'limit'})
     * @param value text, or a JSON number or boolean
     */
    public static Object parse(String label, ArgType type, List<String> choices, Long min, Long max, Object value) {
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw CommandException.invalid(label + " must be a single value, got "
                    + (value instanceof Map ? "an object" : value instanceof List ? "a list" : "null"));
        }
        String text = String.valueOf(value).trim();
        return switch (type) {
            case STRING, PATH -> requireText(label, text);
            case CHOICE -> parseChoice(label, choices, text);
            case BOOL -> parseBool(label, text);
            case INT -> checkRange(label, parseInt(label, value, text), min, max);
            case SIZE -> checkRange(label, parseSize(label, text), min, max);
            case FLOAT -> checkRange(label, parseFloat(label, text), min, max);
        };
    }

    private static String requireText(String label, String text) {
        if (text.isEmpty()) {
            throw CommandException.invalid(label + " must not be empty");
        }
        return text;
    }

    private static String parseChoice(String label, List<String> choices, String text) {
        if (!choices.contains(text)) {
            throw CommandException.invalid("invalid value '" + text + "' for " + label
                    + ": choose from " + String.join(", ", choices));
        }
        return text;
    }

    private static Boolean parseBool(String label, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Boolean.TRUE;
            case "false", "no", "off", "0" -> Boolean.FALSE;
            default -> throw CommandException.invalid(label
                    + " must be true or false, got '" + text + "'");
        };
    }

    private static Long parseInt(String label, Object value, String text) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (d != Math.rint(d)) {
                throw CommandException.invalid(label + " must be an integer, got '" + text + "'");
            }
            text = BigDecimal.valueOf(d).toBigInteger().toString();
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw CommandException.invalid(label + " must be an integer, got '" + text + "'");
        }
    }

    private static Double parseFloat(String label, String text) {
        try {
            double d = Double.parseDouble(text);
            if (Double.isFinite(d) && !text.endsWith("d") && !text.endsWith("f") && !text.endsWith("D")
                    && !text.endsWith("F")) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CommandException.invalid(label + " must be a number, got '" + text + "'");
    }

    /** Bytes in {@code text}: a number with an optional binary unit (B, K, M, G, T, P, E; KiB and KB alike). */
    public static long parseSize(String label, String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw CommandException.invalid(label
                    + " must be a size such as 1024, 10M or 1G, got '" + text + "'");
        }
        int shift = m.group(2) == null ? 0 : 10 * UNITS.indexOf(m.group(2).toUpperCase(Locale.ROOT));
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(shift));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw CommandException.invalid(label + " is too large: '" + text + "'");
        }
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw CommandException.invalid(label
                    + " must be a whole number of bytes, got '" + text + "'");
        }
        return bytes.longValueExact();
    }

    private static <T extends Number> T checkRange(String label, T value, Long min, Long max) {
        double d = value.doubleValue();
        if (min != null && d < min) {
            throw CommandException.invalid(label + " must be at least " + min
                    + ", got " + value);
        }
        if (max != null && d > max) {
            throw CommandException.invalid(label + " must be at most " + max
                    + ", got " + value);
        }
        return value;
    }
}
