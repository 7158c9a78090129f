package io.mirrorhost.schedule;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One interval with its optional start time. Run times are UTC wall times (Ceph's naive
 * {@code datetime}s): {@code 1970-01-01 00:00 + start minutes + k * interval}.
 */
public record ScheduleItem(Interval interval, StartTime startTime) {
    static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);

    public ScheduleItem {
        Objects.requireNonNull(interval, "interval");
        if (interval.isCron() && startTime != null) {
            throw new ScheduleException("Invalid start time " + startTime
                    + ": a cron interval cannot have a start time");
        }
    }

    public static ScheduleItem parse(String interval, String startTime) {
        return new ScheduleItem(Interval.parse(interval), StartTime.parse(startTime));
    }

    /** The first run strictly after {@code now}, as Ceph's {@code Schedule.next_run}. */
    public LocalDateTime nextRunAfter(LocalDateTime now) {
        if (interval.isCron()) {
            return interval.cronNextAfter(now);
        }
        return base().plusMinutes((periodsBefore(now) + 1) * interval.minutes());
    }

    /** The last run at or before {@code now} (what a scheduler that was down may owe), or null. */
    public LocalDateTime lastRunAtOrBefore(LocalDateTime now) {
        if (interval.isCron()) {
            return interval.cronLastAtOrBefore(now);
        }
        long periods = periodsBefore(now);
        return periods < 0 ? null : base().plusMinutes(periods * interval.minutes());
    }

    private LocalDateTime base() {
        return startTime == null ? EPOCH : EPOCH.plusMinutes(startTime.minutes());
    }

    private long periodsBefore(LocalDateTime now) {
        long elapsed = ChronoUnit.MICROS.between(base(), now);
        return Math.floorDiv(elapsed, interval.minutes() * 60_000_000L);
    }

    /** {@code every 1d starting at 14:00:00-05:00}, as rbd prints an item. */
    public String describe() {
        return startTime == null ? "every " + interval : "every " + interval + " starting at " + startTime;
    }

    /** Equal as Ceph's {@code (Interval, StartTime)} tuples: by minutes, not by spelling. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduleItem other && interval.equals(other.interval)
                && Objects.equals(startTime, other.startTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(interval, startTime);
    }
}
