package io.mirrorhost.api;

/**
 * What a command answered, as a Ceph manager command does: a return code (0 or a negative errno),
 * what goes to standard output and what goes to standard error. A command whose output is binary
 * ({@code export IMAGE -}) puts it in {@code binaryStdout} instead of {@code stdout}.
 */
public record CommandResult(int code, String stdout, String stderr, byte[] binaryStdout) {

    public CommandResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    public CommandResult(int code, String stdout, String stderr) {
        this(code, stdout, stderr, null);
    }

    public static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "");
    }

    public static CommandResult ok() {
        return new CommandResult(0, "", "");
    }

    /** Success with binary standard output, and {@code stderr} for progress lines. */
    public static CommandResult binary(byte[] data, String stderr) {
        return new CommandResult(0, "", stderr, data);
    }

    public static CommandResult error(Errno errno, String message) {
        return new CommandResult(-errno.code(), "", message);
    }

    public boolean succeeded() {
        return code == 0;
    }
}
