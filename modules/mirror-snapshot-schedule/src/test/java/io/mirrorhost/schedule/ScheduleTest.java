package io.mirrorhost.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected times were computed with Ceph 16.2's {@code Schedule.next_run} run in Python. */
class ScheduleTest {

    private static Schedule schedule(String... intervalsAndStarts) {
        Schedule s = new Schedule("x");
        for (int i = 0; i < intervalsAndStarts.length; i += 2) {
            s.add(ScheduleItem.parse(intervalsAndStarts[i], intervalsAndStarts[i + 1]));
        }
        return s;
    }

    private static String next(Schedule s, String now) {
        return s.nextRunAfter(LocalDateTime.parse(now)).format(Schedule.TIME_FORMAT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1d|14:00:00-05:00|2026-01-01T10:00:00|2026-01-02 09:00:00",
        "1d|14:00:00-05:00|2026-01-01T08:59:59|2026-01-01 09:00:00",
        "1d|14:00:00-05:00|2026-01-01T09:00:00|2026-01-02 09:00:00",
        "1h|00:15|2026-01-01T10:15:00|2026-01-01 11:15:00",
        "1h|00:15|2026-01-01T10:14:59.999|2026-01-01 10:15:00",
        "7m||2026-01-01T00:00:00|2026-01-01 00:07:00",
        "7m||2026-03-14T15:09:26|2026-03-14 15:14:00",
        "3d|23:30+05:30|2026-12-31T23:59:00|2027-01-03 05:00:00",
        "3d|23:30+05:30|2026-03-14T15:09:26|2026-03-15 05:00:00"})
    void nextRunFollowsCephsArithmetic(String interval, String start, String now, String expected) {
        assertEquals(expected, next(schedule(interval, start), now));
    }

    @Test
    void nextRunIsTheEarliestOfAllItems() {
        Schedule s = schedule("1d", "14:00+02:00", "6h", null);
        assertEquals("2026-03-14 16:00:00", next(s, "2026-03-14T15:09:26"));
        assertEquals("2026-03-14 18:00:00", next(s, "2026-03-14T16:00:00"));
    }

    @Test
    void lastRunIsTheLatestBoundaryAtOrBeforeNow() {
        Schedule s = schedule("1h", "00:15", "1d", "10:20");
        assertEquals(LocalDateTime.parse("2026-01-01T10:20:00"), s.lastRunAtOrBefore(LocalDateTime.parse("2026-01-01T11:00:00")));
        assertEquals(LocalDateTime.parse("2026-01-01T11:15:00"), s.lastRunAtOrBefore(LocalDateTime.parse("2026-01-01T11:15:00")));
        assertNull(new Schedule("y").lastRunAtOrBefore(LocalDateTime.parse("2026-01-01T11:15:00")));
    }

    @Test
    void cronRunsAtItsTimesInUtc() {
        Schedule s = schedule("cron:0 */6 * * *", null);
        assertEquals("2026-01-01 06:00:00", next(s, "2026-01-01T00:00:00"));
        assertEquals("2026-01-01 12:00:00", next(s, "2026-01-01T06:00:00"));
        assertEquals(LocalDateTime.parse("2026-01-01T06:00:00"), s.lastRunAtOrBefore(LocalDateTime.parse("2026-01-01T06:00:00")));
        assertEquals(LocalDateTime.parse("2026-01-01T06:00:00"), s.lastRunAtOrBefore(LocalDateTime.parse("2026-01-01T11:59:59")));
    }

    @Test
    void describesAsRbd() {
        assertEquals("every 1d starting at 14:00:00-05:00, every 6h",
                schedule("24h", "14:00:00-05:00", "6h", null).describe());
    }

    @Test
    void duplicateItemsCollapseAndRemoveMatchesByMinutes() {
        Schedule s = schedule("1h", null, "60m", null, "1d", "16:00");
        assertEquals("every 1h, every 1d starting at 16:00:00", s.describe());
        s.remove(ScheduleItem.parse("1d", "14:00+02:00"));
        assertEquals("every 1h", s.describe());
    }

    @Test
    void storesExactlyAsCeph() {
        Schedule s = schedule("1d", "14:00:00-05:00", "6h", null);
        String stored = s.toStoredJson();
        assertEquals("[\n    {\n        \"interval\": \"1d\",\n        \"start_time\": \"14:00:00-05:00\"\n    },\n"
                + "    {\n        \"interval\": \"6h\",\n        \"start_time\": null\n    }\n]", stored);
        assertEquals(s.describe(), Schedule.fromStoredJson("x", stored).describe());
    }

    @Test
    void readsCompactJsonAndRejectsGarbage() {
        assertEquals("every 1h starting at 00:15:00",
                Schedule.fromStoredJson("x", "[{\"interval\": \"1h\", \"start_time\": \"00:15:00\"}]").describe());
        assertThrows(ScheduleException.class, () -> Schedule.fromStoredJson("x", "not json"));
        ScheduleException e = assertThrows(ScheduleException.class,
                () -> Schedule.fromStoredJson("x", "[{\"interval\": \"1h\"}]"));
        assertEquals("Invalid schedule format (missing key 'start_time')", e.getMessage());
        assertThrows(ScheduleException.class, () -> Schedule.fromStoredJson("x", "[{\"interval\": \"2x\", \"start_time\": null}]"));
    }

    @Test
    void emptyScheduleHasNoNextRun() {
        assertThrows(IllegalStateException.class, () -> new Schedule("x").nextRunAfter(LocalDateTime.now()));
    }
}
