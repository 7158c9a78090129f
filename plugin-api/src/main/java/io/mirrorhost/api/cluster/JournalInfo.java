package io.mirrorhost.api.cluster;

/**
 * A journal's immutable layout ({@code rbd journal info}): objects of {@code 2^order} bytes,
 * {@code splayWidth} objects per set, in the image's pool (id {@code poolId}) unless
 * {@code objectPool} names the {@code rbd_journal_pool} (else null).
 */
public record JournalInfo(String journalId, long poolId, int order, int splayWidth, String objectPool) {
}
