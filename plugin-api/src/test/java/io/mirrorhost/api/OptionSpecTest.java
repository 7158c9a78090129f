package io.mirrorhost.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionSpecTest {
    private static final Map<String, OptionSpec<?>> SPECS = Map.of(
            "count", OptionSpec.integer("count", 10, "").withRange(1L, 1000L),
            "offset", OptionSpec.integer("offset", 0, ""),
            "interval", OptionSpec.seconds("interval", 60, "").withRange(1L, 3600L),
            "limit", OptionSpec.size("limit", "0", "").withRange(0L, 1L << 30),
            "verbose", OptionSpec.bool("verbose", false, ""),
            "pool", OptionSpec.text("pool", "", ""),
            "level", OptionSpec.choice("level", List.of("info", "debug"), "info", ""));

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "count    | 1        | 1",
        "count    | 1000     | 1000",
        "count    | ' 42 '   | 42",
        "offset   | -7       | -7",
        "interval | 30       | PT30S",
        "interval | 3600     | PT1H",
        "limit    | 0        | 0",
        "limit    | 1M       | 1048576",
        "limit    | 512KiB   | 524288",
        "limit    | 1G       | 1073741824",
        "verbose  | yes      | true",
        "verbose  | off      | false",
        "verbose  | TRUE     | true",
        "verbose  | 0        | false",
        "pool     | fast     | fast",
        "level    | debug    | debug",
    })
    void parsesEachTypeToWhatTheModuleReads(String option, String text, String expected) {
        assertEquals(expected, String.valueOf(SPECS.get(option).parse(text)));
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "count    | 0      | option 'count' must be at least 1, got 0",
        "count    | 1001   | option 'count' must be at most 1000, got 1001",
        "count    | ten    | option 'count' must be an integer, got 'ten'",
        "count    | 1.5    | option 'count' must be an integer, got '1.5'",
        "interval | 0      | option 'interval' must be at least 1, got 0",
        "interval | 1m     | option 'interval' must be an integer, got '1m'",
        "limit    | 2G     | option 'limit' must be at most 1073741824, got 2147483648",
        "limit    | fast   | option 'limit' must be a size such as 1024, 10M or 1G, got 'fast'",
        "verbose  | maybe  | option 'verbose' must be true or false, got 'maybe'",
        "pool     | ' '    | option 'pool' must not be empty",
        "level    | loud   | invalid value 'loud' for option 'level': choose from info, debug",
    })
    void refusesWhatTheDeclarationRefusesNamingTheOption(String option, String text, String message) {
        CommandException e = assertThrows(CommandException.class, () -> SPECS.get(option).parse(text));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(message, e.getMessage());
    }

    @Test
    void defaultsAreTypedAsValuesAreAndAnEmptyTextDefaultMeansUnset() {
        assertEquals(10L, SPECS.get("count").parseDefault());
        assertEquals(Duration.ofMinutes(1), SPECS.get("interval").parseDefault());
        assertEquals(0L, SPECS.get("limit").parseDefault());
        assertEquals(false, SPECS.get("verbose").parseDefault());
        assertEquals("info", SPECS.get("level").parseDefault());
        assertEquals("", SPECS.get("pool").parseDefault());
        assertEquals("option 'pool' must not be empty",
                assertThrows(CommandException.class, () -> SPECS.get("pool").parse("")).getMessage());
    }

    @Test
    void anInvalidDefaultFailsAsAnInvalidValueDoes() {
        assertEquals("option 'count' must be at least 1, got 0", assertThrows(CommandException.class,
                () -> OptionSpec.integer("count", 0, "").withRange(1L, null).parseDefault()).getMessage());
        assertEquals("invalid value 'loud' for option 'level': choose from info, debug", assertThrows(
                CommandException.class, () -> OptionSpec.choice("level", List.of("info", "debug"), "loud", "")
                        .parseDefault()).getMessage());
        assertEquals("option 'limit' must be a size such as 1024, 10M or 1G, got 'lots'", assertThrows(
                CommandException.class, () -> OptionSpec.size("limit", "lots", "").parseDefault()).getMessage());
    }

    @Test
    void declarationsThatCannotWorkAreRefusedWhenWritten() {
        assertThrows(IllegalArgumentException.class, () -> OptionSpec.choice("level", List.of(), "info", ""));
        assertThrows(IllegalArgumentException.class, () -> OptionSpec.text("pool", "", "").withRange(1L, 2L));
        assertThrows(IllegalArgumentException.class, () -> OptionSpec.bool("verbose", true, "").withRange(0L, 1L));
        assertThrows(NullPointerException.class, () -> OptionSpec.size("limit", null, ""));
    }

    @Test
    void theTextFormIsCephsWhateverTheModuleReads() {
        OptionSpec<Duration> interval = OptionSpec.seconds("interval", 30, "seconds").withRange(1L, 3600L);
        assertEquals(ArgType.INT, interval.type());
        assertEquals("30", interval.defaultValue());
        assertEquals(1L, interval.min());
        assertEquals(3600L, interval.max());
        assertEquals("false", OptionSpec.bool("verbose", false, "").defaultValue());
        assertEquals(ArgType.CHOICE, SPECS.get("level").type());
        assertEquals(List.of("info", "debug"), SPECS.get("level").choices());
    }

    @Test
    void optionsAreCheckedAgainstTheirDeclaration() {
        OptionSpec<Long> interval = OptionSpec.integer("interval", 60, "seconds").withRange(1L, 3600L);
        assertEquals(30L, interval.parse("30"));
        assertEquals("option 'interval' must be at least 1, got 0",
                assertThrows(CommandException.class, () -> interval.parse("0")).getMessage());
        OptionSpec<String> level = OptionSpec.choice("level", List.of("info", "debug"), "info", "");
        assertEquals("invalid value 'loud' for option 'level': choose from info, debug",
                assertThrows(CommandException.class, () -> level.parse("loud")).getMessage());
    }
}
