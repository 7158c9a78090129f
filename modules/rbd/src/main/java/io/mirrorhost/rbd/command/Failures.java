package io.mirrorhost.rbd.command;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Future;
import java.util.function.Function;

/** Turns cluster failures into rbd's messages: {@code rbd: create error: (17) File exists}. */
final class Failures {

    private Failures() {
    }

    /**
     * A recovery that words a {@link ClusterException} as {@code prefix + "(errno) text"}; user errors
     * already worded pass through, anything else stays an internal failure.
     */
    static <T> Function<Throwable, Future<T>> as(String prefix) {
        return failure -> Future.failedFuture(word(failure, prefix));
    }

    static Throwable word(Throwable failure, String prefix) {
        if (failure instanceof ClusterException ce) {
            return new CommandException(ce.errno(), prefix + ce.errno().describe());
        }
        return failure;
    }

    /** The errno of a cluster failure, or null for any other failure. */
    static Errno errno(Throwable failure) {
        if (failure instanceof ClusterException ce) {
            return ce.errno();
        }
        if (failure instanceof CommandException ce) {
            return ce.errno();
        }
        return null;
    }

    /** A failure with {@code lines} before the message of {@code failure} (which keeps its errno). */
    static Throwable prefixed(String lines, Throwable failure) {
        if (failure instanceof CommandException ce) {
            return new CommandException(ce.errno(), lines + ce.getMessage());
        }
        return failure;
    }

    /** A failure with {@code line} after the message of {@code failure} (which keeps its errno). */
    static Throwable followedBy(Throwable failure, String line) {
        if (failure instanceof CommandException ce) {
            return new CommandException(ce.errno(), ce.getMessage() + "\n" + line);
        }
        return failure;
    }
}
