package io.mirrorhost.replayer.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.JournalPeerClient;
import io.mirrorhost.api.cluster.JournalPeerClient.SyncState;
import io.mirrorhost.api.cluster.JournalStatus.ObjectPosition;
import io.mirrorhost.api.cluster.JournalTag;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
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
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Design B4's case table, row by row, and PrepareReplayRequest's tag linking. */
class JournalReplayerTest {
    static final String US = "local-mirror-uuid";
    static final String REMOTE = "remote-mirror-uuid";
    static final String LOCAL_ID = "local-image-id";
    static final long NOW = 1_000_000;

    static JournalTag.Predecessor pred(String owner, long tagTid, long entryTid) {
        return new JournalTag.Predecessor(owner, true, tagTid, entryTid);
    }

    static JournalTag tag(long tid, String owner, JournalTag.Predecessor predecessor) {
        return new JournalTag(tid, 0, owner, predecessor);
    }

    /** A copy's first tag, owned by the remote and linked to nothing (rbd-mirror's CreateLocalImageRequest). */
    static final JournalTag FRESH = tag(0, REMOTE, JournalTag.Predecessor.NONE);
    /** The remote's first epoch as primary. */
    static final JournalTag REMOTE_T0 = tag(0, "", JournalTag.Predecessor.NONE);

    static MirrorImageInfo info(MirrorImageState state, MirrorImageMode mode, boolean primary) {
        return new MirrorImageInfo("global-1", state, mode, primary);
    }

    static LocalCopy copy(JournalTag tag) {
        return new LocalCopy(LOCAL_ID, info(MirrorImageState.ENABLED, MirrorImageMode.JOURNAL, false), tag, false);
    }

    static RemoteImage primary(JournalTag... tags) {
        return new RemoteImage(info(MirrorImageState.ENABLED, MirrorImageMode.JOURNAL, true), List.of(tags));
    }

    static RemoteImage nonPrimary(JournalTag... tags) {
        return new RemoteImage(info(MirrorImageState.ENABLED, MirrorImageMode.JOURNAL, false), List.of(tags));
    }

    static JournalPeerClient registered(SyncState state) {
        return new JournalPeerClient(US, LOCAL_ID, state, List.of(), true);
    }

    static ObjectPosition at(long tagTid, long entryTid) {
        return new ObjectPosition(entryTid % 4, tagTid, entryTid);
    }

    static Stop stop(MirrorImageStatusState state, String description) {
        return new Stop(state, description);
    }

    static Stop error(String description) {
        return stop(MirrorImageStatusState.ERROR, description);
    }

    static final Stop REMOTE_NON_PRIMARY = stop(MirrorImageStatusState.UNKNOWN, "remote image is non-primary");

    /** Both images, this site's client REPLAYING, nothing replayed yet, no delay, a 5 s commit age. */
    static Given given(LocalCopy local, RemoteImage remote) {
        return new Given(local, remote);
    }

    static final class Given {
        private final LocalCopy local;
        private final RemoteImage remote;
        private JournalPeerClient client = registered(SyncState.REPLAYING);
        private boolean replaying;
        private boolean resyncAfterDisconnect;
        private long delaySeconds;
        private ObjectPosition appliedThrough;
        private Long remoteTagTid;
        private NextEntry next;
        private int unflushed;
        private long unflushedSince;

        private Given(LocalCopy local, RemoteImage remote) {
            this.local = local;
            this.remote = remote;
        }

        Given client(JournalPeerClient c) {
            client = c;
            return this;
        }

        /** Past bootstrap in this run, replaying the entries of remote tag {@code tagTid}, applied through {@code through}. */
        Given replaying(long tagTid, ObjectPosition through) {
            replaying = true;
            remoteTagTid = tagTid;
            appliedThrough = through;
            return this;
        }

        Given replaying() {
            replaying = true;
            return this;
        }

        /** The remote journal's entry after what was applied, appended at {@code timestampMillis}. */
        Given next(ObjectPosition position, long timestampMillis) {
            next = new NextEntry(position, timestampMillis);
            return this;
        }

        Given next(ObjectPosition position) {
            return next(position, NOW - 1);
        }

        /** {@code count} applied entries not committed yet, the oldest applied {@code ageMillis} ago. */
        Given unflushed(int count, long ageMillis) {
            unflushed = count;
            unflushedSince = NOW - ageMillis;
            return this;
        }

        Given resyncAfterDisconnect() {
            resyncAfterDisconnect = true;
            return this;
        }

        Given delay(long seconds) {
            delaySeconds = seconds;
            return this;
        }

        JournalAction next() {
            return JournalReplayer.next(new JournalReplayInput(local, remote, client, US, REMOTE, replaying,
                    new ReplayProgress(appliedThrough, remoteTagTid, next, unflushed, unflushedSince),
                    new JournalReplayInput.ReplayOptions(resyncAfterDisconnect, delaySeconds, 5000), NOW));
        }
    }

    static JournalAction next(LocalCopy local, RemoteImage remote) {
        return given(local, remote).next();
    }

    @Nested
    class Bootstrap {
        @Test
        void withoutAMirroredCopyOnEitherSideTheReplayerFinishes() {
            assertEquals(new Finished(), next(null, null));
            LocalCopy disabled = new LocalCopy(LOCAL_ID, info(MirrorImageState.DISABLED, MirrorImageMode.JOURNAL, true),
                    tag(3, "", JournalTag.Predecessor.NONE), false);
            assertEquals(new Finished(), next(disabled, null), "the user's own image is never deleted");
        }

        @Test
        void aGoneRemoteDeletesALinkedCopyOnly() {
            assertEquals(new DeleteLocalImage("remote image no longer exists", false), next(copy(FRESH), null));
            assertEquals(stop(MirrorImageStatusState.STOPPED, "local image is primary"),
                    next(copy(tag(4, "", pred(REMOTE, 3, 9))), null));
            assertEquals(error("error bootstrapping replay"), next(copy(tag(4, "other-site", pred("", 0, 0))), null));
        }

        @Test
        void aLocalPrimaryIsNotReplayedAndAForcedPromotionStopsTheRun() {
            LocalCopy promoted = copy(tag(4, "", pred(REMOTE, 3, 0)));
            assertEquals(stop(MirrorImageStatusState.STOPPED, "local image is primary"),
                    next(promoted, primary(REMOTE_T0)));
            assertEquals(stop(MirrorImageStatusState.STOPPED, "force promoted"),
                    given(promoted, primary(REMOTE_T0)).replaying().next());
        }

        @Test
        void differentMirrorModesAreSplitBrain() {
            RemoteImage snapshotMode = new RemoteImage(info(MirrorImageState.ENABLED, MirrorImageMode.SNAPSHOT, true),
                    List.of());
            assertEquals(error("split-brain detected"), next(copy(FRESH), snapshotMode));
        }

        @Test
        void aNonPrimaryOrDisablingRemoteIsNotReplayedIntoAnUnlinkedCopy() {
            assertEquals(REMOTE_NON_PRIMARY, next(null, nonPrimary(REMOTE_T0)));
            assertEquals(REMOTE_NON_PRIMARY, next(copy(null), nonPrimary(REMOTE_T0)), "local promotion unknown");
            assertEquals(REMOTE_NON_PRIMARY, next(copy(tag(5, "<orphan>", pred(REMOTE, 0, 3))), nonPrimary(REMOTE_T0)),
                    "demoted copy, nothing to link to (PrepareReplayRequest: -EREMOTEIO)");
            RemoteImage disabling = new RemoteImage(info(MirrorImageState.DISABLING, MirrorImageMode.JOURNAL, true),
                    List.of(REMOTE_T0));
            assertEquals(REMOTE_NON_PRIMARY, next(copy(FRESH), disabling));
        }

        @Test
        void aLinkedCopyKeepsReplayingADemotedRemoteUntilItReachesTheDemotion() {
            RemoteImage demoted = nonPrimary(REMOTE_T0, tag(1, "<orphan>", pred("", 0, 9)));
            assertEquals(new ReplayBatch(at(0, 4), 0, Long.MAX_VALUE),
                    given(copy(FRESH), demoted).replaying(0, at(0, 4)).next(at(0, 5)).next());
        }

        @Test
        void anUnregisteredSiteRegistersItsClientSyncingForANewCopyReplayingForAnExistingOne() {
            assertEquals(new RegisterClient(SyncState.SYNCING, null), given(null, primary(REMOTE_T0)).client(null).next());
            assertEquals(new RegisterClient(SyncState.REPLAYING, LOCAL_ID),
                    given(copy(FRESH), primary(REMOTE_T0)).client(null).next());
        }

        @Test
        void aRegisteredClientWithoutCopyCreatesItUnderTheRegisteredIdOwnedByTheRemote() {
            assertEquals(new CreateLocalImage(LOCAL_ID, REMOTE), next(null, primary(REMOTE_T0)));
        }

        @Test
        void aClientOfAnotherCopyIsSplitBrain() {
            JournalPeerClient other = new JournalPeerClient(US, "other-image-id", SyncState.REPLAYING, List.of(), true);
            assertEquals(error("split-brain detected"), given(copy(FRESH), primary(REMOTE_T0)).client(other).next());
        }

        @Test
        void resyncDeletesTheCopyOnlyWhileTheRemoteIsPrimary() {
            LocalCopy flagged = new LocalCopy(LOCAL_ID, copy(FRESH).info(), FRESH, true);
            assertEquals(new DeleteLocalImage("resync requested", true), next(flagged, primary(REMOTE_T0)));
            assertEquals(Idle.class, given(flagged, nonPrimary(REMOTE_T0)).replaying(0, at(0, 1)).next().getClass());
        }

        @Test
        void aDisconnectedClientStopsReplayOrResyncsWhenConfigured() {
            JournalPeerClient disconnected = new JournalPeerClient(US, LOCAL_ID, SyncState.REPLAYING, List.of(), false);
            assertEquals(error("disconnected"), given(copy(FRESH), primary(REMOTE_T0)).client(disconnected).next());
            assertEquals(error("disconnected"),
                    given(copy(FRESH), primary(REMOTE_T0)).client(disconnected).replaying(0, at(0, 3)).next(at(0, 4))
                            .next(), "checked on every step, not only at bootstrap");
            assertEquals(new DeleteLocalImage("disconnected: automatic resync", true),
                    given(copy(FRESH), primary(REMOTE_T0)).client(disconnected).resyncAfterDisconnect().next());
        }

        @Test
        void aSyncingClientSyncsAFreshCopyInFull() {
            assertEquals(new FullSync(), given(copy(FRESH), primary(REMOTE_T0)).client(registered(SyncState.SYNCING)).next());
        }

        @Test
        void aSyncingClientOfACopyNoLongerTiedToTheRemoteIsMarkedReplaying() {
            // force-promoted and then demoted again: its epoch is an orphan, so there is nothing to sync into
            LocalCopy orphan = copy(tag(6, "<orphan>", pred("", 5, 2)));
            assertEquals(new UpdateClient(LOCAL_ID, SyncState.REPLAYING),
                    given(orphan, primary(REMOTE_T0)).client(registered(SyncState.SYNCING)).next());
        }

        @Test
        void aCopyWithoutJournalCannotBeReplayed() {
            assertEquals(error("error bootstrapping replay"), next(copy(null), primary(REMOTE_T0)));
        }
    }

    @Nested
    class TagLinking {
        @Test
        void aFreshCopyLinksToTheRemotesFirstPrimaryEpoch() {
            assertEquals(Idle.class, next(copy(FRESH), primary(tag(0, "other-site", JournalTag.Predecessor.NONE),
                    REMOTE_T0)).getClass());
            assertEquals(Idle.class, next(copy(FRESH), primary()).getClass(), "a remote that has written nothing yet");
        }

        @Test
        void aCopyOwnedByTheRemoteIsInCleanReplayState() {
            LocalCopy replaying = copy(tag(7, REMOTE, pred(REMOTE, 2, 40)));
            assertEquals(Idle.class, next(replaying, primary(REMOTE_T0, tag(2, "", pred("", 0, 9)))).getClass());
        }

        @Test
        void failbackAfterAnOrderlyDemotionHereReconnects() {
            // we were primary (epoch 5), demoted (orphan epoch 6 after entry 5:2); the remote replayed the
            // demotion into its orphan tag 8 and was then promoted (tag 9, chained to 8)
            LocalCopy demotedHere = copy(tag(6, "<orphan>", pred("", 5, 2)));
            RemoteImage promotedThere = primary(tag(7, US, pred(US, 4, 0)), tag(8, "<orphan>", pred(US, 5, 2)),
                    tag(9, "", pred("<orphan>", 8, 1)));
            assertEquals(Idle.class, next(demotedHere, promotedThere).getClass());
        }

        @Test
        void failbackAfterTheRemoteDemotedAndWasPromotedAgainReconnects() {
            // we replayed the remote's demotion (our orphan tag translates its orphan tag 3, linked to its 2:5)
            LocalCopy replayedDemotion = copy(tag(4, "<orphan>", pred(REMOTE, 2, 5)));
            RemoteImage promotedAgain = primary(tag(2, "", pred("", 0, 9)), tag(3, "<orphan>", pred("", 2, 5)),
                    tag(4, "", pred("<orphan>", 3, 1)));
            assertEquals(Idle.class, next(replayedDemotion, promotedAgain).getClass());
        }

        @Test
        void aForcedPromotionThenDemotionCannotBeLinkedIntoSplitBrain() {
            // we force-promoted (epoch 5 linked to nothing the remote has), wrote, demoted (orphan 6)
            LocalCopy forcedThenDemoted = copy(tag(6, "<orphan>", pred("", 5, 3)));
            RemoteImage stillPrimary = primary(tag(2, "", pred("", 0, 9)), tag(3, "", pred("", 2, 0)));
            assertEquals(error("split-brain detected"), next(forcedThenDemoted, stillPrimary));
        }

        @Test
        void aPromotionThatDoesNotFollowTheMatchingDemotionIsSplitBrain() {
            LocalCopy demotedHere = copy(tag(6, "<orphan>", pred("", 5, 2)));
            RemoteImage forcedThere = primary(tag(8, "<orphan>", pred(US, 5, 2)), tag(9, "", pred("", 8, 0)),
                    tag(10, "", pred("<orphan>", 8, 1)));
            assertEquals(error("split-brain detected"), next(demotedHere, forcedThere),
                    "a forced promotion came between the demotion and this promotion");
        }

        @Test
        void linkingIsCheckedAtBootstrapOnly() {
            LocalCopy forcedThenDemoted = copy(tag(6, "<orphan>", pred("", 5, 3)));
            assertEquals(Idle.class, given(forcedThenDemoted, primary(REMOTE_T0)).replaying(0, null).next().getClass());
        }
    }

    @Nested
    class Replay {
        @Test
        void theFirstEntryOfARunLinksItsRemoteTagTranslated() {
            RemoteImage remote = primary(REMOTE_T0, tag(2, "", pred("", 0, 9)));
            assertEquals(new LinkTag(2, REMOTE, pred(REMOTE, 0, 9)),
                    given(copy(FRESH), remote).replaying().next(at(2, 0)).next());
        }

        @Test
        void anEpochThisSiteOwnedIsTranslatedBackToLocal() {
            RemoteImage remote = primary(tag(3, US, pred("", 2, 4)));
            assertEquals(new LinkTag(3, "", pred(REMOTE, 2, 4)),
                    given(copy(FRESH), remote).replaying(0, at(0, 9)).next(at(3, 0)).next());
        }

        @Test
        void entriesOfTheLinkedTagAreReplayedInBatchesFromTheAppliedPosition() {
            assertEquals(new ReplayBatch(at(0, 4), 0, Long.MAX_VALUE),
                    given(copy(FRESH), primary(REMOTE_T0)).replaying(0, at(0, 4)).next(at(0, 5)).next());
            assertEquals(new ReplayBatch(at(0, 4), 0, Long.MAX_VALUE),
                    given(copy(FRESH), primary(REMOTE_T0)).replaying(0, at(0, 4)).next(at(0, 5)).unflushed(3, 4999).next(),
                    "applied entries younger than the commit age wait for more");
        }

        @Test
        void appliedEntriesAreCommittedWhenTheJournalIsDrainedOrTheCommitAgePasses() {
            assertEquals(new CommitPosition(at(0, 4)),
                    given(copy(FRESH), primary(REMOTE_T0)).replaying(0, at(0, 4)).unflushed(2, 0).next());
            assertEquals(new CommitPosition(at(0, 4)),
                    given(copy(FRESH), primary(REMOTE_T0)).replaying(0, at(0, 4)).next(at(0, 5)).unflushed(3, 5000).next());
        }

        @Test
        void aTagChangeCommitsTheOldEpochFirst() {
            RemoteImage remote = primary(REMOTE_T0, tag(2, "", pred("", 0, 9)));
            assertEquals(new CommitPosition(at(0, 9)),
                    given(copy(FRESH), remote).replaying(0, at(0, 9)).next(at(2, 0)).unflushed(1, 0).next());
            assertEquals(new LinkTag(2, REMOTE, pred(REMOTE, 0, 9)),
                    given(copy(FRESH), remote).replaying(0, at(0, 9)).next(at(2, 0)).next());
        }

        @Test
        void aRemoteDemotionIsLinkedAsAnOrphanEpochAndThenStopsReplay() {
            RemoteImage demoted = nonPrimary(REMOTE_T0, tag(1, "<orphan>", pred("", 0, 9)));
            assertEquals(new LinkTag(1, "<orphan>", pred(REMOTE, 0, 9)),
                    given(copy(FRESH), demoted).replaying(0, at(0, 9)).next(at(1, 0)).next());
            LocalCopy linkedDemotion = copy(tag(1, "<orphan>", pred(REMOTE, 0, 9)));
            assertEquals(REMOTE_NON_PRIMARY, given(linkedDemotion, demoted).replaying(1, at(0, 9)).next(at(1, 0)).next());
        }

        @Test
        void aStaleDemotionEventIsSkipped() {
            // this copy demoted itself (orphan after its own epoch); the remote's orphan epoch repeats it
            LocalCopy demotedHere = copy(tag(6, "<orphan>", pred("", 5, 2)));
            RemoteImage remote = primary(tag(7, US, pred(US, 4, 0)), tag(8, "<orphan>", pred(US, 5, 2)),
                    tag(9, "", pred("<orphan>", 8, 1)));
            assertEquals(new CommitPosition(at(8, 0)),
                    given(demotedHere, remote).replaying(7, at(7, 3)).next(at(8, 0)).next());
        }

        @Test
        void aTagMissingFromTheRemoteListIsAnError() {
            assertEquals(error("remote journal tag not found"),
                    given(copy(FRESH), primary(REMOTE_T0)).replaying(0, at(0, 1)).next(at(5, 0)).next());
        }

        @Test
        void theReplayDelayHoldsEntriesBackUntilTheyAreOldEnough() {
            Given young = given(copy(FRESH), primary(REMOTE_T0)).replaying(0, at(0, 4)).delay(2).next(at(0, 5), NOW - 500);
            assertEquals(new WaitUntil(NOW + 1500), young.next());
            assertEquals(new CommitPosition(at(0, 4)), young.unflushed(1, 0).next(), "what was applied is committed first");
            assertEquals(new ReplayBatch(at(0, 4), 0, NOW - 2000),
                    given(copy(FRESH), primary(REMOTE_T0)).replaying(0, at(0, 4)).delay(2).next(at(0, 5), NOW - 2000).next());
        }

        @Test
        void withNothingAppliedAndNothingNewTheReplayerIdles() {
            assertEquals(new Idle(), given(copy(FRESH), primary(REMOTE_T0)).replaying(0, at(0, 4)).next());
        }
    }
}
