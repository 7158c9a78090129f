package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.rbd.format.Progress;
import io.mirrorhost.rbd.format.SnapListFormatter;
import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.rbd.spec.CommandArgs;
import io.mirrorhost.rbd.spec.ImageRef;
import io.mirrorhost.rbd.spec.SpecParser;
import io.mirrorhost.rbd.spec.SpecParser.Modifier;
import io.mirrorhost.rbd.spec.SpecParser.SnapshotPresence;
import io.mirrorhost.rbd.spec.SpecParser.Validation;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** {@code rbd snap create|ls|rm|purge|rollback|protect|unprotect} ({@code action/Snap.cc}). */
final class SnapCommands extends RbdCommand {

    SnapCommands(Supplier<ModuleContext> context) {
        super(context);
    }

    List<CommandSpec> specs() {
        List<CommandSpec> specs = new ArrayList<>();
        List<ArgSpec> createArgs = withNoProgress(RbdArgs.snapSpec());
        specs.add(new CommandSpec("snap create", createArgs, "Create a snapshot.", this::create));
        specs.add(new CommandSpec("snap add", createArgs, "Create a snapshot (alias of 'snap create').", this::create));

        List<ArgSpec> listArgs = new ArrayList<>(RbdArgs.imageSpec());
        listArgs.add(RbdArgs.flag("all", "list snapshots from all namespaces", "-a", "--all"));
        specs.add(new CommandSpec("snap list", listArgs, "Dump list of image snapshots.", this::list));
        specs.add(new CommandSpec("snap ls", listArgs, "Dump list of image snapshots (alias of 'snap list').",
                this::list));

        List<ArgSpec> removeArgs = withNoProgress(RbdArgs.snapSpec());
        specs.add(new CommandSpec("snap remove", removeArgs, "Delete a snapshot.", this::remove));
        specs.add(new CommandSpec("snap rm", removeArgs, "Delete a snapshot (alias of 'snap remove').", this::remove));

        specs.add(new CommandSpec("snap purge", withNoProgress(RbdArgs.imageSpec()),
                "Delete all unprotected snapshots.", this::purge));

        List<ArgSpec> rollbackArgs = withNoProgress(RbdArgs.snapSpec());
        specs.add(new CommandSpec("snap rollback", rollbackArgs, "Rollback image to snapshot.", this::rollback));
        specs.add(new CommandSpec("snap revert", rollbackArgs,
                "Rollback image to snapshot (alias of 'snap rollback').", this::rollback));

        specs.add(new CommandSpec("snap protect", RbdArgs.snapSpec(), "Prevent a snapshot from being deleted.",
                this::protect));
        specs.add(new CommandSpec("snap unprotect", RbdArgs.snapSpec(), "Allow a snapshot to be deleted.",
                this::unprotect));
        return specs;
    }

    private static List<ArgSpec> withNoProgress(List<ArgSpec> args) {
        List<ArgSpec> all = new ArrayList<>(args);
        all.add(RbdArgs.noProgress());
        return all;
    }

    private static ImageRef snapRef(CommandRequest request, Validation validation) {
        CommandArgs args = new CommandArgs(request, RbdArgs.SNAP_SPEC);
        return SpecParser.image(args, Modifier.NONE, true, SnapshotPresence.REQUIRED, validation);
    }

    private Future<Image> openHead(ImageRef ref) {
        return session().open(new ImageRef(ref.pool(), ref.namespace(), ref.image(), ""));
    }

    // --- create ---

    private Future<CommandResult> create(CommandRequest request) {
        return run(request, r -> {
            ImageRef ref = snapRef(r, Validation.SNAP);
            Progress progress = new Progress("Creating snap", r.flag("no-progress"));
            // librbd reports 10% once the snapshot is about to be created, so a failure shows 0%
            return Session.using(openHead(ref), image -> image.createSnap(ref.snap())
                    .map(id -> Output.ok("", progress.update(1, 10).done()))
                    .recover(failure -> Future.failedFuture(Failures.prefixed(progress.failed(),
                            Failures.word(failure, "rbd: failed to create snapshot: ")))));
        });
    }

    // --- list ---

    private Future<CommandResult> list(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_SPEC);
            ImageRef ref = SpecParser.image(args, Modifier.NONE, true, SnapshotPresence.NONE, Validation.NONE);
            Output.checkFormat(r);
            boolean all = r.flag("all");
            return Session.using(session().open(ref), image -> Future.all(image.listSnaps(), image.info())
                    .map(both -> {
                        List<SnapInfo> snaps = both.resultAt(0);
                        long objects = both.<ImageInfo>resultAt(1).objectCount();
                        TreeWriter f = Output.writer(r);
                        return CommandResult.ok(f == null ? SnapListFormatter.plain(snaps, all, objects, zone())
                                : SnapListFormatter.structured(snaps, all, f, zone()));
                    })
                    .recover(Failures.as("rbd: failed to list snapshots: ")));
        });
    }

    // --- remove ---

    private Future<CommandResult> remove(CommandRequest request) {
        return run(request, r -> {
            ImageRef ref = snapRef(r, Validation.NONE);
            Progress progress = new Progress("Removing snap", r.flag("no-progress"));
            return Session.using(openHead(ref), image -> image.listSnaps().compose(snaps -> {
                SnapInfo snap = Session.findUserSnap(snaps, ref.snap());
                if (snap != null && snap.isProtected()) {
                    return Future.failedFuture(new ClusterException(Errno.EBUSY, "snapshot is protected"));
                }
                return image.removeSnap(ref.snap());
            })).map(v -> Output.ok("", progress.done())).recover(failure -> {
                if (!(failure instanceof ClusterException ce)) {
                    return Future.failedFuture(failure);
                }
                String message = ce.errno() == Errno.EBUSY
                        ? "rbd: snapshot '" + ref.snap() + "' is protected from removal."
                        : "rbd: failed to remove snapshot: " + ce.errno().describe();
                return Future.failedFuture(new CommandException(ce.errno(), progress.failed() + message));
            });
        });
    }

    // --- purge ---

    private Future<CommandResult> purge(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_SPEC);
            ImageRef ref = SpecParser.image(args, Modifier.NONE, true, SnapshotPresence.NONE, Validation.NONE);
            Progress progress = new Progress("Removing all snapshots", r.flag("no-progress"));
            return Session.using(session().open(ref), image -> image.listSnaps().compose(all -> {
                if (all.isEmpty()) {
                    return Future.succeededFuture(CommandResult.ok());
                }
                List<SnapInfo> user = all.stream().filter(s -> s.namespace() == SnapNamespace.USER).toList();
                List<String> protectedNames = user.stream().filter(SnapInfo::isProtected).map(SnapInfo::name).toList();
                List<SnapInfo> removable = user.stream().filter(s -> !s.isProtected()).toList();
                int total = removable.size() + protectedNames.size();
                Future<Void> chain = Future.succeededFuture();
                for (int i = 0; i < removable.size(); i++) {
                    SnapInfo snap = removable.get(i);
                    int done = i + 1;
                    chain = chain.compose(v -> image.removeSnap(snap.name())).map(v -> {
                        progress.update(done, total);
                        return (Void) null;
                    });
                }
                return chain.compose(v -> purgeResult(progress, protectedNames, removable.size()))
                        .recover(failure -> Future.failedFuture(Failures.prefixed(progress.failed(),
                                Failures.word(failure, "rbd: removing snaps failed: "))));
            }));
        });
    }

    private static Future<CommandResult> purgeResult(Progress progress, List<String> protectedNames, int removed) {
        if (!protectedNames.isEmpty()) {
            String stdout = "rbd: error removing snapshot(s) '" + String.join(",", protectedNames) + "', which "
                    + (protectedNames.size() == 1 ? "is" : "are")
                    + " protected - these must be unprotected with `rbd snap unprotect`.\n";
            return Future.succeededFuture(new CommandResult(-Errno.EBUSY.code(), stdout, progress.failed()));
        }
        return Future.succeededFuture(Output.ok("", removed > 0 ? progress.done() : ""));
    }

    // --- rollback ---

    private Future<CommandResult> rollback(CommandRequest request) {
        return run(request, r -> {
            ImageRef ref = snapRef(r, Validation.NONE);
            Progress progress = new Progress("Rolling back to snapshot", r.flag("no-progress"));
            return Session.using(openHead(ref), image -> image.rollbackSnap(ref.snap())
                    .compose(v -> image.info())
                    .map(info -> Output.ok("", progress.steps(1, info.objectCount()).done()))
                    .recover(failure -> Future.failedFuture(Failures.prefixed(progress.failed(),
                            Failures.word(failure, "rbd: rollback failed: ")))));
        });
    }

    // --- protect / unprotect ---

    private Future<CommandResult> protect(CommandRequest request) {
        return run(request, r -> {
            ImageRef ref = snapRef(r, Validation.NONE);
            return Session.using(openHead(ref), image -> image.listSnaps().compose(snaps -> {
                SnapInfo snap = Session.findUserSnap(snaps, ref.snap());
                if (snap == null) {
                    return Future.failedFuture(new ClusterException(Errno.ENOENT, "no such snapshot"));
                }
                if (snap.isProtected()) {
                    return Future.failedFuture(new CommandException(Errno.EBUSY, "rbd: snap is already protected"));
                }
                return image.protectSnap(ref.snap());
            }).recover(Failures.as("rbd: protecting snap failed: "))).map(v -> CommandResult.ok());
        });
    }

    private Future<CommandResult> unprotect(CommandRequest request) {
        return run(request, r -> {
            ImageRef ref = snapRef(r, Validation.NONE);
            return Session.using(openHead(ref), image -> image.listSnaps().compose(snaps -> {
                SnapInfo snap = Session.findUserSnap(snaps, ref.snap());
                if (snap == null) {
                    return Future.failedFuture(new ClusterException(Errno.ENOENT, "no such snapshot"));
                }
                if (!snap.isProtected()) {
                    return Future.failedFuture(CommandException.invalid("rbd: snap is already unprotected"));
                }
                return image.unprotectSnap(ref.snap());
            }).recover(Failures.as("rbd: unprotecting snap failed: "))).map(v -> CommandResult.ok());
        });
    }
}
