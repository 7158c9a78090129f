package io.mirrorhost.schedule;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time of day a schedule is anchored to, as Ceph's {@code StartTime}: hour and minute (seconds
 * are dropped) and an optional UTC offset, parsed from ISO 8601 ({@code 14:00}, {@code 14:00:00-05:00},
 * {@code 2026-01-01T00:00:00Z}); printed as Python's {@code time.isoformat()} ({@code 14:00:00-05:00}).
 *
 * <p>{@link #minutes()} reproduces Ceph 16.2's arithmetic exactly: the offset's
 * {@code timedelta.seconds} (always 0..86399, so -05:00 counts as +19:00) is <em>added</em> to the
 * wall time. Next runs must agree with a real Ceph manager reading the same stored schedule.
 */
public final class StartTime {
    private static final String TIME = "([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?";
    private static final String OFFSET = "(Z|z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)?";
    private static final Pattern TIME_ONLY = Pattern.compile("^" + TIME + " ?" + OFFSET + "$");
    private static final Pattern DATE_TIME = Pattern.compile(
            "^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]" + TIME + " ?" + OFFSET + ")?$");

    private final int hour;
    private final int minute;
    private final ZoneOffset offset;

    public StartTime(int hour, int minute, ZoneOffset offset) {
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            throw new IllegalArgumentException("invalid time " + hour + ":" + minute);
        }
        this.hour = hour;
        this.minute = minute;
        this.offset = offset;
    }

    /** Parses a start time; null or empty means none (returns null), as Ceph. */
    public static StartTime parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Matcher m = TIME_ONLY.matcher(text);
        if (m.matches()) {
            return of(text, m.group(1), m.group(2), m.group(3), m.group(4));
        }
        m = DATE_TIME.matcher(text);
        if (m.matches()) {
            checkDate(text, m.group(1), m.group(2), m.group(3));
            if (m.group(4) == null) {
                return new StartTime(0, 0, null);
            }
            return of(text, m.group(4), m.group(5), m.group(6), m.group(7));
        }
        throw invalid(text, "Unknown string format: " + text);
    }

    private static StartTime of(String text, String hour, String minute, String second, String offset) {
        int h = Integer.parseInt(hour);
        int min = Integer.parseInt(minute);
        if (h > 23) {
            throw invalid(text, "hour must be in 0..23: " + text);
        }
        if (min > 59) {
            throw invalid(text, "minute must be in 0..59: " + text);
        }
        if (second != null && Integer.parseInt(second) > 59) {
            throw invalid(text, "second must be in 0..59: " + text);
        }
        return new StartTime(h, min, parseOffset(text, offset));
    }

    /** Python's {@code datetime} checks, in its order: year, month, then day. */
    private static void checkDate(String text, String year, String month, String day) {
        int y = Integer.parseInt(year);
        int m = Integer.parseInt(month);
        if (y < 1) {
            throw invalid(text, "year " + y + " is out of range: " + text);
        }
        if (m < 1 || m > 12) {
            throw invalid(text, "month must be in 1..12: " + text);
        }
        try {
            LocalDate.of(y, m, Integer.parseInt(day));
        } catch (DateTimeException e) {
            throw invalid(text, "day is out of range for month: " + text);
        }
    }

    private static ZoneOffset parseOffset(String text, String offset) {
        if (offset == null) {
            return null;
        }
        if (offset.equalsIgnoreCase("Z") || offset.equals("UTC") || offset.equals("GMT")) {
            return ZoneOffset.UTC;
        }
        String digits = offset.substring(1).replace(":", "");
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
        if (hours > 23 || minutes > 59) {
            throw invalid(text, "offset must be a timedelta strictly between -timedelta(hours=24) and "
                    + "timedelta(hours=24): " + text);
        }
        int sign = offset.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofTotalSeconds(sign * (hours * 3600 + minutes * 60));
    }

    private static ScheduleException invalid(String text, String reason) {
        return new ScheduleException("Invalid start time " + text + ": " + reason);
    }

    public int hour() {
        return hour;
    }

    public int minute() {
        return minute;
    }

    /** The offset, or null for a naive time. */
    public ZoneOffset offset() {
        return offset;
    }

    /** Minutes after midnight of 1970-01-01 that Ceph 16.2 anchors the schedule to (see the class comment). */
    public long minutes() {
        long result = hour * 60L + minute;
        if (offset != null) {
            result += Math.floorMod(offset.getTotalSeconds(), 86400) / 60;
        }
        return result;
    }

    @Override
    public String toString() {
        String time = String.format("%02d:%02d:00", hour, minute);
        return offset == null ? time : time + isoOffset(offset.getTotalSeconds());
    }

    private static String isoOffset(int totalSeconds) {
        char sign = totalSeconds < 0 ? '-' : '+';
        int abs = Math.abs(totalSeconds);
        String text = String.format("%c%02d:%02d", sign, abs / 3600, abs / 60 % 60);
        return abs % 60 == 0 ? text : text + String.format(":%02d", abs % 60);
    }

    /** Equal when Ceph considers them equal: same {@link #minutes()}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StartTime other && minutes() == other.minutes();
    }

    @Override
    public int hashCode() {
        return Long.hashCode(minutes());
    }
}
