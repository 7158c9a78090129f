package io.mirrorhost.api;

import io.vertx.core.Future;

/** Serves one command. Runs on the module's event loop: it must not block. */
@FunctionalInterface
public interface CommandHandler {
    /**
     * @return the result; a failed future with a {@link CommandException} is a user error shown as
     *     its message, any other failure is an internal error (logged, reported without a stack trace)
     */
    Future<CommandResult> handle(CommandRequest request);
}
