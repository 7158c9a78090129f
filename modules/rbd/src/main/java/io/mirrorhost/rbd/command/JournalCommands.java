package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.rbd.format.JournalFormatter;
import io.mirrorhost.rbd.spec.CommandArgs;
import io.mirrorhost.rbd.spec.ImageRef;
import io.mirrorhost.rbd.spec.SpecParser;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** {@code rbd journal info|status|client disconnect} ({@code action/Journal.cc}, 16.2). */
final class JournalCommands extends RbdCommand {
    static final String JOURNAL_SPEC = "journal-spec";

    JournalCommands(Supplier<ModuleContext> context) {
        super(context);
    }

    List<CommandSpec> specs() {
        List<ArgSpec> args = journalSpec();
        List<ArgSpec> disconnectArgs = new ArrayList<>(args);
        disconnectArgs.add(RbdArgs.option("client-id", "client ID (or leave unspecified to disconnect all)"));
        return List.of(
                new CommandSpec("journal info", args, "Show information about image journal.", this::info),
                new CommandSpec("journal status", args, "Show status of image journal.", this::status),
                new CommandSpec("journal client disconnect", disconnectArgs, "Flag image journal client as disconnected.",
                        this::disconnect));
    }

    private static List<ArgSpec> journalSpec() {
        return List.of(RbdArgs.positional(JOURNAL_SPEC,
                        "journal specification\n(example: [<pool-name>/[<namespace>/]]<journal-name>)"),
                RbdArgs.pool(), RbdArgs.namespace(), RbdArgs.image(), RbdArgs.option("journal", "journal name"));
    }

    private record JournalRef(PoolNamespace where, String journalId) {
    }

    private Future<CommandResult> info(CommandRequest request) {
        return run(request, r -> {
            Output.checkFormat(r);
            return journal(r).compose(ref -> context().cluster().journalInfo(ref.where(), ref.journalId()))
                    .map(info -> Output.ok(JournalFormatter.info(info, Output.writer(r)), ""))
                    .recover(failure -> Future.failedFuture(failed(failure, "rbd: journal info: ")));
        });
    }

    private Future<CommandResult> status(CommandRequest request) {
        return run(request, r -> {
            Output.checkFormat(r);
            return journal(r).compose(ref -> context().cluster().journalStatus(ref.where(), ref.journalId()))
                    .map(status -> Output.ok(JournalFormatter.status(status, Output.writer(r)), ""))
                    .recover(failure -> Future.failedFuture(failed(failure, "rbd: journal status: ")));
        });
    }

    private Future<CommandResult> disconnect(CommandRequest request) {
        return run(request, r -> {
            String clientId = r.string("client-id").orElse(null);
            return journal(r).compose(ref -> context().cluster().journalClientDisconnect(ref.where(), ref.journalId(),
                            clientId))
                    .map(ids -> Output.ok(String.join("", ids.stream().map(id -> "client " + id + " disconnected\n")
                            .toList()), ""))
                    .recover(failure -> Future.failedFuture(failed(failure, "rbd: journal client disconnect: ")));
        });
    }

    /**
     * The journal named by {@code --journal} or the spec, else the journal of {@code --image} (its id),
     * which must have journaling ({@code utils::get_pool_journal_names}).
     */
    private Future<JournalRef> journal(CommandRequest request) {
        CommandArgs args = new CommandArgs(request, JOURNAL_SPEC);
        String pool = args.option("pool");
        String namespace = args.option("namespace");
        String journal = args.option("journal");
        if (journal.isEmpty()) {
            String spec = args.takePositional();
            if (!spec.isEmpty()) {
                ImageRef parsed = SpecParser.extract(spec, SpecParser.Validation.NONE, true, true, false);
                pool = parsed.pool().isEmpty() ? pool : parsed.pool();
                namespace = parsed.namespace().isEmpty() ? namespace : parsed.namespace();
                journal = parsed.image();
            }
        }
        ImageRef ref = new ImageRef(pool, namespace, args.option("image"), "");
        if (!journal.isEmpty()) {
            return Future.succeededFuture(new JournalRef(ref.poolNamespace(), journal));
        }
        if (ref.image().isEmpty()) {
            throw CommandException.invalid("rbd: journal was not specified");
        }
        return Session.using(session().open(ref), image -> image.info()).compose(info -> {
            if (!info.features().contains(ImageFeature.JOURNALING)) {
                return Future.failedFuture(CommandException.invalid("rbd: journaling is not enabled for image "
                        + ref.image()));
            }
            return Future.succeededFuture(new JournalRef(ref.poolNamespace(), info.id()));
        });
    }

    /** The backend's lines (cls_journal's client logs them), then rbd's {@code prefix(errno) text}. */
    private static Throwable failed(Throwable failure, String prefix) {
        if (failure instanceof ClusterException ce) {
            String message = ce.getMessage() == null || ce.getMessage().isEmpty() ? "" : ce.getMessage() + "\n";
            return new CommandException(ce.errno(), message + prefix + ce.errno().describe());
        }
        return failure;
    }
}
