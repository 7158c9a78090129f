package io.mirrorhost.rbd.format;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Byte counts as rbd prints them ({@code byte_u_t} in Ceph's {@code include/types.h}): binary units,
 * whole multiples without a fraction ({@code 1 GiB}), others with the most decimals that fit in seven
 * characters ({@code 1.5 KiB}), rounded as glibc's {@code printf} rounds.
 */
public final class SizeFormat {
    private static final String[] UNITS = {" B", " KiB", " MiB", " GiB", " TiB", " PiB", " EiB"};

    private SizeFormat() {
    }

    /** {@code 1073741824} as {@code 1 GiB}; the value is treated as unsigned, as rbd's uint64_t. */
    public static String bytes(long value) {
        long n = value;
        int index = 0;
        while (Long.compareUnsigned(n, 1024) >= 0 && index < 7) {
            n = Long.divideUnsigned(n, 1024);
            index++;
        }
        if (index == 0) {
            return Long.toUnsignedString(n) + UNITS[0];
        }
        long multiplier = 1L << (10 * index);
        if (Long.remainderUnsigned(value, multiplier) == 0) {
            return Long.toUnsignedString(n) + UNITS[index];
        }
        double scaled = unsignedToDouble(value) / multiplier;
        String text = "";
        for (int decimals = 2; decimals >= 0; decimals--) {
            text = fixed(scaled, decimals) + UNITS[index];
            if (text.length() <= 7) {
                break;
            }
        }
        return text;
    }

    /** {@code printf("%.Nf")}: the exact binary value rounded half-even, as glibc does. */
    public static String fixed(double value, int decimals) {
        return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static double unsignedToDouble(long value) {
        double d = (double) (value >>> 1) * 2.0;
        return d + (value & 1);
    }
}
