package io.mirrorhost.schedule;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Fencing;
import io.mirrorhost.api.cluster.Image;
import io.vertx.core.Future;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The leader fence of a {@link FakeCluster}, enforced as the embedded cluster does for the calls the
 * scheduler makes: through a view fenced with a token that is not the current epoch, run-record writes
 * and the snapshots of images opened through it fail with ESHUTDOWN (counted in {@link #refused}).
 */
final class FakeFence implements Fencing {
    private static final Set<String> FENCED_CALLS = Set.of("omapSet", "omapRemove", "mirrorCreateSnapshot");

    private final Supplier<Cluster> cluster;
    private long epoch;
    /** Fenced calls refused so far. */
    int refused;

    FakeFence(Supplier<Cluster> cluster) {
        this.cluster = cluster;
    }

    /** What a host does when it starts to lead: the next term. */
    synchronized FenceToken take() {
        return new FenceToken("leader", ++epoch);
    }

    @Override
    public synchronized Future<FenceToken> fenceTake(String name, long known, String holder) {
        if (epoch > known) {
            return Future.failedFuture(new ClusterException(Errno.ESTALE, "fence at epoch " + epoch));
        }
        epoch = known + 1;
        return Future.succeededFuture(new FenceToken(name, epoch));
    }

    @Override
    public synchronized Future<Optional<FenceRecord>> fenceGet(String name) {
        return Future.succeededFuture(epoch == 0 ? Optional.empty() : Optional.of(new FenceRecord(name, epoch, "", refused)));
    }

    @Override
    public Cluster fenced(FenceToken token) {
        return view(Cluster.class, cluster.get(), token);
    }

    private <T> T view(Class<T> type, T target, FenceToken token) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (method.getName().equals("close") && type == Cluster.class) {
                return Future.succeededFuture();
            }
            if (FENCED_CALLS.contains(method.getName()) && !current(token)) {
                return Future.failedFuture(new ClusterException(Errno.ESHUTDOWN, "fenced: " + token + " superseded"));
            }
            Object result = invoke(method, target, args);
            return method.getName().startsWith("openImage")
                    ? ((Future<?>) result).map(image -> view(Image.class, (Image) image, token)) : result;
        }));
    }

    private synchronized boolean current(FenceToken token) {
        if (token.epoch() == epoch) {
            return true;
        }
        refused++;
        return false;
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
