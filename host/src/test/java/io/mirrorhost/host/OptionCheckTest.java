package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.OptionSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionCheckTest {
    private static final List<OptionSpec<?>> OPTIONS = List.of(
            OptionSpec.integer("limit", 5, "").withRange(1L, 100L),
            OptionSpec.seconds("interval", 30, "").withRange(1L, 3600L),
            OptionSpec.size("chunk", "1M", "").withRange(0L, null),
            OptionSpec.bool("verbose", false, ""),
            OptionSpec.choice("flavour", List.of("plain", "fancy"), "plain", ""),
            OptionSpec.text("pool", "", ""));

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "limit    | 100   | ''",
        "limit    | 101   | option 'limit' must be at most 100, got 101",
        "interval | 3600  | ''",
        "interval | 0     | option 'interval' must be at least 1, got 0",
        "chunk    | 2G    | ''",
        "chunk    | -1    | option 'chunk' must be a size such as 1024, 10M or 1G, got '-1'",
        "verbose  | on    | ''",
        "verbose  | maybe | option 'verbose' must be true or false, got 'maybe'",
        "flavour  | fancy | ''",
        "flavour  | salty | invalid value 'salty' for option 'flavour': choose from plain, fancy",
        "pool     | fast  | ''",
        "pool     | ' '   | option 'pool' must not be empty",
        "colour   | blue  | ''",
    })
    void oneValueIsCheckedAgainstItsDeclaration(String option, String value, String problem) {
        assertEquals(problem.isEmpty() ? List.of() : List.of(problem),
                OptionCheck.invalidValues(OPTIONS, Map.of(option, value)));
    }

    @Test
    void everyInvalidValueIsReportedInDeclarationOrder() {
        Map<String, String> values = Map.of("verbose", "maybe", "limit", "1000", "colour", "blue", "pool", "fast",
                "flavour", "salty");
        assertEquals(List.of("option 'limit' must be at most 100, got 1000",
                "option 'verbose' must be true or false, got 'maybe'",
                "invalid value 'salty' for option 'flavour': choose from plain, fancy"),
                OptionCheck.invalidValues(OPTIONS, values));
    }

    @Test
    void everyInvalidDefaultIsReportedInDeclarationOrder() {
        assertEquals(List.of(), OptionCheck.invalidDefaults(OPTIONS));
        assertEquals(List.of("option 'limit' must be at least 1, got 0",
                "option 'chunk' must be a size such as 1024, 10M or 1G, got 'lots'",
                "invalid value 'salty' for option 'flavour': choose from plain, fancy"),
                OptionCheck.invalidDefaults(List.of(
                        OptionSpec.integer("limit", 0, "").withRange(1L, 100L),
                        OptionSpec.bool("verbose", true, ""),
                        OptionSpec.size("chunk", "lots", ""),
                        OptionSpec.text("pool", "", ""),
                        OptionSpec.choice("flavour", List.of("plain", "fancy"), "salty", ""))));
    }
}
