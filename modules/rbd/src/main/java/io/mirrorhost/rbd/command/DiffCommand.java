package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.rbd.format.DiffFormatter;
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

/** {@code rbd diff [--from-snap S] [--whole-object]} ({@code action/Diff.cc}). */
final class DiffCommand extends RbdCommand {

    DiffCommand(Supplier<ModuleContext> context) {
        super(context);
    }

    CommandSpec spec() {
        List<ArgSpec> args = new ArrayList<>(RbdArgs.imageOrSnapSpec());
        args.add(RbdArgs.option("from-snap", "snapshot starting point"));
        args.add(RbdArgs.flag("whole-object", "compare whole object"));
        return new CommandSpec("diff", args,
                "Print extents that differ since a previous snap, or image creation.", this::diff);
    }

    private Future<CommandResult> diff(CommandRequest request) {
        return run(request, r -> {
            CommandArgs args = new CommandArgs(r, RbdArgs.IMAGE_OR_SNAP_SPEC);
            ImageRef ref = SpecParser.image(args, Modifier.NONE, true, SnapshotPresence.PERMITTED, Validation.NONE);
            Output.checkFormat(r);
            String fromSnap = args.option("from-snap");
            boolean wholeObject = r.flag("whole-object");
            return Session.using(session().open(ref), image -> Future.all(image.info(), image.listSnaps())
                    .compose(both -> {
                        Long fromSnapId = null;
                        if (!fromSnap.isEmpty()) {
                            SnapInfo snap = Session.findUserSnap(both.resultAt(1), fromSnap);
                            if (snap == null) {
                                return Future.failedFuture(new ClusterException(Errno.ENOENT, "no such snapshot"));
                            }
                            fromSnapId = snap.id();
                        }
                        long size = both.<ImageInfo>resultAt(0).size();
                        return image.diff(fromSnapId, 0, size, wholeObject);
                    })
                    .map(extents -> {
                        TreeWriter f = Output.writer(r);
                        return CommandResult.ok(f == null ? DiffFormatter.plain(extents)
                                : DiffFormatter.structured(extents, f));
                    })
                    .recover(Failures.as("rbd: diff error: ")));
        });
    }
}
