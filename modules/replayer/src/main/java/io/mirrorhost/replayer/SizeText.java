package io.mirrorhost.replayer;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A SIZE option's text ({@code 0}, {@code 512K}, {@code 100M}, {@code 1G}; binary units) in bytes. */
final class SizeText {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(?:I?B)?");

    private SizeText() {
    }

    static long bytes(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "'");
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }
}
