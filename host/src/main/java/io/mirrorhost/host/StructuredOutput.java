package io.mirrorhost.host;

import io.mirrorhost.api.OutputFormat;
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
        String json = value instanceof JsonObject o ? (pretty ? o.encodePrettily() : o.encode())
                : value instanceof JsonArray a ? (pretty ? a.encodePrettily() : a.encode())
                : io.vertx.core.json.Json.encode(value);
        return json + "\n";
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
