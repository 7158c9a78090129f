package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.List;

/**
 * The journals of images with the {@code journaling} feature, as {@code rbd journal info|status|client
 * disconnect} read and change them (cls_journal's header), and as a peer site's replayer follows
 * them; a journal's id is its image's id. The entries themselves are appended by the backend's own
 * write path. A peer's client is named by that site's mirror uuid, as rbd-mirror names it.
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

    /**
     * Registers a peer site's client when its replayer bootstraps the image: {@code SYNCING} before its
     * full copy, {@code REPLAYING} for an existing linked copy. It starts connected with an empty
     * commit position, which keeps every entry until it commits. EEXIST when it is registered.
     */
    Future<Void> journalClientRegister(PoolNamespace where, String journalId, String mirrorUuid, String imageId,
                                       JournalPeerClient.SyncState state);

    /** Changes a peer client's image id and state (the full copy is done: {@code REPLAYING}); ENOENT when not registered. */
    Future<Void> journalClientUpdate(PoolNamespace where, String journalId, String mirrorUuid, String imageId,
                                     JournalPeerClient.SyncState state);

    /** Removes a peer client (its copy is deleted, or resynced from scratch); ENOENT when not registered. */
    Future<Void> journalClientUnregister(PoolNamespace where, String journalId, String mirrorUuid);

    /** The peer clients, sorted by mirror uuid; a replayer reads its own at every bootstrap. */
    Future<List<JournalPeerClient>> journalPeerClients(PoolNamespace where, String journalId);

    /**
     * The entries following the one at {@code after} ({@code null}: from the oldest kept), in order:
     * up to {@code maxEntries}, and no more than {@code maxBytes} of entry payload unless the first
     * alone is larger. A replayer calls it from its committed position on, batch after batch. ENOENT
     * when {@code after} is no longer in the journal.
     */
    Future<JournalBatch> journalRead(PoolNamespace where, String journalId, JournalStatus.ObjectPosition after,
                                     int maxEntries, long maxBytes);

    /**
     * Moves a peer client's commit position to {@code position}, once the entries up to it are applied
     * durably on its copy; the journal is trimmed past it when the image flushes next. ENOENT when not
     * registered.
     */
    Future<Void> journalClientCommit(PoolNamespace where, String journalId, String mirrorUuid,
                                     JournalStatus.ObjectPosition position);

    /** The journal's tags (its epochs), oldest first: a replayer links its copy's tag to them. */
    Future<List<JournalTag>> journalTags(PoolNamespace where, String journalId);
}
