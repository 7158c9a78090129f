package io.mirrorhost.api.format;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Ceph's {@code XMLFormatter}: every section and value an element named after it
 * ({@code <images><name>a</name></images>}); pretty output puts each element on its own line,
 * indented by one space per level.
 */
public final class XmlWriter implements TreeWriter {
    private final boolean pretty;
    private final StringBuilder out = new StringBuilder();
    private final Deque<String> sections = new ArrayDeque<>();

    public XmlWriter(boolean pretty) {
        this.pretty = pretty;
    }

    @Override
    public XmlWriter openObject(String name) {
        return open(name);
    }

    @Override
    public XmlWriter openArray(String name) {
        return open(name);
    }

    @Override
    public XmlWriter close() {
        if (sections.isEmpty()) {
            throw new IllegalStateException("no open section");
        }
        String name = sections.pop();
        indent();
        out.append("</").append(name).append('>');
        lineBreak();
        return this;
    }

    @Override
    public XmlWriter string(String name, String value) {
        return element(name, escape(value));
    }

    @Override
    public XmlWriter number(String name, long value) {
        return element(name, Long.toString(value));
    }

    @Override
    public XmlWriter unsigned(String name, long value) {
        return element(name, Long.toUnsignedString(value));
    }

    @Override
    public XmlWriter bool(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    @Override
    public String finish() {
        if (!sections.isEmpty()) {
            throw new IllegalStateException(sections.size() + " sections still open");
        }
        return pretty ? out.toString() : out + "\n";
    }

    private XmlWriter open(String name) {
        indent();
        out.append('<').append(name).append('>');
        lineBreak();
        sections.push(name);
        return this;
    }

    private XmlWriter element(String name, String text) {
        indent();
        out.append('<').append(name).append('>').append(text).append("</").append(name).append('>');
        lineBreak();
        return this;
    }

    private void indent() {
        if (pretty) {
            out.append(" ".repeat(sections.size()));
        }
    }

    private void lineBreak() {
        if (pretty) {
            out.append('\n');
        }
    }

    private static String escape(String value) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> s.append("&lt;");
                case '&' -> s.append("&amp;");
                case '>' -> s.append("&gt;");
                case '\'' -> s.append("&apos;");
                case '"' -> s.append("&quot;");
                default -> {
                    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
                        s.append(String.format("&#x%02x;", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.toString();
    }
}
