package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.Cancellation;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageData;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.rbd.format.Progress;
import io.mirrorhost.rbd.spec.CommandArgs;
import io.mirrorhost.rbd.spec.ImageRef;
import io.mirrorhost.rbd.spec.SpecParser;
import io.mirrorhost.rbd.spec.SpecParser.Modifier;
import io.mirrorhost.rbd.spec.SpecParser.SnapshotPresence;
import io.mirrorhost.rbd.spec.SpecParser.Validation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code rbd export SRC PATH} and {@code rbd import PATH|- DEST} (raw images, export format 1), with
 * host-side absolute paths given by the CLI; {@code import -} reads the request's input. Files are
 * read and written with Vert.x's asynchronous file system, one object-sized chunk at a time;
 * all-zero chunks are skipped, so the result is sparse as rbd's.
 */
final class ExportImportCommands extends RbdCommand {
    private static final String PATH_NAME = "path-name";
    private static final String STDIO = "-";
    private static final int SPARSE_SIZE = 4096;

    ExportImportCommands(Supplier<ModuleContext> context) {
        super(context);
    }

    List<CommandSpec> specs() {
        List<ArgSpec> exportArgs = new ArrayList<>();
        exportArgs.add(RbdArgs.positional(RbdArgs.IMAGE_OR_SNAP_SPEC, "source image or snapshot specification\n"
                + "(example: [<pool-name>/[<namespace>/]]<image-name>[@<snap-name>])"));
        exportArgs.add(RbdArgs.pathPositional(PATH_NAME, "export file (or '-' for stdout)"));
        exportArgs.addAll(List.of(RbdArgs.pool(), RbdArgs.namespace(), RbdArgs.image(), RbdArgs.snap(),
                RbdArgs.pathOption("path", "export file (or '-' for stdout)"),
                RbdArgs.option("export-format", "format of image file").withChoices("1"),
                RbdArgs.noProgress()));

        List<ArgSpec> importArgs = new ArrayList<>();
        importArgs.add(RbdArgs.pathPositional(PATH_NAME, "import file (or '-' for stdin)"));
        importArgs.add(RbdArgs.positional(RbdArgs.DEST_IMAGE_SPEC, "destination image specification\n"
                + "(example: [<pool-name>/[<namespace>/]]<image-name>)"));
        importArgs.addAll(List.of(RbdArgs.pathOption("path", "import file (or '-' for stdin)"),
                RbdArgs.option("dest-pool", "destination pool name"),
                RbdArgs.option("dest-namespace", "destination namespace name"),
                RbdArgs.option("dest", "destination image name"),
                RbdArgs.option("pool", "pool name (deprecated, use --dest-pool)", "-p", "--pool")));
        importArgs.addAll(RbdArgs.createOptions());
        importArgs.add(RbdArgs.option("export-format", "format of image file").withChoices("1"));
        importArgs.add(RbdArgs.noProgress());
        return List.of(new CommandSpec("export", exportArgs, "Export image to file.", this::export),
                new CommandSpec("import", importArgs, "Import image from file.", this::importImage));
    }

    private static String path(CommandArgs args) {
        String path = args.option("path");
        if (path.isEmpty()) {
            path = args.takePositionalIfPresent();
        }
        if (path.isEmpty()) {
            throw CommandException.invalid("rbd: path was not specified");
        }
        return path;
    }

    // --- export ---

    private Future<CommandResult> export(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_OR_SNAP_SPEC, PATH_NAME);
            ImageRef ref = SpecParser.image(args, Modifier.SOURCE, true, SnapshotPresence.PERMITTED, Validation.NONE);
            String path = path(args);
            Progress progress = new Progress("Exporting image", r.flag("no-progress"));
            FileSystem fs = context().vertx().fileSystem();
            return Session.using(session().open(ref), image -> {
                if (path.equals(STDIO)) {
                    return exportToStdout(image, progress, r.cancellation());
                }
                return fs.open(path, new OpenOptions().setWrite(true).setCreateNew(true))
                        .recover(failure -> Future.failedFuture(new CommandException(FileErrors.errno(failure),
                                "rbd: export error: " + FileErrors.errno(failure).describe())))
                        .compose(file -> copyOut(image, progress, r.cancellation(), (data, offset, last) ->
                                        last || !isZero(data) ? file.write(data, offset) : Future.succeededFuture())
                                .eventually(file::close)
                                .recover(failure -> fs.delete(path).transform(ignored -> Future.failedFuture(failure))))
                        .map(v -> Output.ok("", progress.done()));
            });
        });
    }

    /**
     * Standard output travels inside the HTTP reply, so it is held in memory whole: images larger
     * than this must be exported to a file.
     */
    static final long MAX_STDOUT_EXPORT_BYTES = 256L * 1024 * 1024;

    private static Future<CommandResult> exportToStdout(Image image, Progress progress, Cancellation cancellation) {
        return image.info().compose(info -> {
            if (info.size() > MAX_STDOUT_EXPORT_BYTES) {
                return Future.failedFuture(new CommandException(Errno.EFBIG, "rbd: export error: image is "
                        + info.size() + " bytes; rbdm exports at most " + MAX_STDOUT_EXPORT_BYTES
                        + " bytes to standard output: export to a file instead"));
            }
            byte[] out = new byte[(int) info.size()];
            return copyOut(image, progress, cancellation, (data, offset, last) -> {
                data.getBytes(0, data.length(), out, (int) offset);
                return Future.succeededFuture();
            }).map(v -> CommandResult.binary(out, progress.done()));
        });
    }

    /** Where exported chunks go: a file or memory. */
    @FunctionalInterface
    private interface ChunkSink {
        Future<Void> accept(Buffer data, long offset, boolean last);
    }

    private static Future<Void> copyOut(Image image, Progress progress, Cancellation cancellation, ChunkSink sink) {
        return image.info().compose(info -> {
            long size = info.size();
            long chunk = info.objectSize();
            long chunks = (size + chunk - 1) / chunk;
            return ObjectSteps.run(chunks, cancellation, i -> {
                long offset = i * chunk;
                int length = (int) Math.min(chunk, size - offset);
                boolean last = i == chunks - 1;
                long done = i + 1;
                return image.read(offset, length)
                        .compose(data -> sink.accept(data, offset, last))
                        .map(v -> {
                            if (done < chunks) {
                                progress.update(done, chunks);
                            }
                            return (Void) null;
                        });
            }).recover(failure -> Future.failedFuture(fileOrClusterError(failure, "rbd: export error: ")));
        });
    }

    // --- import ---

    private Future<CommandResult> importImage(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, PATH_NAME, RbdArgs.DEST_IMAGE_SPEC);
            String path = path(args);
            ImageRef dest = SpecParser.image(args, Modifier.DEST, new ImageRef(args.option("pool"), "", "", ""),
                    false, SnapshotPresence.NONE, Validation.FULL);
            if (dest.image().isEmpty()) {
                if (path.equals(STDIO)) {
                    throw CommandException.invalid("rbd: destination image name was not specified");
                }
                dest = new ImageRef(dest.pool(), dest.namespace(), path.substring(path.lastIndexOf('/') + 1), "");
            }
            ImageRef target = dest;
            ImageOptions options = ImageCommands.createOptions(args, 0);
            boolean fromInput = path.equals(STDIO);
            Progress progress = new Progress("Importing image", r.flag("no-progress"));
            Session session = session();
            return session.ioContext(target.poolNamespace())
                    .compose(where -> fromInput ? Future.succeededFuture(new Source(r.input()))
                            : openSource(path))
                    .compose(source -> importFrom(session, target, options, source, progress, r.cancellation())
                            .eventually(source::close))
                    .map(v -> Output.ok("", progress.done()));
        });
    }

    /** Where the data comes from: the request's input or a file opened for reading. */
    private static final class Source {
        final Buffer input;
        final AsyncFile file;
        final long size;

        Source(byte[] input) {
            this.input = Buffer.buffer(input == null ? new byte[0] : input);
            this.file = null;
            this.size = this.input.length();
        }

        Source(AsyncFile file, long size) {
            this.input = null;
            this.file = file;
            this.size = size;
        }

        Future<Buffer> read(long offset, int length) {
            if (file == null) {
                return Future.succeededFuture(input.getBuffer((int) offset, (int) offset + length));
            }
            return file.read(Buffer.buffer(length), 0, offset, length);
        }

        Future<Void> close() {
            return file == null ? Future.succeededFuture() : file.close();
        }
    }

    private Future<Source> openSource(String path) {
        FileSystem fs = context().vertx().fileSystem();
        return fs.props(path)
                .compose(props -> fs.open(path, new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                        .map(file -> new Source(file, props.size())))
                .recover(failure -> {
                    Errno errno = FileErrors.errno(failure);
                    return Future.failedFuture(new CommandException(errno,
                            "rbd: error opening " + path + "\nrbd: import failed: " + errno.describe()));
                });
    }

    /**
     * Creates the image, copies the source into it and flushes, as rbd import; on failure removes the
     * image again, and marks the import in the module's store so that a host killed half-way removes
     * it when it starts again ({@link ImportMarkers}).
     */
    private Future<Void> importFrom(Session session, ImageRef target, ImageOptions options, Source source,
                                    Progress progress, Cancellation cancellation) {
        ImageOptions sized = new ImageOptions(source.size, options.order(), options.features(), options.dataPool());
        ImageSpec spec = target.imageSpec();
        ImportMarkers markers = new ImportMarkers(context());
        Instant since = context().clock().now();
        return markers.begin(spec, since)
                .compose(v -> session.cluster().createImage(spec, sized)
                        .recover(failure -> Future.failedFuture(Failures.prefixed("rbd: image creation failed\n"
                                + progress.failed(), Failures.word(failure, "rbd: import failed: "))))
                        .compose(w -> Session.using(session.cluster().openImage(spec),
                                        image -> image.info()
                                                .compose(info -> markers.created(spec, since, info.id()))
                                                .compose(x -> copyFromSource(image, source, sized, progress,
                                                        cancellation))
                                                .compose(x -> image.flush()))
                                .recover(failure -> session.cluster().removeImage(spec)
                                        .transform(ignored -> Future.failedFuture(Failures.prefixed(progress.failed(),
                                                fileOrClusterError(failure, "rbd: import failed: ")))))))
                .transform(done -> markers.end(spec).transform(ended -> done.succeeded()
                        ? Future.succeededFuture() : Future.failedFuture(done.cause())));
    }

    private static Future<Void> copyFromSource(ImageData image, Source source, ImageOptions options,
                                               Progress progress, Cancellation cancellation) {
        long chunk = 1L << options.order();
        long chunks = (source.size + chunk - 1) / chunk;
        boolean report = source.file != null;
        return ObjectSteps.run(chunks, cancellation, i -> {
            long offset = i * chunk;
            int length = (int) Math.min(chunk, source.size - offset);
            long done = i + 1;
            return source.read(offset, length)
                    .compose(data -> writeSparse(image, offset, data))
                    .map(v -> {
                        if (report && done < chunks) {
                            progress.update(done, chunks);
                        }
                        return (Void) null;
                    });
        });
    }

    /**
     * Writes the runs of non-zero {@value #SPARSE_SIZE}-byte blocks of {@code data} and skips the zero
     * ones, as rbd import does with its default {@code --sparse-size}.
     */
    static Future<Void> writeSparse(ImageData image, long offset, Buffer data) {
        Future<Void> chain = Future.succeededFuture();
        int runStart = -1;
        for (int block = 0; block < data.length() + SPARSE_SIZE; block += SPARSE_SIZE) {
            boolean zero = block >= data.length()
                    || isZero(data.slice(block, Math.min(block + SPARSE_SIZE, data.length())));
            if (!zero && runStart < 0) {
                runStart = block;
            } else if (zero && runStart >= 0) {
                int from = runStart;
                int to = Math.min(block, data.length());
                chain = chain.compose(v -> image.write(offset + from, data.getBuffer(from, to)));
                runStart = -1;
            }
        }
        return chain;
    }

    private static Throwable fileOrClusterError(Throwable failure, String prefix) {
        if (failure instanceof CommandException || failure instanceof io.mirrorhost.api.cluster.ClusterException) {
            return Failures.word(failure, prefix);
        }
        Errno errno = FileErrors.errno(failure);
        return new CommandException(errno, prefix + errno.describe());
    }

    static boolean isZero(Buffer data) {
        for (int i = 0; i < data.length(); i++) {
            if (data.getByte(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
