package io.mirrorhost.replayer.journal;

import io.mirrorhost.api.cluster.JournalPeerClient;
import io.mirrorhost.api.cluster.JournalStatus.ObjectPosition;
import io.mirrorhost.api.cluster.JournalTag;
import io.mirrorhost.api.cluster.MirrorImageStatusState;

/** The one next step the journal replayer asks its I/O side to take. */
public sealed interface JournalAction {
    /** Calls the one method of {@code handler} that takes this action. */
    <R> R handle(Handler<R> handler);

    /**
     * One method per action: a new action does not compile until every handler takes it (Java 17
     * has no exhaustive switch over a sealed interface).
     */
    interface Handler<R> {
        R registerClient(RegisterClient action);

        R updateClient(UpdateClient action);

        R createLocalImage(CreateLocalImage action);

        R fullSync(FullSync action);

        R linkTag(LinkTag action);

        R replayBatch(ReplayBatch action);

        R commitPosition(CommitPosition action);

        R waitUntil(WaitUntil action);

        R idle(Idle action);

        R deleteLocalImage(DeleteLocalImage action);

        R stop(Stop action);

        R finished(Finished action);
    }

    /**
     * Register this site's client in the remote journal (under the local mirror uuid): {@code imageId}
     * is the local copy's, or null when there is none yet and the caller picks the id it will create.
     */
    record RegisterClient(JournalPeerClient.SyncState state, String imageId) implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.registerClient(this);
        }
    }

    /** Change this site's client in the remote journal (the copy is linked again: {@code REPLAYING}). */
    record UpdateClient(String imageId, JournalPeerClient.SyncState state) implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.updateClient(this);
        }
    }

    /**
     * Create the local non-primary copy with the id the client was registered with, its journal's
     * first tag owned by the remote ({@code ownerMirrorUuid}) with no predecessor, as rbd-mirror's
     * CreateLocalImageRequest does.
     */
    record CreateLocalImage(String imageId, String ownerMirrorUuid) implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.createLocalImage(this);
        }
    }

    /**
     * Copy the whole image at a sync point, then in one local transaction mark the copy replayed
     * through the journal position of that point, and the client {@code REPLAYING} (design B3).
     */
    record FullSync() implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.fullSync(this);
        }
    }

    /**
     * The remote journal moved to tag {@code remoteTagTid}: allocate the local tag that translates it
     * (owner and predecessor), after which that remote tag is the one being replayed.
     */
    record LinkTag(long remoteTagTid, String mirrorUuid, JournalTag.Predecessor predecessor) implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.linkTag(this);
        }
    }

    /**
     * Read and apply, in order, the remote entries after {@code after} (null: from the oldest kept)
     * while they belong to tag {@code tagTid} and were appended no later than {@code notAfterMillis}.
     */
    record ReplayBatch(ObjectPosition after, long tagTid, long notAfterMillis) implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.replayBatch(this);
        }
    }

    /**
     * Make the applied entries durable locally with {@code position} as replayed-through, then move
     * this site's client in the remote journal to it. An entry skipped, never applied, is committed
     * the same way.
     */
    record CommitPosition(ObjectPosition position) implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.commitPosition(this);
        }
    }

    /** {@code rbd_mirroring_replay_delay}: nothing is applied before this time. */
    record WaitUntil(long millis) implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.waitUntil(this);
        }
    }

    /** Everything appended is applied and committed: wait for the remote journal to change. */
    record Idle() implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.idle(this);
        }
    }

    /** Move the local copy away: the remote is gone, or a resync was asked for ({@code resync}). */
    record DeleteLocalImage(String description, boolean resync) implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.deleteLocalImage(this);
        }
    }

    /** Replay ends here, reported with this state and description; retried later. */
    record Stop(MirrorImageStatusState state, String description) implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.stop(this);
        }
    }

    /** Neither copy is mirrored any more: the replayer goes away. */
    record Finished() implements JournalAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.finished(this);
        }
    }
}
