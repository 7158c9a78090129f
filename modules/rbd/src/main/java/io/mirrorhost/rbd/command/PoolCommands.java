package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.rbd.format.NameListFormatter;
import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.rbd.spec.CommandArgs;
import io.mirrorhost.rbd.spec.PoolRef;
import io.mirrorhost.rbd.spec.SpecParser;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code rbd pool init}, plus the rbdm extensions {@code pool create|ls|rm}, which Ceph does with
 * {@code ceph osd pool create|ls|rm} and whose output they reproduce.
 */
final class PoolCommands extends RbdCommand {
    private static final String CONFIRM_FLAG = "yes-i-really-really-mean-it";

    PoolCommands(Supplier<ModuleContext> context) {
        super(context);
    }

    List<CommandSpec> specs() {
        ArgSpec poolName = RbdArgs.positional(RbdArgs.POOL_NAME, "pool name");
        return List.of(
                new CommandSpec("pool init", List.of(poolName, RbdArgs.pool(),
                        RbdArgs.flag("force", "force initialize pool for RBD use if registered by another application")),
                        "Initialize pool for use by RBD.", this::init),
                new CommandSpec("pool create", List.of(poolName),
                        "Create a pool (rbdm extension: Ceph does this with 'ceph osd pool create').", this::create),
                new CommandSpec("pool ls", List.of(),
                        "List pools (rbdm extension: Ceph does this with 'ceph osd pool ls').", this::list),
                new CommandSpec("pool rm", List.of(poolName,
                        RbdArgs.positional("pool-name-confirm", "the pool name again"),
                        RbdArgs.flag(CONFIRM_FLAG, "confirm that the pool and all its images are to be destroyed")),
                        "Remove a pool and everything in it (rbdm extension: Ceph does this with "
                                + "'ceph osd pool rm POOL POOL --yes-i-really-really-mean-it').", this::remove));
    }

    private Future<CommandResult> init(CommandRequest request) {
        return run(request, r -> {
            PoolRef ref = SpecParser.pool(new CommandArgs(r, RbdArgs.POOL_NAME), false);
            Session session = session();
            return session.ioContext(PoolNamespace.of(ref.effectivePool()))
                    .compose(pool -> session.cluster().initPool(pool.pool())
                            .recover(failure -> Future.failedFuture(initError(failure))))
                    .map(v -> CommandResult.ok());
        });
    }

    private static Throwable initError(Throwable failure) {
        if (failure instanceof ClusterException ce) {
            return switch (ce.errno()) {
                case EOPNOTSUPP -> new CommandException(ce.errno(), "rbd: luminous or later release required.");
                case EPERM -> new CommandException(ce.errno(),
                        "rbd: pool already registered to a different application.");
                default -> Failures.word(failure, "rbd: error registered application: ");
            };
        }
        return failure;
    }

    private static String poolName(CommandRequest request) {
        String pool = request.string(RbdArgs.POOL_NAME).orElse("");
        if (pool.isEmpty()) {
            throw CommandException.invalid("rbd: pool name was not specified");
        }
        return pool;
    }

    /** As {@code ceph osd pool create}: the answer goes to standard error; an existing pool is no error. */
    private Future<CommandResult> create(CommandRequest request) {
        return run(request, r -> {
            String pool = poolName(r);
            return session().cluster().createPool(pool)
                    .map(v -> Output.ok("", "pool '" + pool + "' created\n"))
                    .recover(failure -> Failures.errno(failure) == Errno.EEXIST
                            ? Future.succeededFuture(Output.ok("", "pool '" + pool + "' already exists\n"))
                            : Future.failedFuture(Failures.word(failure, "rbd: error creating pool '" + pool + "': ")));
        });
    }

    private Future<CommandResult> list(CommandRequest request) {
        return run(request, r -> {
            Output.checkFormat(r);
            return session().cluster().listPools().map(pools -> {
                List<String> names = pools.stream().sorted(java.util.Comparator.comparingLong(PoolInfo::id))
                        .map(PoolInfo::name).toList();
                TreeWriter f = Output.writer(r);
                return CommandResult.ok(f == null ? NameListFormatter.poolsPlain(names)
                        : NameListFormatter.poolsStructured(names, f));
            }).recover(Failures.as("rbd: error listing pools: "));
        });
    }

    /** As {@code ceph osd pool rm}: the name twice and the confirmation flag; a missing pool is no error. */
    private Future<CommandResult> remove(CommandRequest request) {
        return run(request, r -> {
            String pool = poolName(r);
            String again = r.string("pool-name-confirm").orElse("");
            if (!pool.equals(again) || !r.flag(CONFIRM_FLAG)) {
                throw new CommandException(Errno.EPERM, "WARNING: this will *PERMANENTLY DESTROY* all data "
                        + "stored in pool " + pool + ".  If you are *ABSOLUTELY CERTAIN* that is what you want, "
                        + "pass the pool name *twice*, followed by --" + CONFIRM_FLAG + ".");
            }
            return session().cluster().removePool(pool)
                    .map(v -> Output.ok("", "pool '" + pool + "' removed\n"))
                    .recover(failure -> Failures.errno(failure) == Errno.ENOENT
                            ? Future.succeededFuture(Output.ok("", "pool '" + pool + "' does not exist\n"))
                            : Future.failedFuture(Failures.word(failure, "rbd: error removing pool '" + pool + "': ")));
        });
    }
}
