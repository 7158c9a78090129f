package io.mirrorhost.host.ha;

import io.mirrorhost.api.AssignmentChange;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Fencing;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A site of one host instance (no {@code [hazelcast]} section): this instance leads from its start,
 * with a term from one take of the {@value #LEADER_FENCE} fence, and every work item offered is its
 * own. It stops leading only if a write under its term is refused, which means another instance took
 * the fence (a second host started on the same cluster).
 */
public final class SoloSite implements HostSite {
    public static final String LEADER_FENCE = "leader";
    private static final Logger LOG = LoggerFactory.getLogger(SoloSite.class);

    private final String instanceName;
    private final List<ModuleCallbacks<Optional<FenceToken>>> leadershipListeners = new CopyOnWriteArrayList<>();
    private volatile Optional<FenceToken> term = Optional.empty();

    public SoloSite(String instanceName) {
        this.instanceName = instanceName;
    }

    /**
     * Takes the leader fence from the epoch stored (alone, this instance knows no later one). A backend
     * that cannot fence (EOPNOTSUPP) leaves the instance leading under epoch 0, which no storage checks.
     */
    @Override
    public Future<Void> lead(Fencing cluster) {
        return cluster.fenceGet(LEADER_FENCE)
            .compose(stored -> cluster.fenceTake(LEADER_FENCE, stored.map(FenceRecord::epoch).orElse(0L), instanceName))
            .recover(failure -> {
                if (ClusterException.errnoOf(failure) != Errno.EOPNOTSUPP) {
                    return Future.failedFuture(failure);
                }
                LOG.info("the cluster cannot fence ({}): instance {} leads unfenced", failure.getMessage(), instanceName);
                return Future.succeededFuture(new FenceToken(LEADER_FENCE, 0));
            })
            .map(taken -> {
                term = Optional.of(taken);
                LOG.info("instance {} leads the site (term {})", instanceName, taken);
                return null;
            });
    }

    @Override
    public Optional<FenceToken> term() {
        return term;
    }

    /** A module's view of the leadership; its listeners are called through {@code callbacks}. */
    @Override
    public Leadership leadership(ModuleCallbacks<Optional<FenceToken>> callbacks) {
        leadershipListeners.add(callbacks);
        return new SiteLeadership(this, callbacks);
    }

    /** A SPREAD module's work assignment; its listeners are called through {@code callbacks}. */
    @Override
    public WorkAssignment assignment(ModuleCallbacks<AssignmentChange> callbacks) {
        return new SoloAssignment(this, callbacks);
    }

    /** A module's write under {@code stale} was refused: if it is the current term, this instance no longer leads. */
    @Override
    public void refused(FenceToken stale) {
        synchronized (this) {
            if (!term.equals(Optional.of(stale))) {
                return;
            }
            term = Optional.empty();
        }
        LOG.error("a write under term {} was refused: another instance took the {} fence; instance {} no longer leads",
            stale, LEADER_FENCE, instanceName);
        leadershipListeners.forEach(callbacks -> callbacks.fire(Optional.empty()));
    }

    @Override
    public String instanceName() {
        return instanceName;
    }

    @Override
    public Optional<String> leaderName() {
        return term.map(t -> instanceName);
    }

    @Override
    public List<String> instanceNames() {
        return List.of(instanceName);
    }
}
