package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * Opening what a mirror command names, with the messages of rbd's {@code utils::init} and
 * {@code utils::open_image}; an opened image is always closed again.
 */
final class MirrorTargets {

    private MirrorTargets() {
    }

    /** The pool (and namespace) exist, or rbd's error opening them. */
    static Future<PoolNamespace> pool(Cluster cluster, PoolNamespace where) {
        return cluster.listPools().compose(pools -> {
            if (pools.stream().noneMatch(p -> p.name().equals(where.pool()))) {
                return Future.failedFuture(new CommandException(Errno.ENOENT,
                        "rbd: error opening pool '" + where.pool() + "': " + Errno.ENOENT.describe()));
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
