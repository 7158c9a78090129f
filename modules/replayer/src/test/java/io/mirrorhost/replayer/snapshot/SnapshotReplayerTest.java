package io.mirrorhost.replayer.snapshot;

import static io.mirrorhost.replayer.snapshot.Snaps.LOCAL_UUID;
import static io.mirrorhost.replayer.snapshot.Snaps.REMOTE_UUID;
import static io.mirrorhost.replayer.snapshot.Snaps.US;
import static io.mirrorhost.replayer.snapshot.Snaps.copying;
import static io.mirrorhost.replayer.snapshot.Snaps.demoted;
import static io.mirrorhost.replayer.snapshot.Snaps.incompletePrimary;
import static io.mirrorhost.replayer.snapshot.Snaps.nonPrimary;
import static io.mirrorhost.replayer.snapshot.Snaps.nonPrimaryDemoted;
import static io.mirrorhost.replayer.snapshot.Snaps.primary;
import static io.mirrorhost.replayer.snapshot.Snaps.side;
import static io.mirrorhost.replayer.snapshot.Snaps.user;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.replayer.snapshot.ReplayAction.CopySnapshot;
import io.mirrorhost.replayer.snapshot.ReplayAction.CreateLocalImage;
import io.mirrorhost.replayer.snapshot.ReplayAction.DeleteLocalImage;
import io.mirrorhost.replayer.snapshot.ReplayAction.Finished;
import io.mirrorhost.replayer.snapshot.ReplayAction.Idle;
import io.mirrorhost.replayer.snapshot.ReplayAction.PruneLocalSnapshot;
import io.mirrorhost.replayer.snapshot.ReplayAction.Stop;
import io.mirrorhost.replayer.snapshot.ReplayAction.UnlinkRemoteSnapshot;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SnapshotReplayerTest {
    static ReplayAction next(ImageSide local, ImageSide remote) {
        return given(local, remote).next();
    }

    /** The replayer's input: both copies, nothing else asked for, the default limit of 5 snapshots. */
    static Given given(ImageSide local, ImageSide remote) {
        return new Given(local, remote);
    }

    static final class Given {
        private final ImageSide local;
        private final ImageSide remote;
        private boolean resyncRequested;
        private boolean replaying;
        private int maxSnapshots = 5;

        private Given(ImageSide local, ImageSide remote) {
            this.local = local;
            this.remote = remote;
        }

        /** An operator flagged the local copy for resync. */
        Given resyncRequested() {
            resyncRequested = true;
            return this;
        }

        /** The replayer already got past bootstrap in this run. */
        Given replaying() {
            replaying = true;
            return this;
        }

        Given maxSnapshots(int limit) {
            maxSnapshots = limit;
            return this;
        }

        ReplayAction next() {
            return SnapshotReplayer.next(new ReplayInput(local, remote, LOCAL_UUID, REMOTE_UUID, US, resyncRequested,
                    replaying, maxSnapshots));
        }
    }

    /** An expected full copy of remote snapshot {@code remoteEnd}. */
    static Copy fullCopy(long remoteEnd) {
        return new Copy(null, remoteEnd);
    }

    /** An expected delta from remote snapshot {@code remoteStart} to {@code remoteEnd}. */
    static Copy delta(long remoteStart, long remoteEnd) {
        return new Copy(remoteStart, remoteEnd);
    }

    static final class Copy {
        private final Long remoteStart;
        private final long remoteEnd;
        private Long localStart;
        private Long resumeLocalSnapId;
        private long resumeObject;
        private boolean demoted;

        private Copy(Long remoteStart, long remoteEnd) {
            this.remoteStart = remoteStart;
            this.remoteEnd = remoteEnd;
        }

        /** The local snapshot that holds the delta's start. */
        Copy onto(long localSnapId) {
            localStart = localSnapId;
            return this;
        }

        /** Continues the interrupted copy into local snapshot {@code localSnapId} at object {@code object}. */
        Copy resuming(long localSnapId, long object) {
            resumeLocalSnapId = localSnapId;
            resumeObject = object;
            return this;
        }

        /** The remote snapshot is a demotion, so the copy is one too. */
        Copy demoted() {
            demoted = true;
            return this;
        }

        /** The action, with {@code count} remote snapshots left to copy, this one included. */
        CopySnapshot pending(int count) {
            return new CopySnapshot(remoteStart, remoteEnd, localStart, resumeLocalSnapId, resumeObject, demoted, count);
        }
    }

    static Stop stop(MirrorImageStatusState state, String description) {
        return new Stop(state, description);
    }

    static Stop error(String description) {
        return stop(MirrorImageStatusState.ERROR, description);
    }

    @Nested
    class Bootstrap {
        @Test
        void neitherCopyLeftFinishesTheReplayer() {
            assertEquals(new Finished(), next(null, null));
        }

        @Test
        void aGoneRemoteDeletesALinkedOrNeverSyncedLocalCopy() {
            DeleteLocalImage gone = new DeleteLocalImage(SnapshotReplayer.REMOTE_GONE, false);
            assertEquals(gone, next(side(nonPrimary(3, REMOTE_UUID, 7)), null));
            assertEquals(gone, next(side(copying(3, REMOTE_UUID, 7, 2)), null));
            assertEquals(gone, next(side(), null), "created here and never synced");
        }

        @Test
        void aGoneRemoteNeverDeletesALocalImageWhoseMirroringWasDisabled() {
            // two-way mirroring: the primary's mirroring disabled here, the peer deleted its copy
            assertEquals(new Finished(), next(side(MirrorImageState.DISABLED), null));
            assertEquals(new Finished(), next(new ImageSide(null, List.of()), null));
        }

        @Test
        void aGoneRemoteLeavesALocalPrimaryOrACopyOfAnotherPeerAlone() {
            assertEquals(stop(MirrorImageStatusState.STOPPED, "local image is primary"), next(side(primary(1, US)), null));
            assertEquals(error("error bootstrapping replay"), next(side(nonPrimary(3, "other-uuid", 7)), null));
        }

        @Test
        void aLocalPrimaryIsNotReplayed() {
            ImageSide remote = side(primary(1, US));
            assertEquals(stop(MirrorImageStatusState.STOPPED, "local image is primary"),
                    next(side(primary(4)), remote));
            assertEquals(stop(MirrorImageStatusState.STOPPED, "force promoted"),
                    given(side(nonPrimary(2, REMOTE_UUID, 1), primary(4)), remote).replaying().next());
        }

        @Test
        void differentMirrorModesAreSplitBrain() {
            ImageSide journal = new ImageSide(new MirrorImageInfo("global-1", MirrorImageState.ENABLED,
                    MirrorImageMode.JOURNAL, false), List.of());
            assertEquals(error("split-brain detected"), next(journal, side(primary(1, US))));
        }

        @Test
        void aNonPrimaryOrDisablingRemoteIsNotReplayedIntoAFreshCopy() {
            Stop nonPrimary = stop(MirrorImageStatusState.UNKNOWN, "remote image is non-primary");
            assertEquals(nonPrimary, next(null, side(nonPrimary(5, "x", 1))));
            assertEquals(nonPrimary, next(null, side(demoted(5, US))));
            assertEquals(nonPrimary, next(side(), side(demoted(5, US))), "local promotion unknown");
            assertEquals(nonPrimary, next(null, side(MirrorImageState.DISABLING, primary(5, US))));
        }

        @Test
        void aPrimaryRemoteWithoutLocalCopyCreatesOne() {
            assertEquals(new CreateLocalImage(), next(null, side(primary(1, US))));
        }

        @Test
        void resyncDeletesTheLocalCopyOnlyWhileTheRemoteIsPrimary() {
            ImageSide local = side(nonPrimary(2, REMOTE_UUID, 1));
            assertEquals(new DeleteLocalImage("resync requested", true),
                    given(local, side(primary(1, US))).resyncRequested().next());
            assertEquals(CopySnapshot.class,
                    given(local, side(primary(1, US), demoted(3, US))).resyncRequested().next().getClass());
        }
    }

    @Nested
    class LocalScan {
        @Test
        void aFreshCopySyncsTheFirstPrimarySnapshotListingThisSiteInFull() {
            ImageSide remote = side(primary(1, "other"), user(2), primary(3, US), primary(4, US));
            assertEquals(fullCopy(3).pending(2), next(side(), remote));
        }

        @Test
        void nothingListingThisSiteIsIdle() {
            assertEquals(new Idle(0), next(side(), side(primary(1, "other"))));
            assertEquals(new Idle(0), next(side(nonPrimary(5, REMOTE_UUID, 3)), side(primary(3, US))));
        }

        @Test
        void theNewestCompleteCopyIsTheBaseOfTheNextDelta() {
            ImageSide local = side(nonPrimary(5, REMOTE_UUID, 3));
            assertEquals(delta(3, 4).onto(5).pending(1), next(local, side(primary(3, US), primary(4, US))));
        }

        @Test
        void olderCompleteCopiesArePruned() {
            ImageSide local = side(nonPrimary(5, REMOTE_UUID, 3), nonPrimary(6, REMOTE_UUID, 4));
            assertEquals(new PruneLocalSnapshot(5), next(local, side(primary(4, US))));
        }

        @Test
        void anInterruptedCopyThatNeverStartedIsRemadeUnlessItIsTheFirst() {
            ImageSide remote = side(primary(3, US), primary(4, US));
            assertEquals(new PruneLocalSnapshot(6),
                    next(side(nonPrimary(5, REMOTE_UUID, 3), copying(6, REMOTE_UUID, 4, 0)), remote));
            assertEquals(fullCopy(3).resuming(6, 0).pending(2),
                    next(side(copying(6, REMOTE_UUID, 3, 0)), remote));
        }

        @Test
        void anInterruptedCopyResumesWhereItStopped() {
            ImageSide local = side(nonPrimary(5, REMOTE_UUID, 3), copying(6, REMOTE_UUID, 4, 17));
            assertEquals(delta(3, 4).onto(5).resuming(6, 17).pending(2),
                    next(local, side(primary(3, US), primary(4, US), primary(7, US))));
        }

        @Test
        void anIncompleteLocalPrimaryIsAnError() {
            assertEquals(error("incomplete local primary snapshot"),
                    next(side(incompletePrimary(2), demoted(3)), side(primary(1, US))));
        }

        @Test
        void anOrphanCopyIsBeingForcePromoted() {
            ImageSide remote = side(primary(3, US));
            assertEquals(new PruneLocalSnapshot(5), next(side(nonPrimary(5, REMOTE_UUID, 3), nonPrimary(6, "", 0)), remote),
                    "pruning comes first");
            assertEquals(stop(MirrorImageStatusState.STOPPED, "orphan (force promoting)"),
                    next(side(nonPrimary(6, "", 0)), remote));
        }

        @Test
        void aCopyOfAnotherPeerIsAnError() {
            assertEquals(error("local image linked to unknown peer"),
                    next(side(nonPrimary(5, "someone-else", 3)), side(primary(3, US))));
        }

        @Test
        void beyondTheLimitOldSnapshotsNobodyNeedsArePruned() {
            ImageSide local = side(demoted(1), demoted(2, "peer-x"), demoted(3), demoted(4), demoted(5),
                    nonPrimaryDemoted(6, REMOTE_UUID, 11));
            ImageSide remote = side(primary(10), demoted(11, US));
            assertEquals(new PruneLocalSnapshot(1), next(local, remote));
            ImageSide pruned = side(demoted(2, "peer-x"), demoted(3), demoted(4), demoted(5),
                    nonPrimaryDemoted(6, REMOTE_UUID, 11));
            assertEquals(stop(MirrorImageStatusState.UNKNOWN, "remote image demoted"), next(pruned, remote),
                    "at the limit nothing more goes; a snapshot a peer still needs never goes");
            assertEquals(new PruneLocalSnapshot(3), given(pruned, remote).maxSnapshots(3).next());
        }
    }

    @Nested
    class RemoteScan {
        @Test
        void staleRemoteSnapshotsAreUnlinkedOneAtATime() {
            ImageSide local = side(nonPrimary(9, REMOTE_UUID, 3));
            assertEquals(new UnlinkRemoteSnapshot(1, true),
                    next(local, side(primary(1, US), primary(3, US), primary(5, US))));
            assertEquals(new UnlinkRemoteSnapshot(1, false),
                    next(local, side(primary(1, US, "peer-x"), primary(3, US), primary(5, US))),
                    "another peer still needs it");
            assertEquals(new UnlinkRemoteSnapshot(2, true),
                    next(local, side(primary(2, US), primary(3, US))), "done and a newer snapshot exists");
        }

        @Test
        void pendingSnapshotsAreSyncedOneAtATimeInOrder() {
            ImageSide local = side(nonPrimary(9, REMOTE_UUID, 3));
            assertEquals(delta(3, 4).onto(9).pending(3),
                    next(local, side(primary(3, US), primary(4, US), primary(5, "other"), primary(6, US),
                            primary(7, US))));
        }

        @Test
        void anIncompleteRemoteSnapshotIsWaitedFor() {
            assertEquals(new Idle(1), next(side(nonPrimary(9, REMOTE_UUID, 3)),
                    side(primary(3, US), incompletePrimary(4, US))));
        }

        @Test
        void aDeletedRemoteStartSnapshotIsSplitBrain() {
            assertEquals(error("split-brain"), next(side(nonPrimary(9, REMOTE_UUID, 3)), side(primary(4, US))));
        }

        @Test
        void anInProgressCopyWhoseRemoteSnapshotVanishedIsSplitBrain() {
            assertEquals(error("split-brain"),
                    next(side(nonPrimary(9, REMOTE_UUID, 3), copying(10, REMOTE_UUID, 5, 4)),
                            side(primary(3, US), primary(6, US))));
            assertEquals(error("split-brain"),
                    next(side(nonPrimary(9, REMOTE_UUID, 3), copying(10, REMOTE_UUID, 5, 4)), side(primary(3, US))));
        }

        @Test
        void aRemoteDemotionIsCopiedThenReplayStopsAsDemoted() {
            ImageSide remote = side(primary(3, US), demoted(4, US));
            assertEquals(delta(3, 4).onto(9).demoted().pending(1), next(side(nonPrimary(9, REMOTE_UUID, 3)), remote));
            assertEquals(stop(MirrorImageStatusState.UNKNOWN, "remote image demoted"),
                    next(side(nonPrimaryDemoted(10, REMOTE_UUID, 4)), side(primary(3), demoted(4, US))),
                    "once the old base is unlinked");
            assertEquals(new UnlinkRemoteSnapshot(3, true), next(side(nonPrimaryDemoted(10, REMOTE_UUID, 4)), remote));
        }

        @Test
        void afterAnOrderlyFailoverTheOldPrimaryReplaysFromTheMatchingDemotion() {
            ImageSide local = side(primary(1, "peer-them"), demoted(2, "peer-them"));
            ImageSide waiting = side(nonPrimary(20, LOCAL_UUID, 1));
            assertEquals(new Idle(0), next(local, waiting), "the peer has not copied the demotion yet");
            ImageSide synced = side(nonPrimary(20, LOCAL_UUID, 1), nonPrimaryDemoted(21, LOCAL_UUID, 2, US));
            assertEquals(stop(MirrorImageStatusState.UNKNOWN, "remote image demoted"), next(local, synced));
            ImageSide promoted = side(nonPrimary(20, LOCAL_UUID, 1), nonPrimaryDemoted(21, LOCAL_UUID, 2, US),
                    primary(22, US));
            assertEquals(delta(21, 22).onto(2).pending(1), next(local, promoted));
        }

        @Test
        void anOlderDemotionOfThePeerIsSplitBrainOnlyUntilItCopiesOurs() {
            ImageSide local = side(primary(4, "peer-them"), demoted(5, "peer-them"));
            ImageSide copying = side(demoted(20, US), nonPrimary(21, LOCAL_UUID, 4));
            assertEquals(error("split-brain"), next(local, copying), "after a failover loop, before the peer caught up");
            ImageSide caughtUp = side(demoted(20, US), nonPrimary(21, LOCAL_UUID, 4),
                    nonPrimaryDemoted(22, LOCAL_UUID, 5, US));
            assertEquals(stop(MirrorImageStatusState.UNKNOWN, "remote image demoted"), next(local, caughtUp));
        }

        @Test
        void aForcePromotedPeerAfterOurDemotionIsSplitBrain() {
            ImageSide local = side(primary(6, "peer-them"), demoted(7, "peer-them"));
            assertEquals(error("split-brain"), next(local, side(primary(3, US), primary(8, US))));
            ImageSide otherDemotion = side(primary(3, US), nonPrimaryDemoted(8, LOCAL_UUID, 99, US), primary(9, US));
            assertEquals(error("split-brain"), next(local, otherDemotion), "a demotion of another snapshot");
        }

        @Test
        void nonPrimaryRemoteSnapshotsAreNeverSyncTargets() {
            assertEquals(fullCopy(4).pending(1),
                    next(side(), side(nonPrimaryDemoted(2, "x", 1, US), primary(4, US))));
        }
    }

    @Test
    void aRenamedRemoteIsFollowedBeforeAnythingElse() {
        ImageSide local = new ImageSide("old", null, List.of(nonPrimary(5, REMOTE_UUID, 3)));
        ImageSide remote = new ImageSide("new", side(primary(3, US)).info(), List.of(primary(3, US), primary(4, US)));
        assertEquals(new ReplayAction.RenameLocalImage("new"), next(local, remote));
        ImageSide renamed = new ImageSide("new", null, List.of(nonPrimary(5, REMOTE_UUID, 3)));
        assertEquals(CopySnapshot.class, next(renamed, remote).getClass());
        assertEquals(stop(MirrorImageStatusState.STOPPED, "local image is primary"),
                next(new ImageSide("old", null, List.of(primary(1))), remote), "a primary keeps its name");
    }

    @Test
    void promotionFollowsTheNewestMirrorSnapshot() {
        assertEquals(Promotion.UNKNOWN, side(user(1)).promotion());
        assertEquals(Promotion.PRIMARY, side(demoted(1), primary(2)).promotion());
        assertEquals(Promotion.NON_PRIMARY, side(primary(1), nonPrimary(2, "u", 1)).promotion());
        assertEquals(Promotion.ORPHAN, side(primary(1), demoted(2)).promotion());
        assertEquals(Promotion.ORPHAN, side(nonPrimaryDemoted(2, "u", 1)).promotion());
    }
}
