package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.rbd.format.Progress;
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

/** {@code rbd object-map rebuild} ({@code action/ObjectMap.cc}). */
final class ObjectMapCommands extends RbdCommand {

    ObjectMapCommands(Supplier<ModuleContext> context) {
        super(context);
    }

    List<CommandSpec> specs() {
        List<ArgSpec> args = new ArrayList<>(RbdArgs.imageOrSnapSpec());
        args.add(RbdArgs.noProgress());
        return List.of(new CommandSpec("object-map rebuild", args, "Rebuild an invalid object map.", this::rebuild));
    }

    /** Rebuilds the map of the image's head or of the snapshot named; librbd reports progress per object. */
    private Future<CommandResult> rebuild(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_OR_SNAP_SPEC);
            ImageRef ref = SpecParser.image(args, Modifier.NONE, true, SnapshotPresence.PERMITTED, Validation.NONE);
            Progress progress = new Progress("Object Map Rebuild", r.flag("no-progress"));
            return Session.using(session().open(ref), image -> image.info()
                    .compose(info -> image.objectMapRebuild().map(v -> info.objectCount()))
                    .map(objects -> Output.ok("", progress.steps(1, objects).done()))
                    .recover(failure -> Future.failedFuture(Failures.prefixed(progress.failed(),
                            Failures.word(failure, "rbd: rebuilding object map failed: ")))));
        });
    }
}
