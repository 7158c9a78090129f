package io.mirrorhost.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ValueParserTest {

    @Test
    void sizesUseBinaryUnits() {
        assertEquals(1024L, ValueParser.parseSize("s", "1K"));
        assertEquals(1024L, ValueParser.parseSize("s", "1KiB"));
        assertEquals(1536L, ValueParser.parseSize("s", "1.5k"));
        assertEquals(3L << 30, ValueParser.parseSize("s", "3G"));
        assertEquals(2L << 40, ValueParser.parseSize("s", "2T"));
        assertEquals(1L << 50, ValueParser.parseSize("s", "1P"));
        assertEquals(512L, ValueParser.parseSize("s", "512"));
        assertEquals(512L, ValueParser.parseSize("s", "512B"));
        assertEquals("s must be a size such as 1024, 10M or 1G, got '-1M'",
                assertThrows(CommandException.class, () -> ValueParser.parseSize("s", "-1M")).getMessage());
        assertEquals("s is too large: '9000P'",
                assertThrows(CommandException.class, () -> ValueParser.parseSize("s", "9000P")).getMessage());
        assertEquals("s must be a whole number of bytes, got '1.5'",
                assertThrows(CommandException.class, () -> ValueParser.parseSize("s", "1.5")).getMessage());
    }

    /** The forms the replayer's bandwidth limit was written in when it parsed its own sizes. */
    @Test
    void bandwidthLimitsKeepTheirMeaning() {
        assertEquals(0, ValueParser.parseSize("s", "0"));
        assertEquals(512 * 1024, ValueParser.parseSize("s", "512K"));
        assertEquals(100L << 20, ValueParser.parseSize("s", "100M"));
        assertEquals(1L << 30, ValueParser.parseSize("s", "1GiB"));
        assertEquals(2L << 40, ValueParser.parseSize("s", "2t"));
        assertThrows(CommandException.class, () -> ValueParser.parseSize("s", "fast"));
    }
}
