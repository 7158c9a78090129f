package io.mirrorhost.api.cluster;

/** State of a mirror-snapshot ({@code rbd_snap_mirror_state_t}); rbd prints them as below. */
public enum MirrorSnapshotState {
    PRIMARY("primary"),
    PRIMARY_DEMOTED("demoted"),
    NON_PRIMARY("non-primary"),
    NON_PRIMARY_DEMOTED("demoted");

    private final String label;

    MirrorSnapshotState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean isPrimary() {
        return this == PRIMARY || this == PRIMARY_DEMOTED;
    }

    public boolean isDemoted() {
        return this == PRIMARY_DEMOTED || this == NON_PRIMARY_DEMOTED;
    }
}
