package io.mirrorhost.api.cluster;

/** Which way a peer mirrors ({@code rbd_mirror_peer_direction_t}). */
public enum MirrorPeerDirection {
    RX_ONLY("rx-only"), TX_ONLY("tx-only"), RX_TX("rx-tx");

    private final String label;

    MirrorPeerDirection(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean receives() {
        return this != TX_ONLY;
    }

    public static MirrorPeerDirection parse(String word) {
        for (MirrorPeerDirection d : values()) {
            if (d.label.equals(word)) {
                return d;
            }
        }
        throw ClusterException.invalid("invalid peer direction: " + word);
    }
}
