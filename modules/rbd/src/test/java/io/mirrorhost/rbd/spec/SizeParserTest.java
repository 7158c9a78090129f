package io.mirrorhost.rbd.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import org.junit.jupiter.api.Test;

class SizeParserTest {

    @Test
    void imageSizeDefaultsToMebibytes() {
        assertEquals(1024L << 20, SizeParser.imageSize("1024", "--size"));
        assertEquals(1L << 30, SizeParser.imageSize("1G", "--size"));
        assertEquals(1L << 30, SizeParser.imageSize("1Gi", "--size"));
        assertEquals(512, SizeParser.imageSize("512B", "--size"));
        assertEquals(2L << 40, SizeParser.imageSize("2T", "--size"));
        assertEquals(10L << 10, SizeParser.imageSize("10K", "--size"));
    }

    @Test
    void byteSizesDefaultToBytes() {
        assertEquals(4096, SizeParser.iecBytes("4096", "--io-size"));
        assertEquals(4096, SizeParser.iecBytes("4K", "--io-size"));
        assertEquals(1L << 20, SizeParser.iecBytes("1M", "--object-size"));
    }

    @Test
    void invalidSizesAreReportedAsBoostDoes() {
        for (String bad : new String[] {"abc", "1.5G", "G", "1X", "1GiB", "-1", "1Bi", "", "99999999999999999999"}) {
            CommandException e = assertThrows(CommandException.class, () -> SizeParser.imageSize(bad, "--size"),
                    bad);
            assertEquals("rbd: the argument for option '--size' is invalid", e.getMessage());
            assertEquals(Errno.EPERM, e.errno(), "rbd exits 1 for usage errors");
        }
    }

    @Test
    void overflowingMebibytesIsInvalid() {
        assertThrows(CommandException.class, () -> SizeParser.imageSize(Long.toString(1L << 50), "--size"));
    }
}
