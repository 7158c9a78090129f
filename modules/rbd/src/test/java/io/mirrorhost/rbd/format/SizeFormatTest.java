package io.mirrorhost.rbd.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SizeFormatTest {

    @Test
    void wholeMultiplesHaveNoFraction() {
        assertEquals("0 B", SizeFormat.bytes(0));
        assertEquals("1023 B", SizeFormat.bytes(1023));
        assertEquals("1 KiB", SizeFormat.bytes(1024));
        assertEquals("4 MiB", SizeFormat.bytes(4L << 20));
        assertEquals("1 GiB", SizeFormat.bytes(1L << 30));
        assertEquals("512 MiB", SizeFormat.bytes(512L << 20));
        assertEquals("2 TiB", SizeFormat.bytes(2L << 40));
        assertEquals("8 EiB", SizeFormat.bytes(Long.MIN_VALUE));
    }

    @Test
    void fractionsFitSevenCharacters() {
        assertEquals("1.5 KiB", SizeFormat.bytes(1536));
        assertEquals("9.9 MiB", SizeFormat.bytes(10380902));
        assertEquals("100 MiB", SizeFormat.bytes(104857601));
        assertEquals("10 GiB", SizeFormat.bytes((10L << 30) + 1));
    }

    @Test
    void roundsHalfToEvenLikeGlibc() {
        // 1.25 GiB is exact in binary: printf("%.1f") gives 1.2
        assertEquals("1.2 GiB", SizeFormat.bytes((1L << 30) + (1L << 28)));
        // 1.75 GiB: printf gives 1.8
        assertEquals("1.8 GiB", SizeFormat.bytes((1L << 30) + (3L << 28)));
    }
}
