package io.mirrorhost.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a schedule runs: a whole number of minutes, written {@code Nd}, {@code Nh}, {@code Nm}
 * or a bare {@code N} (minutes) as Ceph's {@code Interval} accepts it, or (beyond Ceph) a
 * {@code cron:EXPR} Unix cron expression evaluated in UTC.
 */
public final class Interval {
    public static final String CRON_PREFIX = "cron:";
    /** Longer intervals would push next runs past the years Ceph's datetime arithmetic can represent. */
    static final long MAX_MINUTES = 1440L * 365 * 1000;

    private static final Pattern SIMPLE = Pattern.compile("^([0-9]+)([dhm])?$");
    private static final CronParser CRON_PARSER =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final long minutes;
    private final String cronText;
    private final ExecutionTime cron;

    private Interval(long minutes, String cronText, ExecutionTime cron) {
        this.minutes = minutes;
        this.cronText = cronText;
        this.cron = cron;
    }

    public static Interval ofMinutes(long minutes) {
        if (minutes <= 0 || minutes > MAX_MINUTES) {
            throw new IllegalArgumentException("interval out of range: " + minutes);
        }
        return new Interval(minutes, null, null);
    }

    public static Interval parse(String text) {
        if (text != null && text.startsWith(CRON_PREFIX)) {
            return parseCron(text);
        }
        Matcher m = text == null ? null : SIMPLE.matcher(text);
        if (m == null || !m.matches()) {
            throw invalid(text);
        }
        long value;
        try {
            value = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        String unit = m.group(2);
        long factor = "d".equals(unit) ? 1440 : "h".equals(unit) ? 60 : 1;
        if (value <= 0 || value > MAX_MINUTES / factor) {
            throw invalid(text);
        }
        return new Interval(value * factor, null, null);
    }

    private static Interval parseCron(String text) {
        String expression = text.substring(CRON_PREFIX.length()).trim();
        try {
            Cron parsed = CRON_PARSER.parse(expression).validate();
            return new Interval(0, CRON_PREFIX + parsed.asString(), ExecutionTime.forCron(parsed));
        } catch (IllegalArgumentException e) {
            throw new ScheduleException("Invalid interval (" + text + "): " + e.getMessage());
        }
    }

    private static ScheduleException invalid(String text) {
        return new ScheduleException("Invalid interval (" + text + ")");
    }

    public boolean isCron() {
        return cron != null;
    }

    /** Minutes between runs; 0 for a cron interval. */
    public long minutes() {
        return minutes;
    }

    /** The first cron run strictly after {@code now} (UTC wall time), at a whole minute. */
    LocalDateTime cronNextAfter(LocalDateTime now) {
        return cron.nextExecution(now.atZone(ZoneOffset.UTC))
                .map(t -> t.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES))
                .orElse(LocalDateTime.MAX);
    }

    /** The last cron run at or before {@code now}, or null if there is none. */
    LocalDateTime cronLastAtOrBefore(LocalDateTime now) {
        LocalDateTime bound = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        return cron.lastExecution(bound.atZone(ZoneOffset.UTC))
                .map(t -> t.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime())
                .orElse(null);
    }

    /** As Ceph prints it: the largest whole unit ({@code 24h} becomes {@code 1d}), or {@code cron:EXPR}. */
    @Override
    public String toString() {
        if (isCron()) {
            return cronText;
        }
        if (minutes % 1440 == 0) {
            return minutes / 1440 + "d";
        }
        if (minutes % 60 == 0) {
            return minutes / 60 + "h";
        }
        return minutes + "m";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Interval other && minutes == other.minutes && Objects.equals(cronText, other.cronText);
    }

    @Override
    public int hashCode() {
        return Objects.hash(minutes, cronText);
    }
}
