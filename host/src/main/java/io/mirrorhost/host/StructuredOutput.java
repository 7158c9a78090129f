package io.mirrorhost.host;

import io.mirrorhost.api.OutputFormat;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Writes a JSON value as {@code --format json} (compact, or indented with {@code --pretty-format}) or
 * {@code --format xml} prints it: objects become sections named by their key, list items elements named
 * by {@code itemNames} (Ceph's formatter names each item, {@code <module>}), "item" otherwise.
 */
final class StructuredOutput {
    private StructuredOutput() {
    }

    static String render(OutputFormat format, boolean pretty, String root, Object value, Map<String, String> itemNames) {
        if (format == OutputFormat.XML) {
            StringBuilder out = new StringBuilder();
            xml(out, root, value, itemNames);
            return out.append('\n').toString();
        }
        if (!pretty) {
            return Json.encode(value) + "\n";
        }
        StringBuilder out = new StringBuilder();
        pretty(out, value, 0);
        return out.append('\n').toString();
    }

    /** Indented as Ceph's {@code json-pretty}: four spaces a level, {@code "key": value}, empty {@code []}. */
    private static void pretty(StringBuilder out, Object value, int level) {
        if (value instanceof JsonObject object && !object.isEmpty()) {
            out.append("{\n");
            int i = 0;
            for (Map.Entry<String, Object> e : object) {
                out.append("    ".repeat(level + 1)).append(Json.encode(e.getKey())).append(": ");
                pretty(out, e.getValue(), level + 1);
                out.append(++i < object.size() ? ",\n" : "\n");
            }
            out.append("    ".repeat(level)).append('}');
        } else if (value instanceof JsonArray array && !array.isEmpty()) {
            out.append("[\n");
            for (int i = 0; i < array.size(); i++) {
                out.append("    ".repeat(level + 1));
                pretty(out, array.getValue(i), level + 1);
                out.append(i + 1 < array.size() ? ",\n" : "\n");
            }
            out.append("    ".repeat(level)).append(']');
        } else {
            out.append(Json.encode(value));
        }
    }

    private static void xml(StringBuilder out, String name, Object value, Map<String, String> itemNames) {
        out.append('<').append(name).append('>');
        if (value instanceof JsonObject object) {
            object.forEach(e -> xml(out, e.getKey(), e.getValue(), itemNames));
        } else if (value instanceof JsonArray array) {
            String item = itemNames.getOrDefault(name, "item");
            array.forEach(v -> xml(out, item, v, itemNames));
        } else if (value != null) {
            out.append(escape(String.valueOf(value)));
        }
        out.append("</").append(name).append('>');
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
