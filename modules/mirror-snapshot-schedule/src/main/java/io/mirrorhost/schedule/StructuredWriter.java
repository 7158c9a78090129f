package io.mirrorhost.schedule;

import io.mirrorhost.api.OutputFormat;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Ceph's {@code Formatter} for the two structured formats rbd offers: sections and string fields
 * are named as rbd names them, so the same calls give rbd's JSON ({@code --pretty-format}: four-space
 * indents, {@code "key": value}) and rbd's XML (every section and field an element). The document
 * ends with a newline.
 */
abstract class StructuredWriter {
    protected final StringBuilder out = new StringBuilder();
    protected final boolean pretty;

    protected StructuredWriter(boolean pretty) {
        this.pretty = pretty;
    }

    static StructuredWriter of(OutputFormat format, boolean pretty) {
        return format == OutputFormat.XML ? new Xml(pretty) : new Json(pretty);
    }

    abstract StructuredWriter openObject(String name);

    abstract StructuredWriter openArray(String name);

    abstract StructuredWriter close();

    abstract StructuredWriter string(String name, String value);

    String finish() {
        return out + "\n";
    }

    static final class Json extends StructuredWriter {
        private final Deque<int[]> counts = new ArrayDeque<>();
        private final Deque<Boolean> inArray = new ArrayDeque<>();

        Json(boolean pretty) {
            super(pretty);
        }

        private void beginEntry(String name) {
            if (!counts.isEmpty()) {
                if (counts.peek()[0]++ > 0) {
                    out.append(',');
                }
                if (pretty) {
                    out.append('\n').append("    ".repeat(counts.size()));
                }
                if (!inArray.peek()) {
                    quote(name);
                    out.append(pretty ? ": " : ":");
                }
            }
        }

        private StructuredWriter open(String name, char bracket, boolean array) {
            beginEntry(name);
            out.append(bracket);
            counts.push(new int[] {0});
            inArray.push(array);
            return this;
        }

        @Override
        StructuredWriter openObject(String name) {
            return open(name, '{', false);
        }

        @Override
        StructuredWriter openArray(String name) {
            return open(name, '[', true);
        }

        @Override
        StructuredWriter close() {
            int entries = counts.pop()[0];
            boolean array = inArray.pop();
            if (pretty && entries > 0) {
                out.append('\n').append("    ".repeat(counts.size()));
            }
            out.append(array ? ']' : '}');
            return this;
        }

        @Override
        StructuredWriter string(String name, String value) {
            beginEntry(name);
            quote(value);
            return this;
        }

        private void quote(String s) {
            out.append('"');
            if (!needsEscape(s)) {
                // the common case (names, times), appended whole: status writes 100,000 rows
                out.append(s).append('"');
                return;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
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
            out.append('"');
        }
    }

    private static boolean needsEscape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    static final class Xml extends StructuredWriter {
        private final Deque<String> open = new ArrayDeque<>();

        Xml(boolean pretty) {
            super(pretty);
        }

        private void indent() {
            if (pretty) {
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append("    ".repeat(open.size()));
            }
        }

        @Override
        StructuredWriter openObject(String name) {
            indent();
            out.append('<').append(name).append('>');
            open.push(name);
            return this;
        }

        @Override
        StructuredWriter openArray(String name) {
            return openObject(name);
        }

        @Override
        StructuredWriter close() {
            String name = open.pop();
            indent();
            out.append("</").append(name).append('>');
            return this;
        }

        @Override
        StructuredWriter string(String name, String value) {
            indent();
            out.append('<').append(name).append('>').append(escape(value)).append("</").append(name).append('>');
            return this;
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .replace("\"", "&quot;").replace("'", "&apos;");
        }
    }
}
