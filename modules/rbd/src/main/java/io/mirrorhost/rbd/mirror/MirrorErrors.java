package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;

/**
 * Turns cluster failures into what rbd prints. rbd words some failures itself
 * ({@code rbd: error promoting image to primary}); for others it prints nothing and the user sees only
 * librbd's own log line ({@code librbd::api::Mirror: image_enable: cannot enable mirroring in the current
 * pool mirroring mode}). Backends put that librbd text (one line per log entry) in the
 * {@link ClusterException} message, so it is shown where rbd would show it.
 */
final class MirrorErrors {

    private MirrorErrors() {
    }

    /** rbd prints nothing of its own: only librbd's line, with the failure's errno as exit status. */
    static Throwable silent(Throwable failure) {
        if (!(failure instanceof ClusterException ce)) {
            return failure;
        }
        String block = librbdBlock(ce);
        return new CommandException(ce.errno(), block.isEmpty() ? "" : block.substring(0, block.length() - 1));
    }

    /** {@code TEXT: (22) Invalid argument}, as rbd's {@code << cpp_strerror(r)} messages. */
    static Throwable withErrno(String text, Throwable failure) {
        if (!(failure instanceof ClusterException ce)) {
            return failure;
        }
        return new CommandException(ce.errno(), text + ": " + ce.errno().describe());
    }

    /** librbd's line then rbd's fixed {@code text} (no errno), as rbd prints after a failed librbd call. */
    static Throwable after(String text, Throwable failure) {
        if (!(failure instanceof ClusterException ce)) {
            return failure;
        }
        return new CommandException(ce.errno(), librbdBlock(ce) + text);
    }

    /** librbd's line then {@code TEXT: (16) Device or resource busy}. */
    static Throwable afterWithErrno(String text, Throwable failure) {
        if (!(failure instanceof ClusterException ce)) {
            return failure;
        }
        return after(text + ": " + ce.errno().describe(), failure);
    }

    static CommandException invalid(String text) {
        return new CommandException(Errno.EINVAL, text);
    }

    static Errno errno(Throwable failure) {
        return ClusterException.errnoOf(failure);
    }

    /**
     * librbd's log lines as rbd shows them on standard error, each followed by an empty line (16.2 flushes
     * its log entries that way), without the timestamp and thread prefix a real log line starts with.
     */
    private static String librbdBlock(ClusterException failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage().strip();
        if (message.isEmpty()) {
            return "";
        }
        StringBuilder block = new StringBuilder();
        for (String line : message.split("\n")) {
            if (!line.isBlank()) {
                block.append(line.strip()).append("\n\n");
            }
        }
        return block.toString();
    }
}
