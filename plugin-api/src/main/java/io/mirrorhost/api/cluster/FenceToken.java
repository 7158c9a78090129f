package io.mirrorhost.api.cluster;

/**
 * The right to write under fence {@code name} at {@code epoch}, as {@link Fencing#fenceTake} handed
 * it out: valid until someone takes the same fence again (a higher epoch).
 */
public record FenceToken(String name, long epoch) {

    @Override
    public String toString() {
        return name + "@" + epoch;
    }
}
