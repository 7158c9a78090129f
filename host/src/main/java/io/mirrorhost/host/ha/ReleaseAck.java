package io.mirrorhost.host.ha;

/**
 * {@code from} stopped its work on {@code key} and its writes completed ({@code WorkAssignment.released}).
 * It counts only while {@code from} still owns the item and was asked to release it: an ack that
 * arrives after the item moved on (its release timed out) must not move it again.
 */
public record ReleaseAck(ItemKey key, String from) {
}
