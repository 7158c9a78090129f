package io.mirrorhost.host.ha;

import io.mirrorhost.api.AssignmentChange;
import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.Site;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Fencing;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The host's side of a {@link Site}: who leads it and under which term, and the views the modules get of
 * that. {@link SoloSite} when the conf has no {@code [hazelcast]} section, {@link HazelcastSite} otherwise.
 */
public interface HostSite extends Site {

    /** Starts to lead (solo) or to take part in the site's leader election (clustered), taking fences through {@code cluster}. */
    Future<Void> lead(Fencing cluster);

    /** This instance's term while it leads. */
    Optional<FenceToken> term();

    /** A module's write under {@code stale} was refused: if it is the current term, this instance no longer leads. */
    void refused(FenceToken stale);

    /** A module's view of the leadership; its listeners are called through {@code callbacks}. */
    Leadership leadership(ModuleCallbacks<Optional<FenceToken>> callbacks);

    /** A SPREAD module's work assignment; its listeners are called through {@code callbacks}. */
    WorkAssignment assignment(ModuleCallbacks<AssignmentChange> callbacks);

    /** What {@code mgr stat} and {@code mgr dump} show; alone, the site map's epoch is the leader epoch. */
    default SiteStatus status() {
        long epoch = term().map(FenceToken::epoch).orElse(0L);
        return new SiteStatus(epoch, leaderName(), epoch, instanceNames());
    }

    /** Stops taking part: a leader steps down, so that another instance takes over at once. */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
