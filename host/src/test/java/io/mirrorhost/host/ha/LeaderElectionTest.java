package io.mirrorhost.host.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.host.ha.LeaderAction.Announce;
import io.mirrorhost.host.ha.LeaderAction.Contend;
import io.mirrorhost.host.ha.LeaderAction.ForceUnlock;
import io.mirrorhost.host.ha.LeaderAction.Lead;
import io.mirrorhost.host.ha.LeaderAction.LearnStoredEpoch;
import io.mirrorhost.host.ha.LeaderAction.PublishMembers;
import io.mirrorhost.host.ha.LeaderAction.StepDown;
import io.mirrorhost.host.ha.LeaderAction.TakeFence;
import io.mirrorhost.host.ha.LeaderAction.Wait;
import io.mirrorhost.host.ha.LeaderInput.FenceOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {
    private static final List<String> THREE = List.of("site-a", "site-a-2", "site-a-3");
    private static final FenceToken TERM_7 = new FenceToken("leader", 7);

    /** Instance {@code self} of a three-instance site, everything quiet: no leader, no lock, no epoch known. */
    static Given at(String self) {
        return new Given(self);
    }

    static final class Given {
        private final String self;
        private List<String> members = THREE;
        private List<String> published = THREE;
        private Optional<String> leader = Optional.empty();
        private long leaderEpoch;
        private OptionalLong known = OptionalLong.empty();
        private boolean lockHeld;
        private Optional<FenceToken> term = Optional.empty();
        private Optional<FenceOutcome> fence = Optional.empty();
        private Duration silence = Duration.ZERO;
        private Duration sinceStepDown = Duration.ofDays(1);
        private boolean merging;

        private Given(String self) {
            this.self = self;
        }

        Given members(String... names) {
            members = List.of(names);
            return this;
        }

        Given published(String... names) {
            published = List.of(names);
            return this;
        }

        Given leader(String name) {
            leader = Optional.of(name);
            return this;
        }

        /** {@code name} was announced at {@code epoch}, the largest one known. */
        Given leader(String name, long epoch) {
            leaderEpoch = epoch;
            return leader(name).known(epoch);
        }

        Given known(long epoch) {
            known = OptionalLong.of(epoch);
            return this;
        }

        Given lockHeld() {
            lockHeld = true;
            return this;
        }

        /** Leads under {@code term}, holding the lock, announced as leader. */
        Given leading(FenceToken term) {
            this.term = Optional.of(term);
            return lockHeld().leader(self, term.epoch());
        }

        Given fence(FenceOutcome outcome) {
            fence = Optional.of(outcome);
            return this;
        }

        Given silentFor(long millis) {
            silence = Duration.ofMillis(millis);
            return this;
        }

        Given steppedDownAgo(long millis) {
            sinceStepDown = Duration.ofMillis(millis);
            return this;
        }

        Given merging() {
            merging = true;
            return this;
        }

        LeaderAction next() {
            return LeaderElection.next(new LeaderInput(self, members, published, leader, leaderEpoch, known, lockHeld, term, fence,
                    silence, sinceStepDown, Duration.ofMillis(600), merging));
        }
    }

    @Nested
    class Standby {
        @Test
        void contendsForTheLockWhileTheLeaderBeats() {
            assertEquals(new Contend(), at("site-a-2").leader("site-a", 7).silentFor(150).next());
            assertEquals(new Contend(), at("site-a-3").next());
        }

        @Test
        void theDesignatedSuccessorBreaksTheLockOfASilentLeader() {
            assertEquals(new ForceUnlock("site-a"), at("site-a-2").leader("site-a", 7).silentFor(600).next());
            assertEquals(new ForceUnlock("site-a-2"), at("site-a").leader("site-a-2", 7).silentFor(900).next());
        }

        @Test
        void aLockTakenForATakeoverIsNotBroken() {
            assertEquals(new Contend(), at("site-a-2").leader("site-a", 7).known(8).silentFor(5000).next());
        }

        @Test
        void onlyTheDesignatedSuccessorBreaksIt() {
            assertEquals(new Contend(), at("site-a-3").leader("site-a", 7).silentFor(5000).next());
        }

        @Test
        void aLeaderThatLeftTheClusterIsNotBrokenButItsLockIsReleasedByHazelcast() {
            assertEquals(new Contend(), at("site-a-2").members("site-a-2", "site-a-3").leader("site-a", 7)
                    .silentFor(5000).next());
        }

        @Test
        void waitsAfterSteppingDownSoThatAnotherInstanceTakesOver() {
            assertEquals(new Wait(), at("site-a-2").steppedDownAgo(1199).next());
            assertEquals(new Contend(), at("site-a-2").steppedDownAgo(1200).next());
        }

        @Test
        void waitsWhileMerging() {
            assertEquals(new Wait(), at("site-a-2").merging().next());
        }
    }

    @Nested
    class Takeover {
        @Test
        void aSiteFormedAfreshLearnsTheStoredEpochFirst() {
            assertEquals(new LearnStoredEpoch(), at("site-a").lockHeld().next());
        }

        @Test
        void takesTheFenceFromTheKnownEpoch() {
            assertEquals(new TakeFence(7), at("site-a-2").lockHeld().leader("site-a", 7).next());
        }

        @Test
        void announcesTheTermTaken() {
            FenceToken taken = new FenceToken("leader", 8);
            assertEquals(new Announce(taken), at("site-a-2").lockHeld().known(8)
                    .fence(new FenceOutcome.Taken(taken)).next());
        }

        @Test
        void aStaleFenceStepsDown() {
            assertEquals(new StepDown(LeaderElection.NOT_TAKEN + ": stored epoch 9"), at("site-a-2").lockHeld()
                    .known(7).fence(new FenceOutcome.NotTaken("stored epoch 9")).next());
        }

        @Test
        void aRefusalOfAnEarlierTermDoesNotStopATakeover() {
            assertEquals(new TakeFence(7), at("site-a-2").lockHeld().known(7)
                    .fence(new FenceOutcome.Refused(new FenceToken("leader", 5))).next());
        }

        @Test
        void mergingStopsATakeover() {
            assertEquals(new StepDown(LeaderElection.MERGING), at("site-a-2").lockHeld().known(7).merging().next());
        }
    }

    @Nested
    class Leader {
        @Test
        void leadsWhileNothingChanges() {
            assertEquals(new Lead(), at("site-a").leading(TERM_7).next());
        }

        @Test
        void announcesItselfWhenTheSiteMapNamesNoneOrAnother() {
            assertEquals(new Announce(TERM_7), at("site-a").leading(TERM_7).leader("site-a-2").next());
        }

        @Test
        void publishesTheMembersWhenTheyChange() {
            assertEquals(new PublishMembers(), at("site-a").leading(TERM_7).members("site-a", "site-a-3").next());
            assertEquals(new PublishMembers(), at("site-a").leading(TERM_7).published("site-a").next());
        }

        @Test
        void aRefusedWriteUnderTheTermStepsDown() {
            assertEquals(new StepDown(LeaderElection.REFUSED), at("site-a").leading(TERM_7)
                    .fence(new FenceOutcome.Refused(TERM_7)).next());
        }

        @Test
        void aRefusalOfAnEarlierTermIsOld() {
            assertEquals(new Lead(), at("site-a").leading(TERM_7)
                    .fence(new FenceOutcome.Refused(new FenceToken("leader", 6))).next());
        }

        @Test
        void aLaterEpochInTheSiteMapStepsDownAResumedLeader() {
            assertEquals(new StepDown(LeaderElection.SUPERSEDED + " (8 > 7)"), at("site-a").leading(TERM_7).known(8)
                    .leader("site-a-2").next());
        }

        @Test
        void losingTheLockStepsDown() {
            Given leader = at("site-a").leading(TERM_7);
            leader.lockHeld = false;
            assertEquals(new StepDown(LeaderElection.LOCK_LOST), leader.next());
        }

        @Test
        void mergingStepsDown() {
            assertEquals(new StepDown(LeaderElection.MERGING), at("site-a").leading(TERM_7).merging().next());
        }
    }
}
