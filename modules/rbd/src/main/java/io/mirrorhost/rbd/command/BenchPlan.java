package io.mirrorhost.rbd.command;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.rbd.spec.SizeParser;
import java.util.Random;

/**
 * The parameters of {@code rbd bench} and the order in which it issues I/O ({@code action/Bench.cc}):
 * rounds of one I/O per thread; sequentially, thread {@code i} starts at its own share of the image and
 * moves on by one I/O size per round; randomly, every offset is a random multiple of the I/O size.
 * Pure: the random source is given.
 */
final class BenchPlan {
    enum IoType {
        READ("read"), WRITE("write"), READWRITE("readwrite");

        final String label;

        IoType(String label) {
            this.label = label;
        }

        static IoType parse(String word) {
            return switch (word) {
                case "read" -> READ;
                case "write" -> WRITE;
                case "readwrite", "rw" -> READWRITE;
                default -> throw invalid("--io-type");
            };
        }
    }

    final IoType ioType;
    final long ioSize;
    final int ioThreads;
    final long totalBytes;
    final boolean random;
    final long readPercentage;

    private BenchPlan(IoType ioType, long ioSize, int ioThreads, long totalBytes, boolean random, long readPercentage) {
        this.ioType = ioType;
        this.ioSize = ioSize;
        this.ioThreads = ioThreads;
        this.totalBytes = totalBytes;
        this.random = random;
        this.readPercentage = readPercentage;
    }

    /** Option values as text ({@code ""} when absent); the checks and messages are rbd's, in its order. */
    static BenchPlan parse(String ioType, String ioSize, String ioThreads, String ioTotal, String ioPattern,
                           String rwMixRead) {
        IoType type = ioType.isEmpty() ? null : IoType.parse(ioType);
        long size = ioSize.isEmpty() ? 4096 : SizeParser.iecBytes(ioSize, "--io-size");
        long threads = ioThreads.isEmpty() ? 16 : unsigned(ioThreads, "--io-threads", 0xFFFF_FFFFL);
        long total = ioTotal.isEmpty() ? 1L << 30 : SizeParser.iecBytes(ioTotal, "--io-total");
        boolean rand = switch (ioPattern) {
            case "", "seq" -> false;
            case "rand" -> true;
            default -> throw invalid("--io-pattern");
        };
        long mix = rwMixRead.isEmpty() ? 50 : unsigned(rwMixRead, "--rw-mix-read", Long.MAX_VALUE);
        if (type == null) {
            throw CommandException.invalid("rbd: --io-type must be specified.");
        }
        if (size == 0) {
            throw CommandException.invalid("rbd: --io-size should be greater than zero.");
        }
        if (threads == 0) {
            throw CommandException.invalid("rbd: --io-threads should be greater than zero.");
        }
        long readPercentage = switch (type) {
            case READ -> 100;
            case WRITE -> 0;
            case READWRITE -> mix;
        };
        if (type == IoType.READWRITE && mix > 100) {
            throw CommandException.invalid("rbd: --rw-mix-read should not be larger than 100.");
        }
        if (threads > 1024) {
            throw CommandException.invalid("rbd: --io-threads should not be larger than 1024 in rbdm.");
        }
        return new BenchPlan(type, size, (int) threads, total, rand, readPercentage);
    }

    private static long unsigned(String text, String option, long max) {
        try {
            long value = Long.parseLong(text);
            if (value < 0 || value > max) {
                throw invalid(option);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(option);
        }
    }

    private static CommandException invalid(String option) {
        return new CommandException(Errno.EPERM, "rbd: the argument for option '" + option + "' is invalid");
    }

    /** The offsets of the I/Os in the order rbd issues them, for an image of {@code imageSize} bytes. */
    Offsets offsets(long imageSize, Random rand) {
        return new Offsets(imageSize, rand);
    }

    /** Generates offsets round by round, as rbd's loop does. */
    final class Offsets {
        private final long imageSize;
        private final Random rand;
        private final long unitLength;
        private final long[] threadOffset;
        private long issued;
        private int slot;

        private Offsets(long imageSize, Random rand) {
            this.imageSize = imageSize;
            this.rand = rand;
            this.unitLength = imageSize / ioSize / ioThreads;
            this.threadOffset = new long[ioThreads];
            for (int i = 0; i < ioThreads; i++) {
                threadOffset[i] = random ? randomOffset() : unitLength * i * ioSize;
            }
        }

        boolean hasNext() {
            return issued < totalBytes;
        }

        long next() {
            long offset = threadOffset[slot];
            issued += ioSize;
            slot++;
            if (slot == ioThreads || !hasNext()) {
                slot = 0;
                advance();
            }
            return offset;
        }

        private void advance() {
            for (int i = 0; i < ioThreads; i++) {
                if (random) {
                    threadOffset[i] = randomOffset();
                    continue;
                }
                if (issued < ioSize * unitLength * ioThreads) {
                    threadOffset[i] += ioSize;
                } else {
                    threadOffset[i] = issued + i * ioSize;
                }
                if (threadOffset[i] + ioSize > imageSize) {
                    threadOffset[i] = unitLength * i * ioSize;
                }
            }
        }

        private long randomOffset() {
            long slots = imageSize / ioSize;
            return slots == 0 ? 0 : Math.floorMod(rand.nextLong(), slots) * ioSize;
        }
    }
}
