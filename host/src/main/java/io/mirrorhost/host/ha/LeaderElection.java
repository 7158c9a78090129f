package io.mirrorhost.host.ha;

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
import java.util.Optional;

/**
 * The leadership decisions of one instance of a clustered site, without any I/O (design §2.3, D1-D5): the
 * Hazelcast lock only decides who tries to lead; the leader fence, taken from the largest epoch learned
 * through the site map, decides who may write. Given what the instance sees, it answers the one next step.
 */
public final class LeaderElection {
    public static final String MERGING = "the cluster is merging into another one";
    public static final String LOCK_LOST = "the leader lock is no longer held";
    public static final String REFUSED = "the storage refused a write under the term";
    public static final String SUPERSEDED = "a later leader epoch is known";
    public static final String NOT_TAKEN = "the leader fence was not taken";

    private LeaderElection() {
    }

    public static LeaderAction next(LeaderInput in) {
        if (in.term().isPresent()) {
            return leading(in, in.term().get());
        }
        if (in.lockHeld()) {
            return taking(in);
        }
        return standing(in);
    }

    private static LeaderAction leading(LeaderInput in, FenceToken term) {
        if (in.merging()) {
            return new StepDown(MERGING);
        }
        if (!in.lockHeld()) {
            return new StepDown(LOCK_LOST);
        }
        if (in.fence().equals(Optional.of(new FenceOutcome.Refused(term)))) {
            return new StepDown(REFUSED);
        }
        if (in.known().isPresent() && in.known().getAsLong() > term.epoch()) {
            return new StepDown(SUPERSEDED + " (" + in.known().getAsLong() + " > " + term.epoch() + ")");
        }
        if (!in.leader().equals(Optional.of(in.self()))) {
            return new Announce(term);
        }
        return in.published().equals(in.members()) ? new Lead() : new PublishMembers();
    }

    /** Holding the lock, not leading yet: learn the epoch, take the fence, then announce. */
    private static LeaderAction taking(LeaderInput in) {
        if (in.merging()) {
            return new StepDown(MERGING);
        }
        FenceOutcome fence = in.fence().orElse(null);
        if (fence instanceof FenceOutcome.Taken taken) {
            return new Announce(taken.term());
        }
        if (fence instanceof FenceOutcome.NotTaken notTaken) {
            return new StepDown(NOT_TAKEN + ": " + notTaken.why());
        }
        return in.known().isEmpty() ? new LearnStoredEpoch() : new TakeFence(in.known().getAsLong());
    }

    /**
     * Standby: contend for the lock (Hazelcast releases it when its holder leaves the cluster); the
     * designated successor, the oldest live instance that does not lead, also breaks the lock of a leader
     * that stays silent (a paused process keeps its membership for seconds), unless a takeover is under way
     * (an intent above the announced epoch: the lock is someone else's now). One that stepped down waits a
     * while so that another instance, which knows more, takes over.
     */
    private static LeaderAction standing(LeaderInput in) {
        if (in.merging() || in.sinceStepDown().compareTo(in.suspectAfter().multipliedBy(2)) < 0) {
            return new Wait();
        }
        Optional<String> leader = in.leader().filter(name -> !name.equals(in.self()));
        boolean takeoverUnderway = in.known().isPresent() && in.known().getAsLong() > in.leaderEpoch();
        if (leader.isPresent() && !takeoverUnderway && in.members().contains(leader.get())
                && successor(in, leader.get()) && in.leaderSilence().compareTo(in.suspectAfter()) >= 0) {
            return new ForceUnlock(leader.get());
        }
        return new Contend();
    }

    private static boolean successor(LeaderInput in, String leader) {
        return in.members().stream().filter(name -> !name.equals(leader)).findFirst()
                .filter(in.self()::equals).isPresent();
    }
}
