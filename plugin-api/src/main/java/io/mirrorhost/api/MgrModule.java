package io.mirrorhost.api;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * A module the host loads with {@link java.util.ServiceLoader} (list the implementation in
 * {@code META-INF/services/io.mirrorhost.api.MgrModule}). Everything about a module is declared here:
 * its name, options, commands and HTTP routes; its life is {@link #start} and {@link #stop}.
 *
 * <p>The host deploys each enabled module as a verticle: {@code start}, {@code stop}, command handlers
 * and route handlers all run on that verticle's event loop and must never block. Blocking work goes
 * to {@code context.vertx().executeBlocking(...)}.
 *
 * <p>{@link #options()} and {@link #commands()} are read before the module starts (for help and
 * validation) and must not depend on its state; handlers may fail with a {@link CommandException}
 * until {@code start} has completed.
 */
public interface MgrModule {

    /** The module's name as operators type it ({@code mirror-snapshot-schedule}). */
    String name();

    /** One line on what the module does, for {@code mgr module ls}. */
    default String description() {
        return "";
    }

    /** Always-on modules cannot be disabled (as Ceph's {@code always_on_modules}). */
    default boolean alwaysOn() {
        return false;
    }

    /** Whether the module is enabled on a new site. */
    default boolean enabledByDefault() {
        return true;
    }

    /**
     * Where the module runs when the site has several host instances: its {@link ModuleContext#leadership()}
     * and {@link ModuleContext#assignment()} mean something according to it.
     */
    default RunMode runMode() {
        return RunMode.EVERYWHERE;
    }

    /** The module's options, the same constants every call (see {@link OptionSpec}). */
    default List<OptionSpec<?>> options() {
        return List.of();
    }

    default List<CommandSpec> commands() {
        return List.of();
    }

    /**
     * Adds the module's HTTP routes to {@code router}, which the host mounts at
     * {@code /api/v1/<name>/}. Called once, before {@link #start}; while the module is disabled the
     * host answers 503 on these routes without calling them.
     */
    default void routes(Router router, ModuleContext context) {
    }

    /** Starts the module; the host reports a failed future and stays up. */
    Future<Void> start(ModuleContext context);

    /** Stops the module: cancel timers, close handles. Called on disable and on host shutdown. */
    default Future<Void> stop() {
        return Future.succeededFuture();
    }

    /** An option's value changed at run time; read the new value from the context. */
    default void optionChanged(OptionSpec<?> option) {
    }
}
