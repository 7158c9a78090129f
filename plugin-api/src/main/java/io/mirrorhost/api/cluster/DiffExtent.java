package io.mirrorhost.api.cluster;

/**
 * One changed extent between two points of an image, as {@code rbd_diff_iterate2} reports it:
 * {@code exists} is false when the extent became zero or was discarded.
 */
public record DiffExtent(long offset, long length, boolean exists) {
}
