package io.mirrorhost.api.cluster;

/** Mirror mode of a pool or namespace ({@code rbd_mirror_mode_t}). */
public enum MirrorMode {
    DISABLED, IMAGE, POOL;

    /** The word rbd prints and accepts ({@code image}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
