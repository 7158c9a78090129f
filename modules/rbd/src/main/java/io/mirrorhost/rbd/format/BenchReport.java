package io.mirrorhost.rbd.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What {@code rbd bench} prints ({@code action/Bench.cc}): a header line, a table line each time the
 * elapsed whole second changes (rates over a rolling window of the last five seconds), and the
 * summary. Pure: the caller reports issued I/Os and elapsed times.
 */
public final class BenchReport {
    public static final String TABLE_HEADING = "  SEC       OPS   OPS/SEC   BYTES/SEC\n";
    private static final int WINDOW_SIZE = 5;

    private final long ioThreads;
    private final long ioSize;
    private final boolean readWrite;
    private long readOps;
    private long writeOps;
    private final StringBuilder out = new StringBuilder();
    private final Deque<double[]> window = new ArrayDeque<>();
    private double last;
    private long ios;
    private long bytes;
    private long currentIos;
    private long currentBytes;

    /**
     * @param ioType         {@code read}, {@code write} or {@code readwrite}
     * @param readPercentage for readwrite, the share of reads ({@code --rw-mix-read})
     */
    public BenchReport(String ioType, long readPercentage, long ioSize, long ioThreads, long totalBytes,
                       boolean random) {
        this.ioThreads = ioThreads;
        this.ioSize = ioSize;
        this.readWrite = ioType.equals("readwrite");
        out.append("bench  type ").append(ioType);
        if (readWrite) {
            out.append(" read:write=").append(readPercentage).append(':').append(100 - readPercentage);
        }
        out
                .append(" io_size ").append(ioSize)
                .append(" io_threads ").append(ioThreads)
                .append(" bytes ").append(totalBytes)
                .append(" pattern ").append(random ? "random" : "sequential").append('\n');
        out.append(TABLE_HEADING);
    }

    /** One I/O was issued. */
    public void issued(boolean read) {
        ios++;
        bytes += ioSize;
        currentIos++;
        currentBytes += ioSize;
        if (read) {
            readOps++;
        } else {
            writeOps++;
        }
    }

    /** Called after each round of issued I/Os with the seconds elapsed since the start. */
    public void observe(double elapsedSeconds) {
        if (last == 0) {
            last = elapsedSeconds;
            return;
        }
        if ((int) elapsedSeconds == (int) last) {
            return;
        }
        window.addLast(new double[] {elapsedSeconds - last, currentIos, currentBytes});
        if (window.size() > WINDOW_SIZE) {
            window.removeFirst();
        }
        currentIos = 0;
        currentBytes = 0;
        double timeSum = 0;
        double iosSum = 0;
        double bytesSum = 0;
        for (double[] sample : window) {
            timeSum += sample[0];
            iosSum += sample[1];
            bytesSum += sample[2];
        }
        out.append(String.format("%5d  %8d  %8s  %8s/s\n", (int) elapsedSeconds, (int) (ios - ioThreads),
                SizeFormat.fixed(iosSum / timeSum, 2), SizeFormat.bytes((long) (bytesSum / timeSum))));
        last = elapsedSeconds;
    }

    /** What was printed before the run stopped on an I/O error, and rbd's line for the error. */
    public String failed(String errorLine) {
        return out + errorLine + "\n";
    }

    /** The whole report, ending with the summary line. */
    public String finish(double elapsedSeconds) {
        out.append("elapsed: ").append((int) elapsedSeconds)
                .append("   ops: ").append(ios)
                .append("   ops/sec: ").append(defaultNotation(ios / elapsedSeconds))
                .append("   bytes/sec: ").append(bytesRate(bytes, elapsedSeconds)).append("/s\n");
        if (readWrite) {
            out.append("read_ops: ").append(readOps)
                    .append("   read_ops/sec: ").append(defaultNotation(readOps / elapsedSeconds))
                    .append("   read_bytes/sec: ").append(bytesRate(readOps * ioSize, elapsedSeconds)).append("/s\n");
            out.append("write_ops: ").append(writeOps)
                    .append("   write_ops/sec: ").append(defaultNotation(writeOps / elapsedSeconds))
                    .append("   write_bytes/sec: ").append(bytesRate(writeOps * ioSize, elapsedSeconds)).append("/s\n");
        }
        return out.toString();
    }

    /** A rate in bytes/s; an infinite rate (nothing measurable elapsed) prints as rbd's {@code 0 B}. */
    private static String bytesRate(long bytes, double seconds) {
        double rate = bytes / seconds;
        return SizeFormat.bytes(Double.isFinite(rate) ? (long) rate : 0);
    }

    public long ios() {
        return ios;
    }

    /** C++ {@code ostream} default notation: six significant digits, no trailing zeros ({@code %g}). */
    public static String defaultNotation(double value) {
        if (Double.isNaN(value)) {
            return "-nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
            String sign = exponent < 0 ? "-" : "+";
            return mantissa.toPlainString() + "e" + sign + String.format("%02d", Math.abs(exponent));
        }
        return rounded.stripTrailingZeros().toPlainString();
    }
}
