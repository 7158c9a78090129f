package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.rbd.format.NameListFormatter;
import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.rbd.spec.CommandArgs;
import io.mirrorhost.rbd.spec.PoolRef;
import io.mirrorhost.rbd.spec.SpecParser;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** {@code rbd namespace create|ls|rm} ({@code action/Namespace.cc}). */
final class NamespaceCommands extends RbdCommand {

    NamespaceCommands(Supplier<ModuleContext> context) {
        super(context);
    }

    List<CommandSpec> specs() {
        List<ArgSpec> nsArgs = List.of(
                RbdArgs.positional(RbdArgs.POOL_SPEC, "pool specification\n(example: <pool-name>[/<namespace>]"),
                RbdArgs.pool(), RbdArgs.namespace());
        List<ArgSpec> listArgs = List.of(RbdArgs.positional(RbdArgs.POOL_NAME, "pool name"), RbdArgs.pool());
        List<CommandSpec> specs = new ArrayList<>();
        specs.add(new CommandSpec("namespace create", nsArgs, "Create an RBD image namespace.", this::create));
        specs.add(new CommandSpec("namespace remove", nsArgs, "Remove an RBD image namespace.", this::remove));
        specs.add(new CommandSpec("namespace rm", nsArgs,
                "Remove an RBD image namespace (alias of 'namespace remove').", this::remove));
        specs.add(new CommandSpec("namespace list", listArgs, "List RBD image namespaces.", this::list));
        specs.add(new CommandSpec("namespace ls", listArgs,
                "List RBD image namespaces (alias of 'namespace list').", this::list));
        return specs;
    }

    private static PoolRef namespaceRef(CommandRequest request) {
        PoolRef ref = SpecParser.pool(new CommandArgs(request, RbdArgs.POOL_SPEC), true);
        if (ref.namespace().isEmpty()) {
            throw CommandException.invalid("rbd: namespace name was not specified");
        }
        return ref;
    }

    private Future<CommandResult> create(CommandRequest request) {
        return run(request, r -> {
            PoolRef ref = namespaceRef(r);
            Session session = session();
            return session.ioContext(PoolNamespace.of(ref.effectivePool()))
                    .compose(pool -> session.cluster().createNamespace(ref.poolNamespace())
                            .recover(Failures.as("rbd: failed to created namespace: ")))
                    .map(v -> CommandResult.ok());
        });
    }

    private Future<CommandResult> remove(CommandRequest request) {
        return run(request, r -> {
            PoolRef ref = namespaceRef(r);
            Session session = session();
            return session.ioContext(PoolNamespace.of(ref.effectivePool()))
                    .compose(pool -> session.cluster().removeNamespace(ref.poolNamespace())
                            .recover(failure -> Future.failedFuture(removeError(failure))))
                    .map(v -> CommandResult.ok());
        });
    }

    private static Throwable removeError(Throwable failure) {
        if (failure instanceof ClusterException ce) {
            return switch (ce.errno()) {
                case EBUSY, ENOTEMPTY -> new CommandException(ce.errno(),
                        "rbd: namespace contains images which must be deleted first.");
                case ENOENT -> new CommandException(Errno.ENOENT, "rbd: namespace does not exist.");
                default -> Failures.word(failure, "rbd: failed to remove namespace: ");
            };
        }
        return failure;
    }

    private Future<CommandResult> list(CommandRequest request) {
        return run(request, r -> {
            PoolRef ref = SpecParser.pool(new CommandArgs(r, RbdArgs.POOL_NAME), false);
            Output.checkFormat(r);
            Session session = session();
            return session.ioContext(PoolNamespace.of(ref.effectivePool()))
                    .compose(pool -> session.cluster().listNamespaces(pool.pool())
                            .recover(Failures.as("rbd: failed to list namespaces: ")))
                    .map(names -> {
                        List<String> sorted = names.stream().sorted().toList();
                        TreeWriter f = Output.writer(r);
                        return CommandResult.ok(f == null ? NameListFormatter.namespacesPlain(sorted)
                                : NameListFormatter.namespacesStructured(sorted, f));
                    });
        });
    }
}
