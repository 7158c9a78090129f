package io.mirrorhost.api.format;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Ceph's {@code JSONFormatter}, byte for byte: compact ({@code {"a":1,"b":[]}}) or pretty (four-space
 * indents, {@code "key": value}); the output ends with one newline, as rbd flushes it. Names given
 * to array members are ignored, as in JSON they have none. Escaping follows Ceph's
 * {@code json_stream_escaper} ({@code "}, {@code \}, tab, newline, other control characters).
 */
public final class JsonWriter implements TreeWriter {
    private static final String INDENT = "    ";

    private static final class Section {
        final boolean array;
        int size;

        Section(boolean array) {
            this.array = array;
        }
    }

    private final boolean pretty;
    private final StringBuilder out = new StringBuilder();
    private final Deque<Section> stack = new ArrayDeque<>();

    public JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    @Override
    public JsonWriter openObject(String name) {
        return open(name, false);
    }

    @Override
    public JsonWriter openArray(String name) {
        return open(name, true);
    }

    @Override
    public JsonWriter close() {
        if (stack.isEmpty()) {
            throw new IllegalStateException("no open section");
        }
        Section section = stack.peek();
        if (pretty && section.size > 0) {
            out.append('\n');
            indent(stack.size() - 1);
        }
        out.append(section.array ? ']' : '}');
        stack.pop();
        return this;
    }

    @Override
    public JsonWriter string(String name, String value) {
        printName(name);
        quote(value);
        return this;
    }

    @Override
    public JsonWriter number(String name, long value) {
        printName(name);
        out.append(value);
        return this;
    }

    @Override
    public JsonWriter unsigned(String name, long value) {
        printName(name);
        out.append(Long.toUnsignedString(value));
        return this;
    }

    @Override
    public JsonWriter bool(String name, boolean value) {
        printName(name);
        out.append(value);
        return this;
    }

    /** The document, with rbd's final newline. */
    @Override
    public String finish() {
        if (!stack.isEmpty()) {
            throw new IllegalStateException(stack.size() + " sections still open");
        }
        return out + "\n";
    }

    private JsonWriter open(String name, boolean array) {
        printName(name);
        out.append(array ? '[' : '{');
        stack.push(new Section(array));
        return this;
    }

    private void printName(String name) {
        if (stack.isEmpty()) {
            return;
        }
        Section section = stack.peek();
        if (section.size > 0) {
            out.append(',');
        }
        if (pretty) {
            out.append('\n');
            indent(stack.size() - 1);
            out.append(INDENT);
        }
        if (!section.array) {
            quote(name);
            out.append(pretty ? ": " : ":");
        }
        section.size++;
    }

    private void indent(int levels) {
        out.append(INDENT.repeat(Math.max(0, levels)));
    }

    private void quote(String value) {
        out.append('"');
        if (!needsEscape(value)) {
            // the common case (names, times) appended whole: schedule status writes 100,000 rows
            out.append(value).append('"');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean needsEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
