package io.mirrorhost.api;

/**
 * Whether the client that asked for a command has gone: the host cancels a request when its HTTP
 * connection closes before the answer. A command that loops over an image's objects checks it at each
 * step and stops, so that no work runs on behalf of a client that is no longer there.
 */
public final class Cancellation {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Fails with ECANCELED once cancelled: the step that sees it ends the command. */
    public void check() {
        if (cancelled) {
            throw new CommandException(Errno.ECANCELED, "rbdm: the client went away: command cancelled");
        }
    }
}
