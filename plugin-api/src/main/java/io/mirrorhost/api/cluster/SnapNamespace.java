package io.mirrorhost.api.cluster;

/** Snapshot namespaces of librbd ({@code RBD_SNAP_NAMESPACE_TYPE_*}); rbd prints them in lower case. */
public enum SnapNamespace {
    USER, GROUP, TRASH, MIRROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
