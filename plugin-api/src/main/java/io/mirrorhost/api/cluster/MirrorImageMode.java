package io.mirrorhost.api.cluster;

/** How an image is mirrored ({@code rbd_mirror_image_mode_t}). */
public enum MirrorImageMode {
    JOURNAL, SNAPSHOT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
