package io.mirrorhost.api.cluster;

/**
 * What the storage holds for a fence: its current epoch and who took it last (the {@code holder}
 * passed to {@link Fencing#fenceTake}), and how many calls under an older epoch the storage has
 * refused since it started ({@code refused}: what an operator or a test reads to see that a stale
 * holder was stopped).
 */
public record FenceRecord(String name, long epoch, String holder, long refused) {
}
