package io.mirrorhost.api;

/**
 * What a command answered, as a Ceph manager command does: a return code (0 or a negative errno),
 * what goes to standard output and what goes to standard error.
 */
public record CommandResult(int code, String stdout, String stderr) {

    public CommandResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    public static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "");
    }

    public static CommandResult ok() {
        return new CommandResult(0, "", "");
    }

    public static CommandResult error(Errno errno, String message) {
        return new CommandResult(-errno.code(), "", message);
    }

    public boolean succeeded() {
        return code == 0;
    }
}
