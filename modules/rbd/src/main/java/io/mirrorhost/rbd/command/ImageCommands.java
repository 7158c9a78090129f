package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.rbd.format.ImageInfoFormatter;
import io.mirrorhost.rbd.format.ImageListFormatter;
import io.mirrorhost.rbd.format.ImageListFormatter.ImageRow;
import io.mirrorhost.rbd.format.ImageListFormatter.SnapRow;
import io.mirrorhost.rbd.format.Progress;
import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.rbd.spec.CommandArgs;
import io.mirrorhost.rbd.spec.ImageRef;
import io.mirrorhost.rbd.spec.PoolRef;
import io.mirrorhost.rbd.spec.SizeParser;
import io.mirrorhost.rbd.spec.SpecParser;
import io.mirrorhost.rbd.spec.SpecParser.Modifier;
import io.mirrorhost.rbd.spec.SpecParser.SnapshotPresence;
import io.mirrorhost.rbd.spec.SpecParser.Validation;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** {@code rbd create, ls, info, rm, resize, rename, feature enable|disable}. */
final class ImageCommands extends RbdCommand {

    ImageCommands(Supplier<ModuleContext> context) {
        super(context);
    }

    List<CommandSpec> specs() {
        List<CommandSpec> specs = new ArrayList<>();
        List<ArgSpec> createArgs = new ArrayList<>(RbdArgs.imageSpec());
        createArgs.addAll(RbdArgs.createOptions());
        createArgs.add(RbdArgs.option("size", "image size (in M/G/T) [default: M]", "-s", "--size"));
        specs.add(new CommandSpec("create", createArgs, "Create an empty image.", this::create));

        List<ArgSpec> listArgs = List.of(RbdArgs.flag("long", "long listing format", "-l", "--long"),
                RbdArgs.positional(RbdArgs.POOL_SPEC, "pool specification\n(example: <pool-name>[/<namespace>]"),
                RbdArgs.pool(), RbdArgs.namespace());
        specs.add(new CommandSpec("list", listArgs, "List rbd images.", this::list));
        specs.add(new CommandSpec("ls", listArgs, "List rbd images (alias of 'list').", this::list));

        specs.add(new CommandSpec("info", RbdArgs.imageOrSnapSpec(),
                "Show information about image size, striping, etc.", this::info));

        List<ArgSpec> removeArgs = new ArrayList<>(RbdArgs.imageSpec());
        removeArgs.add(RbdArgs.noProgress());
        specs.add(new CommandSpec("remove", removeArgs, "Delete an image.", this::remove));
        specs.add(new CommandSpec("rm", removeArgs, "Delete an image (alias of 'remove').", this::remove));

        List<ArgSpec> resizeArgs = new ArrayList<>(RbdArgs.imageSpec());
        resizeArgs.add(RbdArgs.option("size", "image size (in M/G/T) [default: M]", "-s", "--size"));
        resizeArgs.add(RbdArgs.flag("allow-shrink", "permit shrinking"));
        resizeArgs.add(RbdArgs.noProgress());
        specs.add(new CommandSpec("resize", resizeArgs, "Resize (expand or shrink) image.", this::resize));

        List<ArgSpec> renameArgs = List.of(
                RbdArgs.positional("src-image-spec", "source image specification\n"
                        + "(example: [<pool-name>/[<namespace>/]]<image-name>)"),
                RbdArgs.positional(RbdArgs.DEST_IMAGE_SPEC, "destination image specification\n"
                        + "(example: [<pool-name>/[<namespace>/]]<image-name>)"),
                RbdArgs.pool(), RbdArgs.namespace(), RbdArgs.image(),
                RbdArgs.option("dest-pool", "destination pool name"),
                RbdArgs.option("dest-namespace", "destination namespace name"),
                RbdArgs.option("dest", "destination image name"));
        specs.add(new CommandSpec("rename", renameArgs, "Rename image within pool.", this::rename));
        specs.add(new CommandSpec("mv", renameArgs, "Rename image within pool (alias of 'rename').", this::rename));

        List<ArgSpec> featureArgs = new ArrayList<>(RbdArgs.imageSpec());
        featureArgs.add(1, ArgSpec.positional("features", ArgType.STRING,
                "image features\n[exclusive-lock, object-map, journaling]").optional().repeatable());
        specs.add(new CommandSpec("feature enable", featureArgs, "Enable the specified image feature.",
                request -> feature(request, true)));
        specs.add(new CommandSpec("feature disable", featureArgs, "Disable the specified image feature.",
                request -> feature(request, false)));
        return specs;
    }

    // --- create ---

    private Future<CommandResult> create(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_SPEC);
            ImageRef ref = SpecParser.image(args, Modifier.NONE, true, SnapshotPresence.NONE, Validation.FULL);
            ImageOptions options = createOptions(args, parseSize(args));
            Session session = session();
            return session.ioContext(ref.poolNamespace())
                    .compose(where -> session.cluster().createImage(ref.imageSpec(), options)
                            .recover(failure -> Future.failedFuture(createError(ref, failure))))
                    .map(v -> CommandResult.ok());
        });
    }

    /** The size given with {@code -s/--size}, required. */
    static long parseSize(CommandArgs args) {
        String size = args.option("size");
        if (size.isEmpty()) {
            throw CommandException.invalid("rbd: must specify --size <M/G/T>");
        }
        return SizeParser.imageSize(size, "--size");
    }

    /** The options of a new image (rbd create and import), in rbd's order of checks. */
    static ImageOptions createOptions(CommandArgs args, long size) {
        List<String> featureValues = args.request().strings("image-feature");
        Set<ImageFeature> features = featureValues.isEmpty()
                ? ImageFeature.defaults() : FeatureNames.parse(featureValues, "--image-feature");
        int order = ImageOptions.DEFAULT_ORDER;
        String objectSize = args.option("object-size");
        if (!objectSize.isEmpty()) {
            long bytes = SizeParser.iecBytes(objectSize, "--object-size");
            order = bytes <= 0 ? -1 : (int) Math.round(Math.log(bytes) / Math.log(2));
            if (order < 12 || order > 25) {
                // librbd answers EDOM (33), which plugin-api's Errno does not list
                throw new CommandException(Errno.EDOM, "rbd: create error: " + Errno.EDOM.describe());
            }
        }
        String dataPool = args.option("data-pool");
        return new ImageOptions(size, order, features, dataPool.isEmpty() ? null : dataPool);
    }

    private static Throwable createError(ImageRef ref, Throwable failure) {
        if (failure instanceof ClusterException ce && ce.errno() == Errno.ENOENT && !ref.namespace().isEmpty()) {
            return new CommandException(Errno.ENOENT, "rbd: namespace not found - it must be created with "
                    + "'rbd namespace create' before creating an image.");
        }
        return Failures.word(failure, "rbd: create error: ");
    }

    // --- list ---

    private Future<CommandResult> list(CommandRequest request) {
        return run(request, r -> {
            PoolRef pool = SpecParser.pool(new CommandArgs(r, RbdArgs.POOL_SPEC), true);
            Output.checkFormat(r);
            Session session = session();
            return session.ioContext(pool.poolNamespace())
                    .compose(where -> session.cluster().listImages(where))
                    .recover(failure -> Future.failedFuture(listFailed(failure)))
                    .compose(entries -> {
                        List<ImageEntry> sorted = entries.stream()
                                .sorted(Comparator.comparing(ImageEntry::name)).toList();
                        TreeWriter f = Output.writer(r);
                        if (!r.flag("long")) {
                            List<String> names = sorted.stream().map(ImageEntry::name).toList();
                            return Future.succeededFuture(CommandResult.ok(f == null
                                    ? ImageListFormatter.namesPlain(names)
                                    : ImageListFormatter.namesStructured(names, f)));
                        }
                        return longRows(session, pool, sorted).map(rows -> Output.ok(f == null
                                ? ImageListFormatter.longPlain(rows.rows())
                                : ImageListFormatter.longStructured(rows.rows(), f), rows.errors()));
                    });
        });
    }

    /** rbd adds its own line after the pool's or namespace's error. */
    private static Throwable listFailed(Throwable failure) {
        if (failure instanceof CommandException ce) {
            return Failures.followedBy(ce, "rbd: listing images failed: " + ce.errno().describe());
        }
        return Failures.word(failure, "rbd: listing images failed: ");
    }

    private record LongListing(List<ImageRow> rows, String errors) {
    }

    /** Opens each image in turn; an image that vanished meanwhile is reported and skipped, as rbd does. */
    private Future<LongListing> longRows(Session session, PoolRef pool, List<ImageEntry> entries) {
        List<ImageRow> rows = new ArrayList<>();
        StringBuilder errors = new StringBuilder();
        Future<Void> chain = Future.succeededFuture();
        for (ImageEntry entry : entries) {
            ImageRef ref = new ImageRef(pool.effectivePool(), pool.namespace(), entry.name(), "");
            chain = chain.compose(v -> Session.using(session.cluster().openImage(ref.imageSpec()),
                            image -> imageRow(image, entry)).map(row -> {
                        rows.add(row);
                        return (Void) null;
                    }).recover(failure -> {
                        Errno errno = Failures.errno(failure);
                        if (errno == null) {
                            return Future.failedFuture(failure);
                        }
                        errors.append("rbd: error opening ").append(entry.name()).append(": ")
                                .append(errno.describe()).append('\n');
                        return Future.succeededFuture();
                    }));
        }
        return chain.map(v -> new LongListing(rows, errors.toString()));
    }

    private static Future<ImageRow> imageRow(Image image, ImageEntry entry) {
        Future<ImageInfo> info = image.info();
        Future<List<SnapInfo>> snaps = image.listSnaps();
        Future<Boolean> locked = image.lockOwners().map(owners -> !owners.isEmpty()).otherwise(false);
        return Future.all(info, snaps, locked).map(v -> {
            List<SnapRow> snapRows = snaps.result().stream()
                    .filter(s -> s.namespace() == SnapNamespace.USER)
                    .map(s -> new SnapRow(s.id(), s.name(), s.size(), s.isProtected()))
                    .toList();
            return new ImageRow(entry.name(), entry.id(), info.result().size(), locked.result(), snapRows);
        });
    }

    // --- info ---

    private Future<CommandResult> info(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_OR_SNAP_SPEC);
            ImageRef ref = SpecParser.image(args, Modifier.NONE, true, SnapshotPresence.PERMITTED, Validation.NONE);
            Output.checkFormat(r);
            return Session.using(session().open(ref), image -> {
                Future<ImageInfo> info = image.info();
                Future<List<SnapInfo>> snaps = image.listSnaps();
                Future<MirrorImageInfo> mirror = image.mirrorInfo().recover(ImageCommands::mirrorUnknown);
                return Future.all(info, snaps, mirror).map(v -> {
                    SnapInfo snap = ref.hasSnap() ? Session.findUserSnap(snaps.result(), ref.snap()) : null;
                    ImageInfoFormatter.View view = new ImageInfoFormatter.View(info.result(), ref.snap(),
                            snap != null && snap.isProtected(), mirror.result());
                    TreeWriter f = Output.writer(r);
                    return CommandResult.ok(f == null ? ImageInfoFormatter.plain(view, zone())
                            : ImageInfoFormatter.structured(view, f, zone()));
                }).recover(Failures.as("rbd: info: "));
            });
        });
    }

    /** A backend that cannot report mirroring, or an image never mirrored, shows none. */
    private static Future<MirrorImageInfo> mirrorUnknown(Throwable failure) {
        Errno errno = Failures.errno(failure);
        if (errno == Errno.EOPNOTSUPP || errno == Errno.ENOENT || errno == Errno.ENOSYS) {
            return Future.succeededFuture(null);
        }
        return Future.failedFuture(failure);
    }

    // --- remove ---

    private Future<CommandResult> remove(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_SPEC);
            ImageRef ref = SpecParser.image(args, Modifier.NONE, true, SnapshotPresence.NONE, Validation.NONE);
            Progress progress = new Progress("Removing image", r.flag("no-progress"));
            Session session = session();
            return session.ioContext(ref.poolNamespace())
                    .compose(where -> Session.using(session.cluster().openImage(ref.imageSpec()),
                            image -> Future.all(image.info(), image.listSnaps())))
                    .compose(both -> {
                        ImageInfo info = both.resultAt(0);
                        List<SnapInfo> snaps = both.resultAt(1);
                        if (snaps.stream().anyMatch(ImageCommands::keepsImage)) {
                            return Future.failedFuture(new ClusterException(Errno.ENOTEMPTY, "image has snapshots"));
                        }
                        return session.cluster().removeImage(ref.imageSpec()).map(v -> info.objectCount());
                    })
                    .map(objects -> Output.ok("", progress.steps(1, objects).done()))
                    .recover(failure -> Future.failedFuture(removeError(progress, failure)));
        });
    }

    /**
     * Whether a snapshot stops the image's removal: librbd's PreRemoveRequest removes trash snapshots and
     * leaves mirror-snapshots to go with the image (mirroring is disabled as part of the removal).
     */
    private static boolean keepsImage(SnapInfo snap) {
        return snap.namespace() != SnapNamespace.MIRROR && snap.namespace() != SnapNamespace.TRASH;
    }

    private static Throwable removeError(Progress progress, Throwable failure) {
        if (!(failure instanceof ClusterException ce)) {
            return failure;
        }
        String message = switch (ce.errno()) {
            case ENOTEMPTY -> "rbd: image has snapshots - these must be deleted with 'rbd snap purge' before "
                    + "the image can be removed.";
            case EBUSY -> "rbd: error: image still has watchers\nThis means the image is still open or the "
                    + "client using it crashed. Try again after closing/unmapping it or waiting 30s for the "
                    + "crashed client to timeout.";
            default -> "rbd: delete error: " + ce.errno().describe();
        };
        return new CommandException(ce.errno(), Failures.librbdLog(ce) + progress.failed() + message);
    }

    // --- resize ---

    private Future<CommandResult> resize(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_SPEC);
            ImageRef ref = SpecParser.image(args, Modifier.NONE, true, SnapshotPresence.NONE, Validation.NONE);
            long size = parseSize(args);
            boolean allowShrink = r.flag("allow-shrink");
            Progress progress = new Progress("Resizing image", r.flag("no-progress"));
            return Session.using(session().open(ref), image -> image.info().compose(info -> {
                if (info.size() == size) {
                    return Future.failedFuture(CommandException.invalid("rbd: new size is equal to original size "));
                }
                if (info.size() > size && !allowShrink) {
                    return Future.failedFuture(CommandException.invalid(
                            "rbd: shrinking an image is only allowed with the --allow-shrink flag"));
                }
                long newObjects = (size + info.objectSize() - 1) / info.objectSize();
                return image.resize(size)
                        .map(v -> {
                            if (size < info.size()) {
                                progress.steps(newObjects, info.objectCount());
                            }
                            return Output.ok("", progress.done());
                        })
                        .recover(failure -> Future.failedFuture(
                                Failures.prefixed(progress.failed(), Failures.word(failure, "rbd: resize error: "))));
            }));
        });
    }

    // --- rename ---

    private Future<CommandResult> rename(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, "src-image-spec", RbdArgs.DEST_IMAGE_SPEC);
            ImageRef source = SpecParser.image(args, Modifier.SOURCE, true, SnapshotPresence.NONE, Validation.NONE);
            ImageRef dest = SpecParser.image(args, Modifier.DEST, new ImageRef(source.pool(), source.namespace(), "", ""),
                    true, SnapshotPresence.NONE, Validation.FULL);
            if (!source.pool().equals(dest.pool())) {
                throw CommandException.invalid("rbd: mv/rename across pools not supported\nsource pool: "
                        + source.pool() + " dest pool: " + dest.pool());
            }
            if (!source.namespace().equals(dest.namespace())) {
                throw CommandException.invalid("rbd: mv/rename across namespaces not supported\nsource namespace: "
                        + source.namespace() + " dest namespace: " + dest.namespace());
            }
            Session session = session();
            return session.ioContext(source.poolNamespace())
                    .compose(where -> session.cluster().renameImage(source.imageSpec(), dest.image())
                            .recover(Failures.as("rbd: rename error: ")))
                    .map(v -> CommandResult.ok());
        });
    }

    // --- feature enable / disable ---

    private Future<CommandResult> feature(CommandRequest request, boolean enable) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_SPEC, "features");
            ImageRef ref = SpecParser.image(args, Modifier.NONE, true, SnapshotPresence.NONE, Validation.NONE);
            List<String> names = args.remainingPositionals();
            if (names.isEmpty()) {
                throw CommandException.invalid("rbd: at least one feature name must be specified");
            }
            Set<ImageFeature> features = FeatureNames.parse(names, "");
            return Session.using(session().open(ref), image -> image.updateFeatures(features, enable)
                    .recover(Failures.as("rbd: failed to update image features: ")))
                    .map(v -> CommandResult.ok());
        });
    }
}
