package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.List;

/**
 * The journals of images with the {@code journaling} feature, as {@code rbd journal info|status|client
 * disconnect} read and change them (cls_journal's header); a journal's id is its image's id. The
 * entries themselves are appended by the backend's own write path.
 */
public interface Journals {

    /** The journal's layout; ENOENT when there is none. */
    Future<JournalInfo> journalInfo(PoolNamespace where, String journalId);

    /** Its object sets and registered clients (sorted by id, the image's own client {@code ""} first); ENOENT when there is none. */
    Future<JournalStatus> journalStatus(PoolNamespace where, String journalId);

    /**
     * Marks {@code clientId} disconnected, or with {@code null} every client but the image's own, so
     * that the journal is trimmed past them; returns the ids disconnected (ENOENT when none).
     */
    Future<List<String>> journalClientDisconnect(PoolNamespace where, String journalId, String clientId);
}
