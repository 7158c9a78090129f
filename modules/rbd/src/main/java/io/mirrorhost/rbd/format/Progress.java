package io.mirrorhost.rbd.format;

/**
 * rbd's progress output ({@code utils::ProgressContext}) on standard error: each new whole percentage
 * as {@code \rOperation: N% complete...}, then {@code \rOperation: 100% complete...done.} or
 * {@code \rOperation: N% complete...failed.}; nothing with {@code --no-progress}. Operations that
 * work object by object report after each object but the last, as librbd does, so the text is the
 * same as rbd's for the same image.
 */
public final class Progress {
    private final String operation;
    private final boolean enabled;
    private final StringBuilder out = new StringBuilder();
    private int lastPercent;

    public Progress(String operation, boolean noProgress) {
        this.operation = operation;
        this.enabled = !noProgress;
    }

    /** Reports {@code done} of {@code total}; printed only when the percentage grows. */
    public Progress update(long done, long total) {
        int percent = percentage(done, total);
        if (enabled && percent > lastPercent) {
            out.append('\r').append(operation).append(": ").append(percent).append("% complete...");
            lastPercent = percent;
        }
        return this;
    }

    /** Reports items {@code from} to {@code total - 1} of {@code total}, one by one. */
    public Progress steps(long from, long total) {
        for (long i = Math.max(1, from); i < total; i = nextPercent(i, total)) {
            update(i, total);
        }
        return this;
    }

    /**
     * The first item after {@code i} at which the percentage grows: the items between print nothing,
     * and an image of 2^38 objects takes a hundred steps, not 2^38.
     */
    private static long nextPercent(long i, long total) {
        long next = percentage(i, total) + 1;
        return Math.max(i + 1, (next * total + 99) / 100);
    }

    /** Everything printed, ending with the done line. */
    public String done() {
        if (enabled) {
            out.append('\r').append(operation).append(": 100% complete...done.\n");
        }
        return out.toString();
    }

    /** Everything printed, ending with the failed line (no trailing newline: a message follows). */
    public String failed() {
        if (enabled) {
            out.append('\r').append(operation).append(": ").append(lastPercent).append("% complete...failed.\n");
        }
        return out.toString();
    }

    public static int percentage(long part, long whole) {
        return whole == 0 ? 0 : (int) (100 * part / whole);
    }
}
