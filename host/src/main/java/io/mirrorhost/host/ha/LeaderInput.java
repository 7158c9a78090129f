package io.mirrorhost.host.ha;

import io.mirrorhost.api.cluster.FenceToken;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one instance sees of its site when {@link LeaderElection} decides its next step.
 *
 * @param self             this instance's name
 * @param members          the live instances, oldest first, as Hazelcast lists them (the same order on every member)
 * @param published        the instances the site map lists (the leader republishes them when they change)
 * @param leader           the leader the site map announces
 * @param leaderEpoch      the epoch it announced
 * @param known            the largest leader epoch learned through the site map (announced or intended);
 *                         empty while the site map has none (a site formed afresh)
 * @param lockHeld         this instance holds the site's leader lock
 * @param term             this instance's term, while it leads
 * @param fence            what came of this instance's last fence call, since it last acted on one
 * @param leaderSilence    how long the announced leader has not beaten
 * @param sinceStepDown    how long ago this instance last stepped down
 * @param suspectAfter     the silence after which the designated successor takes over
 * @param merging          Hazelcast is merging this instance's cluster into another one
 */
public record LeaderInput(String self, List<String> members, List<String> published, Optional<String> leader,
                          long leaderEpoch, OptionalLong known, boolean lockHeld, Optional<FenceToken> term,
                          Optional<FenceOutcome> fence, Duration leaderSilence, Duration sinceStepDown,
                          Duration suspectAfter, boolean merging) {

    /** The outcome of a fence call: the take, or a module's write refused under a term. */
    public sealed interface FenceOutcome {
        /** The storage handed out this term. */
        record Taken(FenceToken term) implements FenceOutcome {
        }

        /** The storage holds an epoch above what this instance knew, or could not take the fence. */
        record NotTaken(String why) implements FenceOutcome {
        }

        /** A write under {@code term} was refused: a later term was taken. */
        record Refused(FenceToken term) implements FenceOutcome {
        }
    }
}
