package io.mirrorhost.api.cluster;

/** A byte range of an image: {@code length} bytes at {@code offset}. */
public record Extent(long offset, int length) {
    public Extent {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("extent of " + length + " bytes at " + offset + " is invalid");
        }
    }
}
