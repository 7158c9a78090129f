package io.mirrorhost.host.testing;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test module "echo": answers its typed arguments back as JSON, fails on request in each way a module
 * can, uses its store, clock and options, and reports on which context it runs.
 */
public final class EchoModule implements MgrModule {
    /** Options whose change the running instance was told of, in order (shared by all instances). */
    public static final List<String> CHANGED_OPTIONS = new CopyOnWriteArrayList<>();
    /** Counted down when "echo until-cancelled" starts, and when it sees its client gone. */
    public static volatile java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
    public static volatile java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);

    private static final OptionSpec<String> GREETING = OptionSpec.text("greeting", "hello", "what echo greet says");
    private static final OptionSpec<Long> LIMIT = OptionSpec.integer("limit", 5, "a bounded number")
            .withRange(1L, 100L);
    private static final OptionSpec<String> FLAVOUR = OptionSpec.choice("flavour", List.of("plain", "fancy"),
            "plain", "a choice");
    private static final OptionSpec<Long> CHUNK = OptionSpec.size("chunk", "1M", "a size");
    private static final OptionSpec<Boolean> VERBOSE = OptionSpec.bool("verbose", false, "a switch");

    private volatile ModuleContext context;
    private volatile Context startContext;

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String description() {
        return "answers its arguments";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(GREETING, LIMIT, FLAVOUR, CHUNK, VERBOSE);
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                CommandSpec.of("echo", "answer the typed arguments", r -> Future.succeededFuture(
                                CommandResult.ok(new JsonObject(new TreeMap<>(r.args())).encode() + "\n")),
                        ArgSpec.positional("text", ArgType.STRING, "what to echo"),
                        ArgSpec.option("count", ArgType.INT, "how many").withRange(1L, 10L).withAliases("-c", "--count"),
                        ArgSpec.option("ratio", ArgType.FLOAT, "a fraction").withRange(0L, 1L),
                        ArgSpec.option("size", ArgType.SIZE, "a size"),
                        ArgSpec.option("mode", ArgType.STRING, "a mode").withChoices("fast", "slow"),
                        ArgSpec.option("tag", ArgType.STRING, "tags").repeatable(),
                        ArgSpec.flag("loud", "shout")),
                CommandSpec.of("echo greet", "greet with the greeting option", r -> Future.succeededFuture(
                        CommandResult.ok(context.option(GREETING) + " " + r.string("name").orElse("world") + "\n")),
                        ArgSpec.positional("name", ArgType.STRING, "who").optional()),
                CommandSpec.of("echo fail", "fail with an errno", r -> {
                    Errno errno = Errno.valueOf(r.string("errno").orElseThrow());
                    return Future.failedFuture(new CommandException(errno, "echo: failed on request: " + errno.describe()));
                }, ArgSpec.positional("errno", ArgType.STRING, "errno name")),
                CommandSpec.of("echo cluster-fail", "fail inside the cluster", r ->
                        Future.failedFuture(new ClusterException(Errno.EEXIST, "image exists"))),
                CommandSpec.of("echo crash", "throw", r -> {
                    throw new IllegalStateException("echo crashed on purpose");
                }),
                CommandSpec.of("echo until-cancelled", "work until the client goes away", r -> {
                    Promise<CommandResult> done = Promise.promise();
                    waiting.countDown();
                    context.vertx().setPeriodic(10, timer -> {
                        if (r.cancellation().cancelled()) {
                            context.vertx().cancelTimer(timer);
                            cancelled.countDown();
                            done.fail(new CommandException(Errno.ECANCELED, "echo: cancelled"));
                        }
                    });
                    return done.future();
                }),
                CommandSpec.of("echo where", "tell on which context the handler runs", r ->
                        Future.succeededFuture(CommandResult.ok(
                                String.valueOf(Vertx.currentContext() == startContext) + "\n"))),
                CommandSpec.of("echo site", "tell this instance's name, its leadership term and its work assignment", r -> {
                    String assignment;
                    try {
                        assignment = "assigned " + context.assignment().mine("pool");
                    } catch (IllegalStateException e) {
                        assignment = e.getMessage();
                    }
                    return Future.succeededFuture(CommandResult.ok(context.site().instanceName() + " "
                            + context.leadership().term().map(String::valueOf).orElse("standby") + " " + assignment + "\n"));
                }),
                CommandSpec.of("echo remember", "store a value", r -> context.store()
                        .put(r.string("key").orElseThrow(), r.string("value").orElseThrow())
                        .map(v -> CommandResult.ok()),
                        ArgSpec.positional("key", ArgType.STRING, "key"),
                        ArgSpec.positional("value", ArgType.STRING, "value")),
                CommandSpec.of("echo recall", "list stored values", r -> context.store().list("")
                        .map(all -> CommandResult.ok(new JsonObject(Map.copyOf(all)).encode() + "\n"))),
                CommandSpec.of("echo later", "run a task through the clock and tell where it ran", r -> {
                    Promise<CommandResult> done = Promise.promise();
                    context.clock().schedule(Duration.ofMillis(5), () -> done.complete(CommandResult.ok(
                            String.valueOf(Vertx.currentContext() == startContext) + "\n")));
                    return done.future();
                }),
                CommandSpec.of("echo import", "tell what it was given to import", r ->
                        Future.succeededFuture(r.string("path").orElseThrow().endsWith("missing")
                                ? CommandResult.error(io.mirrorhost.api.Errno.ENOENT,
                                        "rbd: error opening " + r.string("path").orElseThrow())
                                : CommandResult.ok("path=" + r.string("path").orElseThrow() + " bytes="
                                + (r.input() == null ? -1 : r.input().length) + "\n")),
                        ArgSpec.positional("path", ArgType.PATH, "file to import, - for standard input")),
                CommandSpec.of("echo ticks", "count three periodic ticks, then cancel", r -> {
                    Promise<CommandResult> done = Promise.promise();
                    java.util.concurrent.atomic.AtomicInteger ticks = new java.util.concurrent.atomic.AtomicInteger();
                    java.util.concurrent.atomic.AtomicBoolean onContext = new java.util.concurrent.atomic.AtomicBoolean(true);
                    io.mirrorhost.api.Clock.Timer[] timer = new io.mirrorhost.api.Clock.Timer[1];
                    timer[0] = context.clock().every(Duration.ofMillis(5), () -> {
                        onContext.compareAndSet(true, Vertx.currentContext() == startContext);
                        if (ticks.incrementAndGet() == 3) {
                            boolean cancelled = timer[0].cancel();
                            done.complete(CommandResult.ok(ticks.get() + " " + onContext.get() + " " + cancelled
                                    + " " + timer[0].cancel() + "\n"));
                        }
                    });
                    return done.future();
                }),
                CommandSpec.of("echo peer", "connect to a peer through the context", r -> context.connectPeer(
                        new io.mirrorhost.api.cluster.PeerConnection("site-b", "client.peer", "127.0.0.1:1", "k"))
                        .map(c -> CommandResult.ok("connected\n"))),
                CommandSpec.of("echo options", "print typed option values", r -> Future.succeededFuture(
                        CommandResult.ok(context.option(CHUNK) + " " + context.option(VERBOSE) + "\n"))),
                CommandSpec.of("echo binary", "answer raw bytes", r ->
                        Future.succeededFuture(CommandResult.binary(new byte[] {0, 1, 2, (byte) 255}, ""))));
    }

    @Override
    public void routes(Router router, ModuleContext moduleContext) {
        router.get("/ping").handler(rc -> rc.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("pong", true)
                        .put("on_module_context", Vertx.currentContext() == startContext).encode()));
    }

    @Override
    public Future<Void> start(ModuleContext moduleContext) {
        this.context = moduleContext;
        this.startContext = Vertx.currentContext();
        return Future.succeededFuture();
    }

    @Override
    public void optionChanged(OptionSpec<?> option) {
        CHANGED_OPTIONS.add(option.name() + "=" + context.option(option) + "@"
                + (Vertx.currentContext() == startContext));
    }
}
