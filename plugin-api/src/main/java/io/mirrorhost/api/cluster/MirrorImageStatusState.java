package io.mirrorhost.api.cluster;

/** Replay state of an image at one site ({@code rbd_mirror_image_status_state_t}). */
public enum MirrorImageStatusState {
    UNKNOWN, ERROR, SYNCING, STARTING_REPLAY, REPLAYING, STOPPING_REPLAY, STOPPED;

    /** {@code starting_replay}, as rbd prints it after {@code up+}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
