package io.mirrorhost.embedded;

/**
 * An object's state in an object map, as Ceph's fast-diff keeps it: {@code EXISTS} when written since
 * the previous snapshot, {@code EXISTS_CLEAN} when it exists unchanged since then.
 */
public enum ObjectState {
    NONEXISTENT, EXISTS, EXISTS_CLEAN
}
