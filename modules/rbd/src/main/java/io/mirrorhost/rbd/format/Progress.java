package io.mirrorhost.rbd.format;

/**
 * The last line of rbd's progress output ({@code utils::ProgressContext}) for a finished operation,
 * which goes to standard error; suppressed by {@code --no-progress}. The intermediate
 * {@code \r}-overwritten percentages are not repeated, since the result is sent at once.
 */
public final class Progress {
    private final String operation;
    private final boolean enabled;

    public Progress(String operation, boolean noProgress) {
        this.operation = operation;
        this.enabled = !noProgress;
    }

    /** {@code Removing image: 100% complete...done.} */
    public String done() {
        return enabled ? operation + ": 100% complete...done.\n" : "";
    }

    /** {@code Removing image: 0% complete...failed.} */
    public String failed(int percent) {
        return enabled ? operation + ": " + percent + "% complete...failed.\n" : "";
    }

    public static int percentage(long part, long whole) {
        return whole == 0 ? 0 : (int) (100 * part / whole);
    }
}
