package io.mirrorhost.api;

/** How a command prints its result, as rbd's {@code --format}. */
public enum OutputFormat {
    PLAIN, JSON, XML;

    public static OutputFormat parse(String word) {
        if (word == null || word.isEmpty()) {
            return PLAIN;
        }
        return switch (word) {
            case "plain" -> PLAIN;
            case "json" -> JSON;
            case "xml" -> XML;
            default -> throw CommandException.invalid("rbd: --format chosen format is invalid: '" + word + "'");
        };
    }
}
