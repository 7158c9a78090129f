package io.mirrorhost.rbd.command;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.rbd.spec.ImageRef;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * How rbd reaches pools, namespaces and images ({@code utils::init}, {@code utils::open_image},
 * {@code utils::snap_set}), with its error messages, over the cluster SPI.
 */
final class Session {
    private final Cluster cluster;

    Session(Cluster cluster) {
        this.cluster = cluster;
    }

    Cluster cluster() {
        return cluster;
    }

    /** Checks that the pool and namespace exist, as rbd does before anything else. */
    Future<PoolNamespace> ioContext(PoolNamespace where) {
        return cluster.listPools().recover(Failures.as("rbd: error opening pool '" + where.pool() + "': "))
                .compose(pools -> {
                    if (pools.stream().map(PoolInfo::name).noneMatch(where.pool()::equals)) {
                        return Future.failedFuture(poolNotFound(where.pool()));
                    }
                    if (where.namespace().isEmpty()) {
                        return Future.succeededFuture(where);
                    }
                    return cluster.listNamespaces(where.pool())
                            .recover(Failures.as("rbd: error asserting namespace: "))
                            .compose(namespaces -> namespaces.contains(where.namespace())
                                    ? Future.succeededFuture(where)
                                    : Future.failedFuture(new CommandException(Errno.ENOENT,
                                    "rbd: namespace '" + where.namespace() + "' does not exist.")));
                });
    }

    static CommandException poolNotFound(String pool) {
        if (pool.equals(ImageRef.DEFAULT_POOL)) {
            return new CommandException(Errno.ENOENT, "rbd: error opening default pool '" + pool + "'\n"
                    + "Ensure that the default pool has been created or specify an alternate pool name.");
        }
        return new CommandException(Errno.ENOENT,
                "rbd: error opening pool '" + pool + "': " + Errno.ENOENT.describe());
    }

    /** Opens the image head, or its snapshot when the spec names one. */
    Future<Image> open(ImageRef ref) {
        return ioContext(ref.poolNamespace()).compose(where -> openHead(ref).compose(head -> {
            if (!ref.hasSnap()) {
                return Future.succeededFuture(head);
            }
            return atSnap(head, where, ref.snap());
        }));
    }

    /** Opens the image head; the pool and namespace must have been checked. */
    Future<Image> openHead(ImageRef ref) {
        return cluster.openImage(ref.imageSpec())
                .recover(Failures.as("rbd: error opening image " + ref.image() + ": "));
    }

    private Future<Image> atSnap(Image head, PoolNamespace where, String snapName) {
        Future<Image> snapshot = head.listSnaps().compose(snaps -> {
            SnapInfo snap = findUserSnap(snaps, snapName);
            if (snap == null) {
                return Future.failedFuture(new CommandException(Errno.ENOENT,
                        "error setting snapshot context: " + Errno.ENOENT.describe()));
            }
            return head.info().compose(info -> cluster.openImageAtSnap(where, info.id(), snap.id()));
        }).recover(Failures.as("error setting snapshot context: "));
        return snapshot.eventually(head::close);
    }

    static SnapInfo findUserSnap(java.util.List<SnapInfo> snaps, String name) {
        for (SnapInfo snap : snaps) {
            if (snap.namespace() == SnapNamespace.USER && snap.name().equals(name)) {
                return snap;
            }
        }
        return null;
    }

    /** Runs {@code work} on an image and closes it afterwards, whatever the outcome. */
    static <T> Future<T> using(Future<Image> opened, Function<Image, Future<T>> work) {
        return opened.compose(image -> {
            Future<T> result;
            try {
                result = work.apply(image);
            } catch (RuntimeException e) {
                result = Future.failedFuture(e);
            }
            return result.eventually(image::close);
        });
    }
}
