package io.mirrorhost.host;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.cluster.Cluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules' lives: which are enabled (kept in the cluster's config-key store under
 * {@value #STATE_PREFIX}NAME, so every host instance of the site agrees and a restart keeps it), deploying
 * each enabled one as its own verticle and undeploying it on disable. A module that fails to start is
 * recorded as failed with the reason; the host stays up and enabling it again retries.
 */
final class ModuleManager {
    static final String STATE_PREFIX = "mirrorhost/modules/";
    private static final Logger LOG = LoggerFactory.getLogger(ModuleManager.class);

    enum State { DISABLED, STARTING, RUNNING, FAILED, STOPPING }

    /** One module with its context, routes and current state. */
    static final class Slot {
        final MgrModule module;
        final HostModuleContext context;
        final Router router;
        volatile State state = State.DISABLED;
        volatile String error = "";
        volatile String deploymentId;
        private String loadError = "";
        private Future<?> queue = Future.succeededFuture();

        Slot(MgrModule module, HostModuleContext context, Router router) {
            this.module = module;
            this.context = context;
            this.router = router;
        }

        String name() {
            return module.name();
        }

        /** Whether it could start at all: false when its option defaults are invalid or declaring its routes failed. */
        boolean canRun() {
            return loadError.isEmpty();
        }
    }

    private final Vertx vertx;
    private final Cluster cluster;
    private final Duration startTimeout;
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    ModuleManager(Vertx vertx, Cluster cluster, List<MgrModule> modules,
                  Function<MgrModule, HostModuleContext> contexts, Duration startTimeout) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.startTimeout = startTimeout;
        for (MgrModule module : modules) {
            HostModuleContext context = contexts.apply(module);
            Slot slot = new Slot(module, context, Router.router(vertx));
            List<String> invalidDefaults = OptionCheck.invalidDefaults(module.options());
            if (!invalidDefaults.isEmpty()) {
                slot.loadError = "module " + module.name() + " declares invalid option defaults: "
                        + String.join("; ", invalidDefaults);
                LOG.error("{}", slot.loadError);
            } else {
                declareRoutes(slot);
            }
            slots.put(module.name(), slot);
        }
    }

    private static void declareRoutes(Slot slot) {
        try {
            slot.module.routes(slot.router, slot.context);
        } catch (RuntimeException | LinkageError e) {
            slot.loadError = "declaring its HTTP routes failed: " + describe(e);
            LOG.error("module {}: {}", slot.name(), slot.loadError, e);
        }
    }

    List<Slot> slots() {
        return List.copyOf(slots.values());
    }

    Optional<Slot> slot(String name) {
        return Optional.ofNullable(slots.get(name));
    }

    /** Starts every module the store (or, for a new site, the module itself) says is enabled, one after another. */
    Future<Void> startEnabled() {
        return cluster.configKeyList(STATE_PREFIX).compose(stored -> {
            Future<Void> chain = Future.succeededFuture();
            for (Slot slot : slots.values()) {
                String saved = stored.get(STATE_PREFIX + slot.name());
                boolean enabled = slot.module.alwaysOn()
                        || (saved == null ? slot.module.enabledByDefault() : "enabled".equals(saved));
                if (enabled) {
                    chain = chain.compose(v -> serialized(slot, () -> deploy(slot)));
                }
            }
            return chain;
        });
    }

    /** Enables a module (persisted) and starts it; for a failed module, retries the start. */
    Future<String> enable(String name) {
        Slot slot = require(name);
        if (slot.module.alwaysOn() && slot.state == State.RUNNING) {
            return Future.succeededFuture("module '" + name + "' is already enabled (always-on)");
        }
        return serialized(slot, () -> {
            if (slot.state == State.RUNNING) {
                return Future.succeededFuture("module '" + name + "' is already enabled");
            }
            return persist(name, "enabled").compose(v -> deploy(slot)).map(v -> slot.state == State.FAILED
                    ? "module '" + name + "' is enabled but failed to start: " + slot.error
                    : "");
        });
    }

    /** Disables a module (persisted) and stops it; always-on modules refuse, with Ceph's wording. */
    Future<String> disable(String name) {
        Slot slot = require(name);
        if (slot.module.alwaysOn()) {
            return Future.failedFuture(CommandException.invalid(
                    "module '" + name + "' cannot be disabled (always-on)"));
        }
        return serialized(slot, () -> {
            if (slot.state == State.DISABLED) {
                return Future.succeededFuture("module '" + name + "' is already disabled");
            }
            return persist(name, "disabled").compose(v -> undeploy(slot)).map("");
        });
    }

    /**
     * Brings this instance in line with the stored enabled state, which another host instance of the site
     * may have changed. Each module is checked again inside its queue, against a fresh read, so that a
     * change made here meanwhile is never undone by a stale listing.
     */
    Future<Void> followStoredState() {
        return cluster.configKeyList(STATE_PREFIX).compose(stored -> {
            List<Future<Void>> changes = new ArrayList<>();
            for (Slot slot : slots.values()) {
                String saved = stored.get(STATE_PREFIX + slot.name());
                if (!slot.module.alwaysOn() && saved != null && differs(slot, saved)) {
                    changes.add(serialized(slot, () -> cluster.configKeyGet(STATE_PREFIX + slot.name())
                            .compose(now -> now.isPresent() && differs(slot, now.get()) ? follow(slot, now.get())
                                    : Future.succeededFuture())));
                }
            }
            return Future.join(changes).mapEmpty();
        });
    }

    private static boolean differs(Slot slot, String saved) {
        boolean running = slot.state == State.RUNNING || slot.state == State.FAILED;
        return "enabled".equals(saved) ? slot.state == State.DISABLED : running;
    }

    private Future<Void> follow(Slot slot, String saved) {
        LOG.info("module {} was {} by another host instance", slot.name(), saved);
        return "enabled".equals(saved) ? deploy(slot) : undeploy(slot);
    }

    /** Stops every running module (host shutdown); the stored enabled state is left as it is. */
    Future<Void> stopAll() {
        List<Future<Void>> stops = new ArrayList<>();
        for (Slot slot : slots.values()) {
            stops.add(serialized(slot, () -> undeploy(slot)));
        }
        return Future.join(stops).mapEmpty();
    }

    /** Tells a running module, on its own context, that one of its options changed. */
    void optionChanged(String module, OptionSpec<?> option) {
        Slot slot = slots.get(module);
        if (slot == null || slot.state != State.RUNNING || slot.context.verticleContext() == null) {
            return;
        }
        slot.context.verticleContext().runOnContext(v -> {
            try {
                slot.module.optionChanged(option);
            } catch (RuntimeException e) {
                LOG.error("module {} failed handling the change of option {}", module, option.name(), e);
            }
        });
    }

    private Slot require(String name) {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new CommandException(Errno.ENOENT, "module '" + name + "' not found (known modules: "
                    + String.join(", ", slots.keySet()) + ")");
        }
        return slot;
    }

    private Future<Void> persist(String name, String state) {
        return cluster.configKeySet(STATE_PREFIX + name, state);
    }

    /** Runs one operation on a module at a time, in the order asked. */
    private synchronized <T> Future<T> serialized(Slot slot, Supplier<Future<T>> operation) {
        Future<T> next = slot.queue.transform(ignored -> operation.get());
        slot.queue = next;
        return next;
    }

    private Future<Void> deploy(Slot slot) {
        if (!slot.canRun()) {
            slot.state = State.FAILED;
            slot.error = slot.loadError;
            return Future.succeededFuture();
        }
        slot.state = State.STARTING;
        Promise<String> outcome = Promise.promise();
        long timer = vertx.setTimer(startTimeout.toMillis(), t -> outcome.tryFail(
                "start did not complete within " + startTimeout.toSeconds() + "s"));
        vertx.deployVerticle(new ModuleVerticle(slot.module, slot.context)).onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.failed()) {
                outcome.tryFail(ar.cause());
            } else if (!outcome.tryComplete(ar.result())) {
                vertx.undeploy(ar.result());
            }
        });
        return outcome.future().transform(ar -> {
            if (ar.succeeded()) {
                slot.deploymentId = ar.result();
                slot.error = "";
                slot.state = State.RUNNING;
                LOG.info("module {} started", slot.name());
            } else {
                slot.deploymentId = null;
                slot.error = describe(ar.cause());
                slot.state = State.FAILED;
                LOG.error("module {} failed to start: {}", slot.name(), slot.error, ar.cause());
            }
            return Future.succeededFuture();
        });
    }

    private Future<Void> undeploy(Slot slot) {
        String id = slot.deploymentId;
        if (id == null) {
            slot.state = State.DISABLED;
            slot.error = "";
            return Future.succeededFuture();
        }
        slot.state = State.STOPPING;
        return vertx.undeploy(id).transform(ar -> {
            if (ar.failed()) {
                LOG.error("module {} failed to stop cleanly: {}", slot.name(), describe(ar.cause()), ar.cause());
            } else {
                LOG.info("module {} stopped", slot.name());
            }
            slot.deploymentId = null;
            slot.error = "";
            slot.state = State.DISABLED;
            return Future.succeededFuture();
        });
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
