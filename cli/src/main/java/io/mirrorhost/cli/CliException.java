package io.mirrorhost.cli;

/** The CLI stops with this message on standard error and this exit status. */
final class CliException extends RuntimeException {
    private final int exitStatus;

    CliException(int exitStatus, String message) {
        super(message, null, false, false);
        this.exitStatus = exitStatus;
    }

    int exitStatus() {
        return exitStatus;
    }
}
