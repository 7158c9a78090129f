package io.mirrorhost.rbd.spec;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;

/**
 * Sizes as rbd reads them ({@code strict_iecstrtoll} in Ceph's {@code common/strtol.cc}): a whole
 * number with an optional unit {@code B K M G T P E}, also written {@code Ki Mi ...}; {@code --size}
 * alone counts a bare number in MiB ({@code ImageSize} in rbd's {@code ArgumentTypes.cc}).
 */
public final class SizeParser {

    private SizeParser() {
    }

    /** {@code --size}: a bare number is in MiB. */
    public static long imageSize(String text, String option) {
        long bytes = iecBytes(text, option);
        if (Character.isDigit(text.charAt(text.length() - 1))) {
            if (bytes > (Long.MAX_VALUE >> 20)) {
                throw invalidValue(text, option);
            }
            bytes <<= 20;
        }
        return bytes;
    }

    /** A size in bytes with an optional IEC unit ({@code --object-size}, {@code --io-size}, {@code --io-total}). */
    public static long iecBytes(String text, String option) {
        long value = parseIec(text);
        if (value < 0) {
            throw invalidValue(text, option);
        }
        return value;
    }

    /**
     * The error boost::program_options reports for a value it cannot take; rbd exits 1 for such usage
     * errors, so the errno is EPERM (1).
     */
    public static CommandException invalidValue(String text, String option) {
        return new CommandException(Errno.EPERM, "rbd: the argument for option '" + option + "' is invalid");
    }

    /** @return the size in bytes, or -1 if the text is not a valid size */
    static long parseIec(String text) {
        if (text == null || text.isEmpty()) {
            return -1;
        }
        int unitStart = 0;
        while (unitStart < text.length() && "0123456789-+".indexOf(text.charAt(unitStart)) >= 0) {
            unitStart++;
        }
        String number = text.substring(0, unitStart);
        String unit = text.substring(unitStart);
        int shift = 0;
        if (!unit.isEmpty()) {
            if (unit.length() > 2 || (unit.endsWith("i") && unit.startsWith("B"))) {
                return -1;
            }
            shift = switch (unit.charAt(0)) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                case 'T' -> 40;
                case 'P' -> 50;
                case 'E' -> 60;
                case 'B' -> 0;
                default -> -1;
            };
            if (shift < 0) {
                return -1;
            }
        }
        long value;
        try {
            value = Long.parseLong(number);
        } catch (NumberFormatException e) {
            return -1;
        }
        if (value < 0 || value > (Long.MAX_VALUE >> shift)) {
            return -1;
        }
        return value << shift;
    }
}
