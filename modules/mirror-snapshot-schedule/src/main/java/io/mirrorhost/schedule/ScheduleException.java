package io.mirrorhost.schedule;

/**
 * A schedule, level spec or stored value is invalid; the message is the text Ceph's
 * {@code rbd_support} module answers ({@code Invalid interval (2x)}), shown to the user as it is.
 */
public class ScheduleException extends RuntimeException {
    public ScheduleException(String message) {
        super(message, null, false, false);
    }
}
