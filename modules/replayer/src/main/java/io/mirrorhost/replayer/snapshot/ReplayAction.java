package io.mirrorhost.replayer.snapshot;

import io.mirrorhost.api.cluster.MirrorImageStatusState;

/** The one next step the snapshot replayer asks its I/O side to take. */
public sealed interface ReplayAction {
    /** Calls the one method of {@code handler} that takes this action. */
    <R> R handle(Handler<R> handler);

    /**
     * One method per action: a new action does not compile until every handler takes it (Java 17
     * has no exhaustive switch over a sealed interface).
     */
    interface Handler<R> {
        R createLocalImage(CreateLocalImage action);

        R deleteLocalImage(DeleteLocalImage action);

        R renameLocalImage(RenameLocalImage action);

        R pruneLocalSnapshot(PruneLocalSnapshot action);

        R unlinkRemoteSnapshot(UnlinkRemoteSnapshot action);

        R copySnapshot(CopySnapshot action);

        R idle(Idle action);

        R stop(Stop action);

        R finished(Finished action);
    }

    /** Bootstrap: create the local non-primary copy of the remote image. */
    record CreateLocalImage() implements ReplayAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.createLocalImage(this);
        }
    }

    /** Move the local copy away: the remote is gone (delete propagation) or a resync was asked for. */
    record DeleteLocalImage(String description, boolean resync) implements ReplayAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.deleteLocalImage(this);
        }
    }

    /** The remote image was renamed: the copy follows (ApplyImageStateRequest). */
    record RenameLocalImage(String newName) implements ReplayAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.renameLocalImage(this);
        }
    }

    /** Remove a local mirror-snapshot nobody needs any more. */
    record PruneLocalSnapshot(long localSnapId) implements ReplayAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.pruneLocalSnapshot(this);
        }
    }

    /**
     * Remove this site's peer uuid from a remote primary snapshot it no longer needs; when no other
     * peer is left and a newer mirror-snapshot exists, remove the snapshot (librbd's UnlinkPeerRequest).
     */
    record UnlinkRemoteSnapshot(long remoteSnapId, boolean removeSnapshot) implements ReplayAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.unlinkRemoteSnapshot(this);
        }
    }

    /**
     * Copy the delta {@code remoteStart → remoteEnd} (remoteStart null: the whole image) onto the
     * local copy. {@code resumeLocalSnapId}, when not null, is the incomplete local snapshot of an
     * interrupted copy that continues at object {@code resumeObject}; otherwise a new non-primary
     * snapshot is created first.
     */
    record CopySnapshot(Long remoteStart, long remoteEnd, Long localStart, Long resumeLocalSnapId,
                        long resumeObject, boolean demoted, int pendingSnapshots) implements ReplayAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.copySnapshot(this);
        }
    }

    /** Nothing to do until the remote or local image changes. */
    record Idle(int pendingSnapshots) implements ReplayAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.idle(this);
        }
    }

    /** Replay ends here, reported with this state and description; retried later. */
    record Stop(MirrorImageStatusState state, String description) implements ReplayAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.stop(this);
        }
    }

    /** Neither copy exists any more: the replayer goes away and its statuses are removed. */
    record Finished() implements ReplayAction {
        @Override
        public <R> R handle(Handler<R> handler) {
            return handler.finished(this);
        }
    }
}
