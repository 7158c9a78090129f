package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.rbd.command.Output;
import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.api.Errno;
import io.vertx.core.Future;

/**
 * What one rbd command has printed so far. rbd writes as it goes, so a command that fails half way
 * (a pool promote with one failing image) still shows what it printed before; this collects both
 * streams and turns the command's outcome into one {@link CommandResult}.
 */
final class MirrorOutput {
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private Errno firstError;

    MirrorOutput out(String text) {
        out.append(text);
        return this;
    }

    /** One line (or several) to standard error; nothing for an empty message, as rbd stays silent then. */
    MirrorOutput err(String lines) {
        if (lines != null && !lines.isEmpty()) {
            err.append(lines).append('\n');
        }
        return this;
    }

    /** Records a failure that does not stop the command; the first one becomes the exit status. */
    MirrorOutput failed(CommandException failure) {
        err(failure.getMessage());
        if (firstError == null) {
            firstError = failure.errno();
        }
        return this;
    }

    /** {@code utils::get_formatter}: {@code --pretty-format} needs a structured format. */
    static void checkFormat(CommandRequest request) {
        Output.checkFormat(request);
    }

    /** The JSON or XML writer the request asks for, or null for plain output. */
    static TreeWriter writer(CommandRequest request) {
        return Output.writer(request);
    }

    CommandResult result() {
        return firstError == null ? new CommandResult(0, out.toString(), err.toString())
                : new CommandResult(-firstError.code(), out.toString(), err.toString());
    }

    /**
     * The result once {@code work} is done: a {@link CommandException} becomes rbd's message and exit
     * status; any other failure stays a failure (an internal error for the host to report).
     */
    Future<CommandResult> finish(Future<?> work) {
        return work.map(ignored -> result()).recover(failure -> {
            if (failure instanceof CommandException ce) {
                return Future.succeededFuture(failed(ce).result());
            }
            return Future.failedFuture(failure);
        });
    }
}
