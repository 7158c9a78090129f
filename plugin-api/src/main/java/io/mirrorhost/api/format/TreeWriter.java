package io.mirrorhost.api.format;

import io.mirrorhost.api.OutputFormat;

/**
 * Ceph's {@code Formatter} interface as rbd uses it: nested sections and named values, written as
 * JSON or XML ({@code --format json|xml}, {@code --pretty-format}).
 */
public interface TreeWriter {

    TreeWriter openObject(String name);

    TreeWriter openArray(String name);

    TreeWriter close();

    TreeWriter string(String name, String value);

    TreeWriter number(String name, long value);

    TreeWriter unsigned(String name, long value);

    TreeWriter bool(String name, boolean value);

    /** The document, ending with a newline as rbd prints it. */
    String finish();

    /** The writer for a structured format; null for plain output. */
    static TreeWriter of(OutputFormat format, boolean pretty) {
        return switch (format) {
            case JSON -> new JsonWriter(pretty);
            case XML -> new XmlWriter(pretty);
            case PLAIN -> null;
        };
    }
}
