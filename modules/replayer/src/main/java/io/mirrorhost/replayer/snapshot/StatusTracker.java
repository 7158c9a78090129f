package io.mirrorhost.replayer.snapshot;

import io.mirrorhost.api.cluster.MirrorImageStatusState;

/**
 * The status an image replayer reports, with rbd-mirror's sticky error: once a status is
 * {@code error} it stays {@code error} until replay succeeds again,
 * so a replay that fails on every retry does not ping-pong through {@code starting_replay}; any
 * definite outcome (syncing, replaying, stopped, unknown) replaces it.
 */
public final class StatusTracker {
    public record Status(MirrorImageStatusState state, String description) {
    }

    private Status current;

    public Status update(MirrorImageStatusState state, String description) {
        boolean transient_ = state == MirrorImageStatusState.STARTING_REPLAY
                || state == MirrorImageStatusState.STOPPING_REPLAY;
        if (current != null && current.state() == MirrorImageStatusState.ERROR && transient_) {
            return current;
        }
        current = new Status(state, description);
        return current;
    }

    public Status current() {
        return current;
    }

    public static Status starting() {
        return new Status(MirrorImageStatusState.STARTING_REPLAY, "starting replay");
    }

    /** The initial full sync: {@code up+syncing} with its percent. */
    public static Status initialSync(int percent) {
        return new Status(MirrorImageStatusState.SYNCING, "bootstrapping, IMAGE_SYNC/COPY_IMAGE " + percent + "%");
    }
}
