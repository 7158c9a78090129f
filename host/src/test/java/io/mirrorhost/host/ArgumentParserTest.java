package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentParserTest {
    private static final CommandSpec CMD = CommandSpec.of("demo run", "demo",
            r -> Future.succeededFuture(CommandResult.ok()),
            ArgSpec.positional("name", ArgType.STRING, "a name"),
            ArgSpec.option("count", ArgType.INT, "count").withRange(-5L, 5L),
            ArgSpec.option("ratio", ArgType.FLOAT, "ratio").withRange(0L, 1L),
            ArgSpec.option("size", ArgType.SIZE, "size").withRange(1L, null),
            ArgSpec.option("mode", ArgType.STRING, "mode").withChoices("fast", "slow").withDefault("slow"),
            ArgSpec.option("tag", ArgType.STRING, "tag").repeatable(),
            ArgSpec.flag("force", "force"));

    private static String error(Map<String, ?> raw) {
        CommandException e = assertThrows(CommandException.class, () -> ArgumentParser.parse(CMD, raw));
        assertEquals(Errno.EINVAL, e.errno());
        return e.getMessage();
    }

    @Test
    void typesValuesAndAppliesDefaults() {
        Map<String, Object> args = ArgumentParser.parse(CMD, Map.of("name", "n", "count", "-3", "ratio", "0.25",
                "size", "10M", "tag", List.of("a", "b")));
        assertEquals(Map.of("name", "n", "count", -3L, "ratio", 0.25, "size", 10L << 20, "mode", "slow",
                "tag", List.of("a", "b"), "force", false), args);
    }

    @Test
    void acceptsJsonNumbersAndBooleans() {
        Map<String, Object> args = ArgumentParser.parse(CMD, Map.of("name", "n", "count", 4, "ratio", 1,
                "size", 4096L, "force", true, "tag", "one"));
        assertEquals(4L, args.get("count"));
        assertEquals(1.0, args.get("ratio"));
        assertEquals(4096L, args.get("size"));
        assertEquals(true, args.get("force"));
        assertEquals(List.of("one"), args.get("tag"));
        assertEquals(3L, ArgumentParser.parse(CMD, Map.of("name", "n", "count", 3.0)).get("count"));
        assertEquals("argument 'count' must be an integer, got '3.5'", error(Map.of("name", "n", "count", 3.5)));
    }

    @Test
    void eachProblemIsNamed() {
        assertEquals("missing required argument 'name' for command 'demo run'", error(Map.of()));
        assertEquals("argument 'count' must be an integer, got 'x'", error(Map.of("name", "n", "count", "x")));
        assertEquals("argument 'count' must be at least -5, got -6", error(Map.of("name", "n", "count", "-6")));
        assertEquals("argument 'count' must be at most 5, got 6", error(Map.of("name", "n", "count", "6")));
        assertEquals("argument 'ratio' must be a number, got 'NaN'", error(Map.of("name", "n", "ratio", "NaN")));
        assertEquals("argument 'ratio' must be at most 1, got 1.5", error(Map.of("name", "n", "ratio", "1.5")));
        assertEquals("argument 'size' must be at least 1, got 0", error(Map.of("name", "n", "size", "0")));
        assertEquals("invalid value 'medium' for argument 'mode': choose from fast, slow",
                error(Map.of("name", "n", "mode", "medium")));
        assertEquals("argument 'force' must be true or false, got 'perhaps'",
                error(Map.of("name", "n", "force", "perhaps")));
        assertEquals("argument 'name' must not be empty", error(Map.of("name", " ")));
        assertEquals("argument 'name' may be given only once", error(Map.of("name", List.of("a", "b"))));
        assertEquals("unknown argument 'colour' for command 'demo run' (known: name, count, ratio, size, mode, tag,"
                + " force)", error(Map.of("name", "n", "colour", "red")));
        assertEquals("argument 'tag' must be a single value, got an object", error(Map.of("name", "n",
                "tag", List.of(Map.of("a", 1)))));
    }
}
