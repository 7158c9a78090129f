package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;

/**
 * Turns cluster failures into what rbd prints. rbd words some failures itself
 * ({@code rbd: error promoting image to primary}); for others it prints nothing and the user sees only
 * librbd's own log line ({@code librbd::api::Mirror: image_enable: cannot enable mirroring in the current
 * pool mirroring mode}). Backends put that librbd text in the {@link ClusterException} message, so it is
 * shown where rbd would show it.
 */
final class MirrorErrors {

    private MirrorErrors() {
    }

    /** rbd prints nothing of its own: only librbd's line, with the failure's errno as exit status. */
    static Throwable silent(Throwable failure) {
        if (!(failure instanceof ClusterException ce)) {
            return failure;
        }
        return new CommandException(ce.errno(), librbdLine(ce));
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
        String librbd = librbdLine(ce);
        return new CommandException(ce.errno(), librbd.isEmpty() ? text : librbd + "\n" + text);
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

    private static String librbdLine(ClusterException failure) {
        String message = failure.getMessage();
        return message == null ? "" : message.strip();
    }
}
