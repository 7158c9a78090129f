package io.mirrorhost.host.ha;

import io.mirrorhost.api.cluster.FenceToken;

/** The one next step {@link LeaderElection} chose; {@link HazelcastSite} performs it, observes again and asks again. */
public sealed interface LeaderAction {

    /** Standby: try to take the leader lock (the wait for it is the shell's tick). */
    record Contend() implements LeaderAction {
    }

    /** Standby that stepped down a moment ago: leave the lock to the others for now. */
    record Wait() implements LeaderAction {
    }

    /** Lock holder on a site map with no epoch: read the fence's stored epoch and publish it as the known one. */
    record LearnStoredEpoch() implements LeaderAction {
    }

    /** Lock holder: publish the intent {@code known + 1} in the site map, then take the leader fence from {@code known}. */
    record TakeFence(long known) implements LeaderAction {
    }

    /** The fence was taken: lead under {@code term}, announce it in the site map and tell the modules. */
    record Announce(FenceToken term) implements LeaderAction {
    }

    /** Leader: the live instances differ from those the site map lists; publish them (a new site map epoch). */
    record PublishMembers() implements LeaderAction {
    }

    /** Leader: go on leading (beat). */
    record Lead() implements LeaderAction {
    }

    /** The designated successor: the leader has been silent too long; release its lock by force. */
    record ForceUnlock(String leader) implements LeaderAction {
    }

    /** Stop leading (or trying to): clear the term and tell the modules, then release the lock. */
    record StepDown(String reason) implements LeaderAction {
    }
}
