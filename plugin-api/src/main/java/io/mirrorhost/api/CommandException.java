package io.mirrorhost.api;

/**
 * A command failed for a reason the user can act on. The message is shown to the user as it is,
 * so it must name the problem ({@code rbd: error opening image x: (2) No such file or directory}).
 */
public class CommandException extends RuntimeException {
    private final Errno errno;

    public CommandException(Errno errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }

    public static CommandException invalid(String message) {
        return new CommandException(Errno.EINVAL, message);
    }
}
