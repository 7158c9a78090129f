package io.mirrorhost.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, validated command invocation. Values are typed by their {@link ArgSpec}: STRING and CHOICE
 * as {@link String}, INT and SIZE as {@link Long}, FLOAT as {@link Double}, BOOL as {@link Boolean},
 * and repeated arguments as a {@link List} of those. Absent optional arguments without a default are
 * missing from {@link #args()}.
 *
 * @param prefix       the command's words
 * @param args         values by argument name
 * @param format       requested output format
 * @param prettyFormat whether JSON output should be indented ({@code --pretty-format})
 * @param input        bytes given to the command on standard input ({@code -}), or null
 * @param cancellation set when the client that asked has gone
 * @param files        which files the caller may name
 */
public record CommandRequest(String prefix, Map<String, Object> args, OutputFormat format, boolean prettyFormat,
                             byte[] input, Cancellation cancellation, FilePolicy files) {

    public CommandRequest {
        args = Map.copyOf(args);
        format = format == null ? OutputFormat.PLAIN : format;
        cancellation = cancellation == null ? new Cancellation() : cancellation;
        files = files == null ? FilePolicy.ANY : files;
    }

    /** A request whose client stays until the answer and may name any file. */
    public CommandRequest(String prefix, Map<String, Object> args, OutputFormat format, boolean prettyFormat,
                          byte[] input) {
        this(prefix, args, format, prettyFormat, input, new Cancellation(), FilePolicy.ANY);
    }

    public CommandRequest(String prefix, Map<String, Object> args) {
        this(prefix, args, OutputFormat.PLAIN, false, null);
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable((String) args.get(name));
    }

    public Optional<Long> number(String name) {
        return Optional.ofNullable((Long) args.get(name));
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(args.get(name));
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String name) {
        Object value = args.get(name);
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? (List<String>) list : List.of((String) value);
    }

    public boolean json() {
        return format == OutputFormat.JSON;
    }
}
