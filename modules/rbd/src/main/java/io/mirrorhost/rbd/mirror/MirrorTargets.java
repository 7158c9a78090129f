package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.Pools;
import io.vertx.core.Future;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.rbd.spec.ImageRef;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Opening what a mirror command names, with the messages of rbd's {@code utils::init} and
 * {@code utils::open_image}; an opened image is always closed again.
 */
final class MirrorTargets {

    private MirrorTargets() {
    }

    /** The pool (and namespace) exist, or rbd's error opening them. */
    static Future<PoolNamespace> pool(Pools cluster, PoolNamespace where) {
        return cluster.listPools().compose(pools -> {
            if (pools.stream().noneMatch(p -> p.name().equals(where.pool()))) {
                return Future.failedFuture(poolNotFound(where.pool()));
            }
            if (where.namespace().isEmpty()) {
                return Future.succeededFuture(where);
            }
            return cluster.listNamespaces(where.pool()).compose(namespaces -> namespaces.contains(where.namespace())
                    ? Future.succeededFuture(where)
                    : Future.failedFuture(new CommandException(Errno.ENOENT,
                            "rbd: namespace '" + where.namespace() + "' does not exist.")));
        }, failure -> Future.failedFuture(MirrorErrors.withErrno("rbd: error opening pool '" + where.pool() + "'",
                failure)));
    }

    /** rbd's {@code utils::init_io_ctx} message, with its hint when the missing pool is the default one. */
    static CommandException poolNotFound(String pool) {
        if (pool.equals(ImageRef.DEFAULT_POOL)) {
            return new CommandException(Errno.ENOENT, "rbd: error opening default pool '" + pool + "'\n"
                    + "Ensure that the default pool has been created or specify an alternate pool name.");
        }
        return new CommandException(Errno.ENOENT, "rbd: error opening pool '" + pool + "': " + Errno.ENOENT.describe());
    }

    /** The started module's context; until the module runs, commands are refused as the rest of rbd's are. */
    static ModuleContext running(Supplier<ModuleContext> context) {
        ModuleContext running = context.get();
        if (running == null) {
            throw new CommandException(Errno.EAGAIN, "rbd: module 'rbd' is not running yet; try again");
        }
        return running;
    }

    /** Opens the image, runs {@code action} on it and closes it whatever the outcome. */
    static <T> Future<T> withImage(Cluster cluster, ImageSpec spec, Function<Image, Future<T>> action) {
        return pool(cluster, spec.poolNamespace())
                .compose(where -> cluster.openImage(spec).recover(failure -> Future.failedFuture(
                        MirrorErrors.withErrno("rbd: error opening image " + spec.name(), failure))))
                .compose(image -> {
                    Future<T> result;
                    try {
                        result = action.apply(image);
                    } catch (RuntimeException e) {
                        result = Future.failedFuture(e);
                    }
                    return result.eventually(() -> image.close().recover(ignored -> Future.succeededFuture()));
                });
    }

    static boolean isNotFound(Throwable failure) {
        return failure instanceof ClusterException ce && ce.errno() == Errno.ENOENT;
    }
}
