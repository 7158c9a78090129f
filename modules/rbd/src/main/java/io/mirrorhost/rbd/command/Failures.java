package io.mirrorhost.rbd.command;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * Turns cluster failures into rbd's messages: {@code rbd: create error: (17) File exists}. Where librbd
 * logs why it refused, rbd's standard error shows that log line first; backends put it (without
 * timestamp and thread, one line per log entry) in the {@link ClusterException}'s message, the way the
 * mirroring commands show them too, and it is printed here before rbd's own message.
 */
final class Failures {
    /** How librbd's log lines start (its subsystems log as {@code librbd::Operations:}, {@code librbd:}). */
    private static final String LIBRBD = "librbd:";

    private Failures() {
    }

    /**
     * A recovery that words a {@link ClusterException} as {@code prefix + "(errno) text"}; user errors
     * already worded pass through, anything else stays an internal failure.
     */
    static <T> Function<Throwable, Future<T>> as(String prefix) {
        return failure -> Future.failedFuture(word(failure, prefix));
    }

    /** librbd's log lines, then {@code prefix + "(errno) text"}. */
    static Throwable word(Throwable failure, String prefix) {
        if (failure instanceof ClusterException ce) {
            return new CommandException(ce.errno(), librbdLog(ce) + prefix + ce.errno().describe());
        }
        return failure;
    }

    /**
     * The librbd log lines a backend put in the failure's message, each followed by an empty line (rbd
     * 16.2 flushes its log entries that way); empty when librbd logged nothing.
     */
    static String librbdLog(ClusterException failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        StringBuilder log = new StringBuilder();
        for (String line : message.split("\n")) {
            if (line.strip().startsWith(LIBRBD)) {
                log.append(line.strip()).append("\n\n");
            }
        }
        return log.toString();
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

    /**
     * A failure with {@code lines} before the message of {@code failure} (which keeps its errno), after
     * librbd's log lines: rbd's progress and messages come after what librbd logged while it failed.
     */
    static Throwable prefixed(String lines, Throwable failure) {
        if (failure instanceof CommandException ce) {
            String message = ce.getMessage();
            int end = librbdLogEnd(message);
            return new CommandException(ce.errno(), message.substring(0, end) + lines + message.substring(end));
        }
        return failure;
    }

    private static int librbdLogEnd(String message) {
        int end = 0;
        while (message.startsWith(LIBRBD, end)) {
            int next = message.indexOf("\n\n", end);
            if (next < 0) {
                return end;
            }
            end = next + 2;
        }
        return end;
    }

    /** A failure with {@code line} after the message of {@code failure} (which keeps its errno). */
    static Throwable followedBy(Throwable failure, String line) {
        if (failure instanceof CommandException ce) {
            return new CommandException(ce.errno(), ce.getMessage() + "\n" + line);
        }
        return failure;
    }
}
