package io.mirrorhost.api.testing;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Fencing;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.Optional;

/**
 * The {@link Fencing} role of a fake cluster whose storage checks no fence: a fenced view is the cluster
 * itself (as on Ceph, where the OSDs refuse a blocklisted holder instead), and fences cannot be taken.
 * For code under test that writes through {@code fenced(token)} against fakes of the other roles.
 */
public final class UncheckedFences implements Fencing {
    private Cluster cluster;

    private UncheckedFences() {
    }

    /** {@link RoleFakes#cluster} of {@code fakes} and of unchecked fences. */
    public static Cluster cluster(Object... fakes) {
        UncheckedFences fences = new UncheckedFences();
        Object[] all = Arrays.copyOf(fakes, fakes.length + 1);
        all[fakes.length] = fences;
        fences.cluster = RoleFakes.cluster(all);
        return fences.cluster;
    }

    @Override
    public Future<FenceToken> fenceTake(String name, long known, String holder) {
        return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP, "this fake cluster checks no fence"));
    }

    @Override
    public Future<Optional<FenceRecord>> fenceGet(String name) {
        return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP, "this fake cluster checks no fence"));
    }

    @Override
    public Cluster fenced(FenceToken token) {
        return cluster;
    }
}
