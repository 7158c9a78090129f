package io.mirrorhost.status;

/** Health levels as {@code rbd mirror pool status} prints them, ordered from best to worst. */
public enum Health {
    OK, WARNING, ERROR;

    public Health worst(Health other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
