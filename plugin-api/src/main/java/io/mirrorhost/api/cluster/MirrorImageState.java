package io.mirrorhost.api.cluster;

/** Mirroring state of an image ({@code rbd_mirror_image_state_t}). */
public enum MirrorImageState {
    DISABLING, ENABLED, DISABLED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
