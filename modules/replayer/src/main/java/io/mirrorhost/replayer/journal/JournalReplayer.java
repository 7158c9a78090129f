package io.mirrorhost.replayer.journal;

import io.mirrorhost.api.cluster.JournalPeerClient;
import io.mirrorhost.api.cluster.JournalPeerClient.SyncState;
import io.mirrorhost.api.cluster.JournalTag;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.replayer.journal.JournalAction.CommitPosition;
import io.mirrorhost.replayer.journal.JournalAction.CreateLocalImage;
import io.mirrorhost.replayer.journal.JournalAction.DeleteLocalImage;
import io.mirrorhost.replayer.journal.JournalAction.Finished;
import io.mirrorhost.replayer.journal.JournalAction.FullSync;
import io.mirrorhost.replayer.journal.JournalAction.Idle;
import io.mirrorhost.replayer.journal.JournalAction.LinkTag;
import io.mirrorhost.replayer.journal.JournalAction.RegisterClient;
import io.mirrorhost.replayer.journal.JournalAction.ReplayBatch;
import io.mirrorhost.replayer.journal.JournalAction.Stop;
import io.mirrorhost.replayer.journal.JournalAction.UpdateClient;
import io.mirrorhost.replayer.journal.JournalAction.WaitUntil;
import io.mirrorhost.replayer.journal.ReplayProgress.NextEntry;
import io.mirrorhost.replayer.snapshot.Promotion;

/**
 * The decisions of rbd-mirror's journal replayer (ImageReplayer bootstrap,
 * {@code image_replayer/journal/PrepareReplayRequest.cc} and {@code Replayer.cc}), without any
 * I/O: given both images, this site's client in the remote journal and how far replay has got, it
 * answers the one next action (design B4). The caller executes it, re-reads and asks again.
 * Applied entries are committed before a tag changes, before waiting and when the commit age
 * passes, so the remote client never moves past what is durable locally.
 */
public final class JournalReplayer {
    public static final String LOCAL_PRIMARY = "local image is primary";
    public static final String FORCE_PROMOTED = "force promoted";
    public static final String REMOTE_NON_PRIMARY = "remote image is non-primary";
    public static final String REMOTE_GONE = "remote image no longer exists";
    public static final String RESYNC_REQUESTED = "resync requested";
    public static final String SPLIT_BRAIN_DETECTED = "split-brain detected";
    public static final String DISCONNECTED = "disconnected";
    public static final String DISCONNECTED_RESYNC = "disconnected: automatic resync";
    public static final String BOOTSTRAP_ERROR = "error bootstrapping replay";
    /** Ours: the remote journal names a tag its tag list does not hold (the caller reads the list again). */
    public static final String REMOTE_TAG_MISSING = "remote journal tag not found";

    private JournalReplayer() {
    }

    public static JournalAction next(JournalReplayInput in) {
        JournalAction bootstrap = bootstrap(in);
        return bootstrap != null ? bootstrap : replay(in);
    }

    /** ImageReplayer's bootstrap and PrepareReplayRequest (B4 rows 1-16); null when replay may go on. */
    private static JournalAction bootstrap(JournalReplayInput in) {
        LocalCopy local = in.local();
        RemoteImage remote = in.remote();
        if (remote == null) {
            return remoteGone(in);
        }
        if (local != null && local.promotion() == Promotion.PRIMARY) {
            return stopped(in.replaying() ? FORCE_PROMOTED : LOCAL_PRIMARY);
        }
        if (local != null && local.info() != null && local.info().mode() != remote.info().mode()) {
            return error(SPLIT_BRAIN_DETECTED);
        }
        if (remote.disabling() || (!remote.primary() && (local == null || local.promotion() == Promotion.UNKNOWN))) {
            return new Stop(MirrorImageStatusState.UNKNOWN, REMOTE_NON_PRIMARY);
        }
        if (!remote.primary() && !local.ownedBy(in.remoteMirrorUuid())) {
            // an unlinked copy waits; a linked one keeps replaying so that it reaches the demotion
            return new Stop(MirrorImageStatusState.UNKNOWN, REMOTE_NON_PRIMARY);
        }
        JournalPeerClient client = in.client();
        if (client == null) {
            return local == null ? new RegisterClient(SyncState.SYNCING, null)
                    : new RegisterClient(SyncState.REPLAYING, local.imageId());
        }
        if (local == null) {
            return new CreateLocalImage(client.imageId(), in.remoteMirrorUuid());
        }
        return bootstrapLinked(in, local, client);
    }

    private static JournalAction remoteGone(JournalReplayInput in) {
        LocalCopy local = in.local();
        if (local == null || !local.mirrored()) {
            return new Finished();
        }
        if (local.promotion() == Promotion.PRIMARY) {
            return stopped(LOCAL_PRIMARY);
        }
        return local.ownedBy(in.remoteMirrorUuid()) ? new DeleteLocalImage(REMOTE_GONE, false) : error(BOOTSTRAP_ERROR);
    }

    /** Rows 10-16: the local copy and this site's client both exist. */
    private static JournalAction bootstrapLinked(JournalReplayInput in, LocalCopy local, JournalPeerClient client) {
        if (!client.imageId().equals(local.imageId())) {
            return error(SPLIT_BRAIN_DETECTED);
        }
        if (local.resyncRequested() && in.remote().primary()) {
            return new DeleteLocalImage(RESYNC_REQUESTED, true);
        }
        if (local.tag() == null) {
            return error(BOOTSTRAP_ERROR); // PrepareReplayRequest: the local image has no journal (-EINVAL)
        }
        if (!client.connected()) {
            return in.options().resyncAfterDisconnect() ? new DeleteLocalImage(DISCONNECTED_RESYNC, true)
                    : error(DISCONNECTED);
        }
        if (client.state() == SyncState.SYNCING) {
            return local.ownedBy(in.remoteMirrorUuid()) ? new FullSync()
                    : new UpdateClient(local.imageId(), SyncState.REPLAYING);
        }
        if (!in.replaying() && TagChain.link(local.tag(), in.remote().tags(), in.localMirrorUuid(),
                in.remoteMirrorUuid()) == TagChain.Link.SPLIT_BRAIN) {
            return error(SPLIT_BRAIN_DETECTED);
        }
        return null;
    }

    /** Replayer.cc's loop (rows 17-23). */
    private static JournalAction replay(JournalReplayInput in) {
        ReplayProgress progress = in.progress();
        NextEntry next = progress.next();
        boolean unflushed = progress.unflushedEntries() > 0;
        if (unflushed && in.nowMillis() - progress.unflushedSince() >= in.options().commitAgeMillis()) {
            return commit(progress);
        }
        if (next == null) {
            return unflushed ? commit(progress) : new Idle();
        }
        long tagTid = next.position().tagTid();
        if (progress.remoteTagTid() == null || progress.remoteTagTid() != tagTid) {
            // librbd's replay_flush: what was applied under the old tag is durable before the new one
            return unflushed ? commit(progress) : newTag(in, next);
        }
        long delayMillis = in.options().replayDelaySeconds() * 1000;
        if (delayMillis > 0 && next.timestampMillis() + delayMillis > in.nowMillis()) {
            return unflushed ? commit(progress) : new WaitUntil(next.timestampMillis() + delayMillis);
        }
        return new ReplayBatch(progress.appliedThrough(), tagTid,
                delayMillis > 0 ? in.nowMillis() - delayMillis : Long.MAX_VALUE);
    }

    /**
     * The remote journal's next entry opens another epoch: its tag translated into a local one, or a
     * stale demotion (this copy already holds the orphan epoch) skipped.
     */
    private static JournalAction newTag(JournalReplayInput in, NextEntry next) {
        JournalTag remoteTag = in.remote().tag(next.position().tagTid()).orElse(null);
        if (remoteTag == null) {
            return error(REMOTE_TAG_MISSING);
        }
        LocalCopy local = in.local();
        if (JournalTag.ORPHAN.equals(remoteTag.mirrorUuid()) && JournalTag.ORPHAN.equals(local.tag().mirrorUuid())
                && JournalTag.LOCAL.equals(local.tag().predecessor().mirrorUuid())) {
            return new CommitPosition(next.position());
        }
        return new LinkTag(remoteTag.tid(),
                TagChain.translate(remoteTag.mirrorUuid(), in.localMirrorUuid(), in.remoteMirrorUuid()),
                TagChain.translate(remoteTag.predecessor(), in.localMirrorUuid(), in.remoteMirrorUuid()));
    }

    private static CommitPosition commit(ReplayProgress progress) {
        return new CommitPosition(progress.appliedThrough());
    }

    private static Stop stopped(String description) {
        return new Stop(MirrorImageStatusState.STOPPED, description);
    }

    private static Stop error(String description) {
        return new Stop(MirrorImageStatusState.ERROR, description);
    }
}
