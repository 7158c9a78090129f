package io.mirrorhost.schedule;

import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(value, indent=4, sort_keys=True)} for strings, nulls, lists and maps:
 * what Ceph's manager writes into omap values, reproduced exactly so both read each other's data.
 */
final class PythonJson {
    private PythonJson() {
    }

    static String dumps(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(out, s);
        } else if (value instanceof List<?> list) {
            writeList(out, list, depth);
        } else if (value instanceof Map<?, ?> map) {
            writeMap(out, map, depth);
        } else {
            out.append(value);
        }
    }

    private static void writeList(StringBuilder out, List<?> list, int depth) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        String separator = "";
        for (Object element : list) {
            out.append(separator).append('\n').append(indent(depth + 1));
            write(out, element, depth + 1);
            separator = ",";
        }
        out.append('\n').append(indent(depth)).append(']');
    }

    private static void writeMap(StringBuilder out, Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        String separator = "";
        for (Map.Entry<?, ?> e : new java.util.TreeMap<>(map).entrySet()) {
            out.append(separator).append('\n').append(indent(depth + 1));
            quote(out, String.valueOf(e.getKey()));
            out.append(": ");
            write(out, e.getValue(), depth + 1);
            separator = ",";
        }
        out.append('\n').append(indent(depth)).append('}');
    }

    private static String indent(int depth) {
        return " ".repeat(4 * depth);
    }

    /** {@code ensure_ascii=True} quoting. */
    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
