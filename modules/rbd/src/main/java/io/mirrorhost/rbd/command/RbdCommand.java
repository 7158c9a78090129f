package io.mirrorhost.rbd.command;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.vertx.core.Future;
import java.time.ZoneId;
import java.util.function.Supplier;

/**
 * What every rbd command handler shares: the module's context (available once the module has
 * started) and the conversion of synchronous argument errors into failed futures.
 */
abstract class RbdCommand {
    private final Supplier<ModuleContext> context;

    RbdCommand(Supplier<ModuleContext> context) {
        this.context = context;
    }

    ModuleContext context() {
        ModuleContext ctx = context.get();
        if (ctx == null) {
            throw new CommandException(Errno.EAGAIN, "rbd: module 'rbd' is not running yet; try again");
        }
        return ctx;
    }

    Session session() {
        return new Session(context().cluster());
    }

    /** Time stamps are printed in the host's time zone, as rbd prints them in the client's. */
    static ZoneId zone() {
        return ZoneId.systemDefault();
    }

    /** Runs a handler body, turning a thrown CommandException (bad arguments) into a failed future. */
    static Future<CommandResult> run(CommandRequest request, Body body) {
        try {
            return body.run(request);
        } catch (CommandException e) {
            return Future.failedFuture(e);
        }
    }

    @FunctionalInterface
    interface Body {
        Future<CommandResult> run(CommandRequest request);
    }
}
