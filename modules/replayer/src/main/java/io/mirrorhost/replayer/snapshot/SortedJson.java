package io.mirrorhost.replayer.snapshot;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON as rbd-mirror's status descriptions print it ({@code json_spirit::write} with
 * {@code remove_trailing_zeros}): compact, keys sorted, whole numbers bare, doubles with at least
 * one decimal ({@code 0.0}, {@code 5742592.0}, {@code 12.25}).
 */
public final class SortedJson {
    private SortedJson() {
    }

    public static String write(Map<String, ?> object) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, ?> e : new TreeMap<>(object).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(string(e.getKey())).append(':').append(value(e.getValue()));
        }
        return out.append('}').toString();
    }

    @SuppressWarnings("unchecked")
    static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            return number(d);
        }
        if (v instanceof Float f) {
            return number(f.doubleValue());
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Map<?, ?> m) {
            return write((Map<String, ?>) m);
        }
        return string(v.toString());
    }

    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        String plain = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
