package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageData;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.rbd.format.DiskUsageFormatter;
import io.mirrorhost.rbd.format.DiskUsageFormatter.Row;
import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.rbd.spec.CommandArgs;
import io.mirrorhost.rbd.spec.ImageRef;
import io.mirrorhost.rbd.spec.SpecParser;
import io.mirrorhost.rbd.spec.SpecParser.Modifier;
import io.mirrorhost.rbd.spec.SpecParser.SnapshotPresence;
import io.mirrorhost.rbd.spec.SpecParser.Validation;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code rbd du [image-or-snap-spec]}: provisioned and used space of each image and snapshot, used
 * space being what changed since the previous snapshot (whole objects unless {@code --exact}).
 */
final class DiskUsageCommand extends RbdCommand {

    DiskUsageCommand(Supplier<ModuleContext> context) {
        super(context);
    }

    List<CommandSpec> specs() {
        List<ArgSpec> args = new ArrayList<>(RbdArgs.imageOrSnapSpec());
        args.add(RbdArgs.option("from-snap", "snapshot starting point"));
        args.add(RbdArgs.flag("exact", "compute exact disk usage (slow)"));
        args.add(RbdArgs.flag("merge-snapshots", "merge snapshot sizes with its image"));
        String help = "Show disk usage stats for pool, image or snapshot.";
        return List.of(new CommandSpec("disk-usage", args, help, this::diskUsage),
                new CommandSpec("du", args, help + " (alias of 'disk-usage')", this::diskUsage));
    }

    /** The totals and rows being built, image by image. */
    private static final class Usage {
        final List<Row> rows = new ArrayList<>();
        final StringBuilder warnings = new StringBuilder();
        long totalProvisioned;
        long totalUsed;
        int counted;
    }

    private Future<CommandResult> diskUsage(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_OR_SNAP_SPEC);
            String fromSnap = args.option("from-snap");
            ImageRef ref = SpecParser.image(args, Modifier.NONE, !fromSnap.isEmpty(), SnapshotPresence.PERMITTED,
                    Validation.NONE);
            Output.checkFormat(r);
            boolean exact = r.flag("exact");
            boolean merge = r.flag("merge-snapshots");
            Session session = session();
            Usage usage = new Usage();
            return session.ioContext(ref.poolNamespace())
                    .compose(where -> session.cluster().listImages(where).compose(entries -> {
                        List<ImageEntry> chosen = entries.stream()
                                .filter(e -> ref.image().isEmpty() || e.name().equals(ref.image()))
                                .sorted(Comparator.comparing(ImageEntry::name)).toList();
                        if (!ref.image().isEmpty() && chosen.isEmpty()) {
                            return Future.failedFuture(new CommandException(Errno.ENOENT, "specified image "
                                    + ref.image() + " is not found.\nrbd: du failed: " + Errno.ENOENT.describe()));
                        }
                        Future<Void> chain = Future.succeededFuture();
                        for (ImageEntry entry : chosen) {
                            chain = chain.compose(v -> Session.using(session.cluster().openImage(
                                            new ImageRef(ref.pool(), ref.namespace(), entry.name(), "").imageSpec()),
                                    image -> imageUsage(session, where, entry, image, ref, fromSnap, exact, merge, usage)));
                        }
                        return chain.map(v -> {
                            TreeWriter f = Output.writer(r);
                            String out = f == null
                                    ? DiskUsageFormatter.plain(usage.rows, usage.totalProvisioned, usage.totalUsed,
                                    usage.counted, !entries.isEmpty())
                                    : DiskUsageFormatter.structured(usage.rows, usage.totalProvisioned,
                                    usage.totalUsed, ref.image().isEmpty(), f);
                            return Output.ok(out, usage.warnings.toString());
                        });
                    }))
                    .recover(failure -> Future.failedFuture(Failures.word(failure, "rbd: du failed: ")));
        });
    }

    private static Future<Void> imageUsage(Session session, PoolNamespace where, ImageEntry entry, Image image,
                                           ImageRef ref, String fromSnap, boolean exact, boolean merge, Usage usage) {
        return Future.all(image.info(), image.listSnaps()).compose(both -> {
            ImageInfo info = both.resultAt(0);
            List<SnapInfo> snaps = both.<List<SnapInfo>>resultAt(1).stream()
                    .filter(s -> s.namespace() == SnapNamespace.USER)
                    .sorted(Comparator.comparingLong(SnapInfo::id)).toList();
            if (!info.features().contains(ImageFeature.FAST_DIFF)) {
                usage.warnings.append("warning: fast-diff map is not enabled for ").append(entry.name())
                        .append(". operation may be slow.\n");
            }
            SnapInfo untilSnap = ref.hasSnap() ? Session.findUserSnap(snaps, ref.snap()) : null;
            SnapInfo from = fromSnap.isEmpty() ? null : Session.findUserSnap(snaps, fromSnap);
            if ((ref.hasSnap() && untilSnap == null) || (!fromSnap.isEmpty() && from == null)) {
                return Future.failedFuture(new CommandException(Errno.ENOENT,
                        "specified snapshot is not found.\nrbd: du failed: " + Errno.ENOENT.describe()));
            }
            if (untilSnap != null && from != null) {
                if (from.id() == untilSnap.id()) {
                    return Future.succeededFuture();
                }
                if (from.id() > untilSnap.id()) {
                    return Future.failedFuture(new CommandException(Errno.EINVAL,
                            "rbd: du failed: " + Errno.EINVAL.describe()));
                }
            }
            return snapshotsUsage(session, where, entry, image, info, snaps, ref, from, untilSnap, exact, merge, usage);
        });
    }

    private static Future<Void> snapshotsUsage(Session session, PoolNamespace where, ImageEntry entry, Image head,
                                               ImageInfo info,
                                               List<SnapInfo> snaps, ImageRef ref, SnapInfo from, SnapInfo until,
                                               boolean exact, boolean merge, Usage usage) {
        long[] imageUsed = {0};
        Future<Long> chain = Future.succeededFuture(null);
        boolean wholePool = ref.image().isEmpty();
        boolean[] foundFrom = {from == null};
        for (SnapInfo snap : snaps) {
            chain = chain.compose(previous -> {
                if (until != null && previous != null && previous == -1L) {
                    return Future.succeededFuture(-1L);
                }
                Future<Void> counted = Future.succeededFuture();
                if (wholePool || foundFrom[0]) {
                    counted = Session.using(session.cluster().openImageAtSnap(where, info.id(), snap.id()),
                            snapImage -> used(snapImage, previous, snap.size(), exact)).map(used -> {
                        if (!merge) {
                            usage.rows.add(new Row(entry.name(), entry.id(), snap.name(), snap.id(), snap.size(), used));
                        }
                        imageUsed[0] += used;
                        if (until != null) {
                            usage.totalProvisioned += snap.size();
                        }
                        usage.totalUsed += used;
                        usage.counted++;
                        return null;
                    });
                }
                return counted.map(v -> {
                    if (!foundFrom[0] && from != null && snap.id() == from.id()) {
                        foundFrom[0] = true;
                    }
                    return until != null && snap.id() == until.id() ? -1L : snap.id();
                });
            });
        }
        return chain.compose(last -> {
            if (until != null) {
                return Future.succeededFuture();
            }
            Long lastSnap = last == null || last == -1L ? null : last;
            return used(head, lastSnap, info.size(), exact).map(used -> {
                imageUsed[0] += used;
                usage.rows.add(new Row(entry.name(), entry.id(), "", -1, info.size(), merge ? imageUsed[0] : used));
                usage.totalProvisioned += info.size();
                usage.totalUsed += used;
                usage.counted++;
                return null;
            });
        });
    }

    private static Future<Long> used(ImageData image, Long fromSnapId, long size, boolean exact) {
        return image.diff(fromSnapId, 0, size, !exact).map(extents -> extents.stream()
                .filter(DiffExtent::exists).mapToLong(DiffExtent::length).sum());
    }
}
