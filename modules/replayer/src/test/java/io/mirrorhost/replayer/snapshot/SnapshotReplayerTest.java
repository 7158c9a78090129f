package io.mirrorhost.replayer.snapshot;

import static io.mirrorhost.replayer.snapshot.Snaps.LOCAL_UUID;
import static io.mirrorhost.replayer.snapshot.Snaps.REMOTE_UUID;
import static io.mirrorhost.replayer.snapshot.Snaps.US;
import static io.mirrorhost.replayer.snapshot.Snaps.copying;
import static io.mirrorhost.replayer.snapshot.Snaps.demoted;
import static io.mirrorhost.replayer.snapshot.Snaps.incompletePrimary;
import static io.mirrorhost.replayer.snapshot.Snaps.input;
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
        return SnapshotReplayer.next(input(local, remote));
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
            ReplayInput running = new ReplayInput(side(nonPrimary(2, REMOTE_UUID, 1), primary(4)), remote, LOCAL_UUID,
                    REMOTE_UUID, US, false, true, 5);
            assertEquals(stop(MirrorImageStatusState.STOPPED, "force promoted"), SnapshotReplayer.next(running));
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
            ReplayInput resync = new ReplayInput(local, side(primary(1, US)), LOCAL_UUID, REMOTE_UUID, US, true,
                    false, 5);
            assertEquals(new DeleteLocalImage("resync requested", true), SnapshotReplayer.next(resync));
            ReplayInput demotedRemote = new ReplayInput(local, side(primary(1, US), demoted(3, US)), LOCAL_UUID,
                    REMOTE_UUID, US, true, false, 5);
            assertEquals(CopySnapshot.class, SnapshotReplayer.next(demotedRemote).getClass());
        }
    }

    @Nested
    class LocalScan {
        @Test
        void aFreshCopySyncsTheFirstPrimarySnapshotListingThisSiteInFull() {
            ImageSide remote = side(primary(1, "other"), user(2), primary(3, US), primary(4, US));
            assertEquals(new CopySnapshot(null, 3, null, null, 0, false, 2), next(side(), remote));
        }

        @Test
        void nothingListingThisSiteIsIdle() {
            assertEquals(new Idle(0), next(side(), side(primary(1, "other"))));
            assertEquals(new Idle(0), next(side(nonPrimary(5, REMOTE_UUID, 3)), side(primary(3, US))));
        }

        @Test
        void theNewestCompleteCopyIsTheBaseOfTheNextDelta() {
            ImageSide local = side(nonPrimary(5, REMOTE_UUID, 3));
            assertEquals(new CopySnapshot(3L, 4, 5L, null, 0, false, 1), next(local, side(primary(3, US), primary(4, US))));
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
            assertEquals(new CopySnapshot(null, 3, null, 6L, 0, false, 2),
                    next(side(copying(6, REMOTE_UUID, 3, 0)), remote));
        }

        @Test
        void anInterruptedCopyResumesWhereItStopped() {
            ImageSide local = side(nonPrimary(5, REMOTE_UUID, 3), copying(6, REMOTE_UUID, 4, 17));
            assertEquals(new CopySnapshot(3L, 4, 5L, 6L, 17, false, 2),
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
            ReplayInput in = new ReplayInput(local, remote, LOCAL_UUID, REMOTE_UUID, US, false, false, 5);
            assertEquals(new PruneLocalSnapshot(1), SnapshotReplayer.next(in));
            ImageSide pruned = side(demoted(2, "peer-x"), demoted(3), demoted(4), demoted(5),
                    nonPrimaryDemoted(6, REMOTE_UUID, 11));
            ReplayInput atLimit = new ReplayInput(pruned, remote, LOCAL_UUID, REMOTE_UUID, US, false, false, 5);
            assertEquals(stop(MirrorImageStatusState.UNKNOWN, "remote image demoted"), SnapshotReplayer.next(atLimit),
                    "at the limit nothing more goes; a snapshot a peer still needs never goes");
            ReplayInput lower = new ReplayInput(pruned, remote, LOCAL_UUID, REMOTE_UUID, US, false, false, 3);
            assertEquals(new PruneLocalSnapshot(3), SnapshotReplayer.next(lower));
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
            assertEquals(new CopySnapshot(3L, 4, 9L, null, 0, false, 3),
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
            assertEquals(new CopySnapshot(3L, 4, 9L, null, 0, true, 1), next(side(nonPrimary(9, REMOTE_UUID, 3)), remote));
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
            assertEquals(new CopySnapshot(21L, 22, 2L, null, 0, false, 1), next(local, promoted));
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
            assertEquals(new CopySnapshot(null, 4, null, null, 0, false, 1),
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
