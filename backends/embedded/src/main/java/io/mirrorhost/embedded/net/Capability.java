package io.mirrorhost.embedded.net;

import io.mirrorhost.api.cluster.ClusterException;
import java.util.Locale;

/**
 * What a named client may do over the network, in the spirit of Ceph's cap profiles: {@code admin}
 * is everything, {@code rbd-mirror-peer} is what a peer site's rbd-mirror daemon needs,
 * {@code read-only} is reads and watches.
 */
public enum Capability {
    ADMIN("admin"),
    RBD_MIRROR_PEER("rbd-mirror-peer"),
    READ_ONLY("read-only");

    private final String label;

    Capability(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Capability parse(String word) {
        String wanted = word.trim().toLowerCase(Locale.ROOT);
        for (Capability c : values()) {
            if (c.label.equals(wanted)) {
                return c;
            }
        }
        throw ClusterException.invalid("unknown capability '" + word + "' (expected admin, rbd-mirror-peer or read-only)");
    }

    @Override
    public String toString() {
        return label;
    }
}
