package io.mirrorhost.rbd.format;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Timestamps as rbd prints them: C's {@code ctime()} without its newline, in the local time zone. */
public final class CTime {
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private CTime() {
    }

    /** {@code Wed Jun  4 10:31:42 2025}; empty for a missing or zero timestamp, as rbd leaves it out. */
    public static String format(Instant instant, ZoneId zone) {
        if (instant == null || instant.getEpochSecond() == 0) {
            return "";
        }
        return CTIME.format(instant.atZone(zone));
    }

    public static String format(Instant instant) {
        return format(instant, ZoneId.systemDefault());
    }
}
