package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.Cancellation;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.ImageData;
import io.mirrorhost.rbd.format.BenchReport;
import io.mirrorhost.rbd.format.SizeFormat;
import io.mirrorhost.rbd.spec.CommandArgs;
import io.mirrorhost.rbd.spec.ImageRef;
import io.mirrorhost.rbd.spec.SpecParser;
import io.mirrorhost.rbd.spec.SpecParser.Modifier;
import io.mirrorhost.rbd.spec.SpecParser.SnapshotPresence;
import io.mirrorhost.rbd.spec.SpecParser.Validation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * {@code rbd bench --io-type read|write|readwrite}: keeps {@code --io-threads} asynchronous I/Os in
 * flight until {@code --io-total} bytes are done, then prints rbd's report.
 */
final class BenchCommand extends RbdCommand {

    BenchCommand(Supplier<ModuleContext> context) {
        super(context);
    }

    CommandSpec spec() {
        List<ArgSpec> args = new ArrayList<>(RbdArgs.imageSpec());
        args.add(RbdArgs.snap());
        args.add(RbdArgs.option("io-size", "IO size (in B/K/M/G) (< 4G) [default: 4K]"));
        args.add(RbdArgs.option("io-threads", "ios in flight [default: 16]"));
        args.add(RbdArgs.option("io-total", "total size for IO (in B/K/M/G/T) [default: 1G]"));
        args.add(RbdArgs.option("io-pattern", "IO pattern (rand, seq, or full-seq) [default: seq]"));
        args.add(RbdArgs.option("rw-mix-read", "read proportion in readwrite (<= 100) [default: 50]"));
        args.add(RbdArgs.option("io-type", "IO type (read, write, or readwrite(rw))"));
        return new CommandSpec("bench", args, "Simple benchmark.", this::bench);
    }

    private Future<CommandResult> bench(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_SPEC);
            BenchPlan plan = BenchPlan.parse(args.option("io-type"), args.option("io-size"),
                    args.option("io-threads"), args.option("io-total"), args.option("io-pattern"),
                    args.option("rw-mix-read"));
            SnapshotPresence presence = plan.ioType == BenchPlan.IoType.READ
                    ? SnapshotPresence.PERMITTED : SnapshotPresence.NONE;
            ImageRef ref = SpecParser.image(args, Modifier.NONE, true, presence, Validation.NONE);
            return Session.using(session().open(ref), image -> image.info().compose(info -> {
                if (plan.ioSize > info.size()) {
                    return Future.failedFuture(CommandException.invalid("rbd: io-size "
                            + SizeFormat.bytes(plan.ioSize) + " larger than image size " + SizeFormat.bytes(info.size())));
                }
                if (plan.ioSize > 0xFFFF_FFFFL || plan.ioSize > Integer.MAX_VALUE) {
                    return Future.failedFuture(CommandException.invalid("rbd: io-size should be less than 4G"));
                }
                Future<Void> flushed = plan.ioType == BenchPlan.IoType.READ ? Future.succeededFuture()
                        : image.flush().recover(Failures.as("rbd: failed to flush: "));
                return flushed.compose(v -> new Run(image, plan, info.size(), r.cancellation()).start());
            }));
        });
    }

    /** One benchmark run: a sliding window of in-flight I/Os fed from the plan's offsets. */
    private final class Run {
        private final ImageData image;
        private final BenchPlan plan;
        private final Random rand = new Random();
        private final BenchPlan.Offsets offsets;
        private final BenchReport report;
        private final Buffer writeData;
        private final Promise<CommandResult> finished = Promise.promise();
        private final Instant start;
        private final Context eventLoop;
        private final Cancellation cancellation;
        private int inFlight;
        private Throwable failure;

        Run(ImageData image, BenchPlan plan, long imageSize, Cancellation cancellation) {
            this.image = image;
            this.cancellation = cancellation;
            this.plan = plan;
            this.offsets = plan.offsets(imageSize, rand);
            this.report = new BenchReport(plan.ioType.label, plan.readPercentage, plan.ioSize, plan.ioThreads,
                    plan.totalBytes, plan.random);
            byte[] bytes = new byte[(int) plan.ioSize];
            java.util.Arrays.fill(bytes, (byte) rand.nextInt(256));
            this.writeData = Buffer.buffer(bytes);
            this.start = context().clock().now();
            this.eventLoop = context().vertx().getOrCreateContext();
        }

        Future<CommandResult> start() {
            issue();
            return finished.future();
        }

        private void issue() {
            if (cancellation.cancelled() && failure == null) {
                failure = new CommandException(Errno.ECANCELED, "rbdm: the client went away: bench cancelled");
            }
            while (failure == null && inFlight < plan.ioThreads && offsets.hasNext()) {
                long offset = offsets.next();
                boolean read = rand.nextInt(100) < plan.readPercentage;
                report.issued(read);
                inFlight++;
                Future<?> io = read ? image.read(offset, (int) plan.ioSize) : image.write(offset, writeData);
                // completions come back through the event loop, so that synchronously completed I/O
                // does not recurse and all state stays on one thread
                io.onComplete(done -> eventLoop.runOnContext(v -> completed(done.failed() ? done.cause() : null)));
            }
            report.observe(elapsedSeconds());
            if (inFlight == 0) {
                finish();
            }
        }

        private void completed(Throwable error) {
            inFlight--;
            if (error != null && failure == null) {
                failure = error;
            }
            issue();
        }

        private void finish() {
            if (finished.future().isComplete()) {
                return;
            }
            if (failure != null) {
                Errno errno = Failures.errno(failure);
                if (errno == null) {
                    finished.fail(failure);
                    return;
                }
                // rbd prints the error with the report on standard output and exits with the errno
                String what = plan.ioType == BenchPlan.IoType.READ ? "read error: " : "write error: ";
                finished.complete(new CommandResult(-errno.code(), report.failed(what + errno.describe()), ""));
                return;
            }
            Future<Void> flushed = plan.ioType == BenchPlan.IoType.READ ? Future.succeededFuture() : image.flush();
            flushed.onComplete(done -> {
                String flushError = done.failed() ? "rbd: failed to flush at the end: "
                        + describe(done.cause()) + "\n" : "";
                finished.complete(Output.ok(report.finish(elapsedSeconds()), flushError));
            });
        }

        private double elapsedSeconds() {
            return Duration.between(start, context().clock().now()).toNanos() / 1e9;
        }
    }

    private static String describe(Throwable failure) {
        Errno errno = Failures.errno(failure);
        return (errno == null ? Errno.EIO : errno).describe();
    }
}
