package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.AuthEntity;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.format.TreeWriter;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Ceph's {@code ceph auth get-or-create|get|ls|list|rm|del|print-key} ({@code AuthMonitor}), with
 * its syntax ({@code auth get-or-create client.x mon 'profile rbd' osd 'profile rbd-read-only'}), its
 * outputs (a keyring, {@code --format json|xml}) and its errors ({@code Error EINVAL: key for client.x
 * exists but cap osd does not match}). Which caps a backend accepts is the backend's business: the
 * embedded cluster maps them onto its capabilities, Ceph takes any.
 */
public final class AuthCommands extends RbdCommand {
    static final String ENTITY = "entity";
    static final String CAPS = "caps";

    AuthCommands(Supplier<ModuleContext> context) {
        super(context);
    }

    /** @param context the module's context, or null until the module has started */
    public static List<CommandSpec> specs(Supplier<ModuleContext> context) {
        return new AuthCommands(context).specs();
    }

    private List<CommandSpec> specs() {
        ArgSpec entity = ArgSpec.positional(ENTITY, ArgType.STRING, "entity name (client.<name>)");
        ArgSpec caps = ArgSpec.positional(CAPS, ArgType.STRING,
                "caps as service and cap pairs: mon 'profile rbd' osd 'profile rbd-read-only'").optional().repeatable();
        return List.of(
                new CommandSpec("auth get-or-create", List.of(entity, caps),
                        "add auth info for <entity> with a random key and the caps given, or get it if it exists "
                                + "with those caps", this::getOrCreate),
                new CommandSpec("auth get", List.of(entity), "write keyring file with requested key", this::get),
                new CommandSpec("auth ls", List.of(), "list authentication state", this::list),
                new CommandSpec("auth list", List.of(), "list authentication state (alias of 'auth ls')", this::list),
                new CommandSpec("auth rm", List.of(entity), "remove all caps for <name>", this::remove),
                new CommandSpec("auth del", List.of(entity), "delete all caps for <name> (alias of 'auth rm')",
                        this::remove),
                new CommandSpec("auth print-key", List.of(entity), "display requested key", this::printKey));
    }

    private Future<CommandResult> getOrCreate(CommandRequest request) {
        return run(request, r -> {
            String entity = r.string(ENTITY).orElseThrow();
            Map<String, String> caps = capsOf(r.strings(CAPS));
            return cluster().authGetOrCreate(entity, caps).recover(this::cephError)
                    .map(created -> CommandResult.ok(render(r, created, false)));
        });
    }

    private Future<CommandResult> get(CommandRequest request) {
        return run(request, r -> {
            String entity = r.string(ENTITY).orElseThrow();
            return cluster().authGet(entity).recover(this::cephError)
                    .map(found -> new CommandResult(0, render(r, found, true), "exported keyring for " + entity + "\n"));
        });
    }

    private Future<CommandResult> list(CommandRequest request) {
        return run(request, r -> cluster().authList().recover(this::cephError).map(entities -> {
            TreeWriter f = Output.writer(r);
            if (f == null) {
                return new CommandResult(0, AuthListing.plain(entities), "installed auth entries:\n\n");
            }
            f.openObject("auth").openArray("auth_dump");
            entities.forEach(e -> AuthListing.entity(f, e));
            return CommandResult.ok(f.close().close().finish());
        }));
    }

    private Future<CommandResult> remove(CommandRequest request) {
        return run(request, r -> {
            String entity = r.string(ENTITY).orElseThrow();
            Cluster cluster = cluster();
            if (entity.equals(cluster.clientName())) {
                return Future.failedFuture(new CommandException(Errno.EBUSY, "Error EBUSY: refusing to remove "
                        + entity + ": this host authenticates with it"));
            }
            return cluster.authRemove(entity).recover(this::cephError).map(existed -> new CommandResult(0, "",
                    existed ? "updated\n" : "entity " + entity + " does not exist\n"));
        });
    }

    private Future<CommandResult> printKey(CommandRequest request) {
        return run(request, r -> {
            String entity = r.string(ENTITY).orElseThrow();
            return cluster().authGet(entity)
                    .recover(failure -> ClusterException.errnoOf(failure) == Errno.ENOENT
                            ? Future.failedFuture(new CommandException(Errno.ENOENT, "Error ENOENT: don't have " + entity))
                            : cephError(failure))
                    .map(found -> CommandResult.ok(found.key()));
        });
    }

    private Cluster cluster() {
        return context().cluster();
    }

    /** Ceph's caps words, service then cap, as a map; a later cap for a service replaces an earlier one. */
    static Map<String, String> capsOf(List<String> words) {
        if (words.size() % 2 != 0) {
            throw new CommandException(Errno.EINVAL, "Error EINVAL: bad capabilities request; odd number of arguments");
        }
        Map<String, String> caps = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i += 2) {
            caps.put(words.get(i), words.get(i + 1));
        }
        return caps;
    }

    /** A keyring for plain output ({@code caps} only for {@code auth get}), the entity for json and xml. */
    private static String render(CommandRequest request, AuthEntity entity, boolean withCaps) {
        TreeWriter f = Output.writer(request);
        if (f == null) {
            return AuthListing.keyring(entity, withCaps);
        }
        f.openArray("auth");
        AuthListing.entity(f, entity);
        return f.close().finish();
    }

    /** As the {@code ceph} CLI shows a refused monitor command: {@code Error EINVAL: <reason>}. */
    private <T> Future<T> cephError(Throwable failure) {
        if (failure instanceof ClusterException ce) {
            return Future.failedFuture(new CommandException(ce.errno(), "Error " + ce.errno().name() + ": "
                    + ce.getMessage()));
        }
        return Future.failedFuture(failure);
    }
}
