package io.mirrorhost.schedule;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceToken;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The writes the scheduler makes because this instance leads (claims, run records, the snapshots of
 * images opened for runs): each through the cluster fenced with the term current when it is made, so
 * that the storage refuses those of a leader that was superseded. A refused one (ESHUTDOWN) is
 * reported to the host, which steps this instance down.
 */
final class LeaderWrites {
    private final Cluster cluster;
    private final Leadership leadership;
    private FenceToken viewTerm;
    private Cluster view;

    LeaderWrites(Cluster cluster, Leadership leadership) {
        this.cluster = cluster;
        this.leadership = leadership;
    }

    /** {@code write} through the current term's fenced view, given the term too; fails with ESHUTDOWN on a standby. */
    <T> Future<T> write(BiFunction<Cluster, FenceToken, Future<T>> write) {
        Optional<FenceToken> term = leadership.term();
        if (term.isEmpty()) {
            return Future.failedFuture(new ClusterException(Errno.ESHUTDOWN, "this instance does not lead the site"));
        }
        return write.apply(viewOf(term.get()), term.get()).onFailure(e -> refusedIf(e, term.get()));
    }

    /** Reports a write made under {@code term} that the storage refused (the host steps this instance down). */
    void refusedIf(Throwable failure, FenceToken term) {
        if (ClusterException.errnoOf(failure) == Errno.ESHUTDOWN) {
            leadership.refused(term);
        }
    }

    /** One view per term, made when the term is first written under (a view holds nothing to close). */
    private synchronized Cluster viewOf(FenceToken term) {
        if (!term.equals(viewTerm)) {
            view = cluster.fenced(term);
            viewTerm = term;
        }
        return view;
    }
}
