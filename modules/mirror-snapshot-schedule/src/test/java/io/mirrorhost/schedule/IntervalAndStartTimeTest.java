package io.mirrorhost.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IntervalAndStartTimeTest {

    @ParameterizedTest
    @CsvSource({"1d,1440,1d", "24h,1440,1d", "6h,360,6h", "90m,90,90m", "60m,60,1h", "30,30,30m", "2880m,2880,2d"})
    void parsesIntervalsAndPrintsThemAsCeph(String text, long minutes, String printed) {
        Interval interval = Interval.parse(text);
        assertEquals(minutes, interval.minutes());
        assertEquals(printed, interval.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2x", "dummy", "", "1.5h", "-1h", "0m", "0", "1 h", "h", "1H", "99999999999999999999m"})
    void refusesBadIntervalsWithCephsMessage(String text) {
        ScheduleException e = assertThrows(ScheduleException.class, () -> Interval.parse(text));
        assertEquals("Invalid interval (" + text + ")", e.getMessage());
    }

    @Test
    void parsesCronIntervals() {
        Interval cron = Interval.parse("cron:0 */6 * * *");
        assertTrue(cron.isCron());
        assertEquals("cron:0 */6 * * *", cron.toString());
        ScheduleException e = assertThrows(ScheduleException.class, () -> Interval.parse("cron:61 * * * *"));
        assertTrue(e.getMessage().startsWith("Invalid interval (cron:61 * * * *)"), e.getMessage());
        assertThrows(ScheduleException.class, () -> Interval.parse("cron:"));
    }

    @ParameterizedTest
    @CsvSource({
        "14:00:00-05:00,14:00:00-05:00,1980",
        "14:00-05:00,14:00:00-05:00,1980",
        "14:00:00+02:00,14:00:00+02:00,960",
        "00:15,00:15:00,15",
        "23:30:59,23:30:00,1410",
        "23:30+0530,23:30:00+05:30,1740",
        "2026-01-01T00:00:00Z,00:00:00+00:00,0",
        "2026-01-01T06:45:00-01:00,06:45:00-01:00,1785",
        "2026-01-01 12:00,12:00:00,720",
        "2026-01-01,00:00:00,0"})
    void parsesIsoStartTimesAsCeph(String text, String printed, long minutes) {
        StartTime start = StartTime.parse(text);
        assertEquals(printed, start.toString());
        assertEquals(minutes, start.minutes());
    }

    @Test
    void noStartTimeIsNull() {
        assertNull(StartTime.parse(null));
        assertNull(StartTime.parse(""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "foo|Invalid start time foo: Unknown string format: foo",
        "25:00|Invalid start time 25:00: hour must be in 0..23: 25:00",
        "12:61|Invalid start time 12:61: minute must be in 0..59: 12:61",
        "2026-02-30T00:00|Invalid start time 2026-02-30T00:00: day is out of range for month: 2026-02-30T00:00",
        "2026-13-01T00:00|Invalid start time 2026-13-01T00:00: month must be in 1..12: 2026-13-01T00:00",
        "2026-00-32|Invalid start time 2026-00-32: month must be in 1..12: 2026-00-32",
        "0000-01-01T10:00|Invalid start time 0000-01-01T10:00: year 0 is out of range: 0000-01-01T10:00",
        "0000-13-01T10:00|Invalid start time 0000-13-01T10:00: year 0 is out of range: 0000-13-01T10:00",
        "14:00+25:00|Invalid start time 14:00+25:00: offset must be a timedelta strictly between "
                + "-timedelta(hours=24) and timedelta(hours=24): 14:00+25:00"})
    void refusesBadStartTimes(String text, String message) {
        ScheduleException e = assertThrows(ScheduleException.class, () -> StartTime.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void startTimesAreEqualAsCephComparesThem() {
        assertEquals(StartTime.parse("14:00"), StartTime.parse("14:00:30"));
        assertEquals(StartTime.parse("16:00"), StartTime.parse("14:00+02:00"));
        org.junit.jupiter.api.Assertions.assertNotEquals(StartTime.parse("09:00"), StartTime.parse("14:00-05:00"));
    }

    @Test
    void cronCannotHaveAStartTime() {
        ScheduleException e = assertThrows(ScheduleException.class,
                () -> ScheduleItem.parse("cron:0 * * * *", "14:00"));
        assertEquals("Invalid start time 14:00:00: a cron interval cannot have a start time", e.getMessage());
    }
}
