package io.mirrorhost.schedule;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.testing.FakeLeadership;
import io.mirrorhost.api.Clock;
import io.mirrorhost.api.testing.Deadlines;
import io.mirrorhost.api.testing.TestModuleContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The module as one site's host runs it, on a real cluster: its context (and so its store) outlives
 * the module instance, so {@link #restart} is what a host restart looks like to the module.
 */
final class SiteModule {
    private final TestModuleContext context;
    private final Cluster cluster;
    private MirrorSnapshotScheduleModule module = new MirrorSnapshotScheduleModule();

    SiteModule(Vertx vertx, String siteName, Cluster cluster, Clock clock) {
        context = new TestModuleContext(vertx, siteName, cluster, clock, module);
        this.cluster = cluster;
    }

    /** Sets a module option (before {@link #start}). */
    SiteModule withOption(io.mirrorhost.api.OptionSpec<?> option, String value) {
        context.withOption(option, value);
        return this;
    }

    /** The module's store, which outlives module instances as the host's does. */
    io.mirrorhost.api.KeyValueStore store() {
        return context.store();
    }

    /** Leads from its start under the next term of the cluster's leader fence, as a host of one instance does. */
    SiteModule start() {
        FenceToken term = Deadlines.await(cluster.fenceGet("leader").compose(stored ->
                cluster.fenceTake("leader", stored.map(FenceRecord::epoch).orElse(0L), context.siteName())));
        context.withLeadership(FakeLeadership.leading(term));
        Deadlines.await(module.start(context));
        return this;
    }

    void stop() {
        Deadlines.await(module.stop());
    }

    SiteModule restart() {
        stop();
        module = new MirrorSnapshotScheduleModule();
        return start();
    }

    /** Runs {@code mirror snapshot schedule <command>} with {@code name, value} pairs ("true" for flags). */
    CommandResult run(String command, OutputFormat format, String... keyValues) {
        Map<String, Object> args = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put(keyValues[i], keyValues[i + 1].equals("true") ? Boolean.TRUE : keyValues[i + 1]);
        }
        String prefix = "mirror snapshot schedule " + command;
        CommandSpec spec = module.commands().stream().filter(c -> c.prefix().equals(prefix)).findFirst()
                .orElseThrow();
        try {
            Future<CommandResult> result = spec.handler().handle(new CommandRequest(prefix, args, format, false, null));
            return result.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (CommandException e) {
            return new CommandResult(-e.errno().code(), "", e.getMessage());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CommandException ce) {
                return new CommandResult(-ce.errno().code(), "", ce.getMessage());
            }
            throw new AssertionError("internal failure of " + prefix, e.getCause());
        } catch (Exception e) {
            throw new AssertionError(prefix + " did not answer in 30 s", e);
        }
    }

    /** Runs a command that must succeed; returns its standard output. */
    String ok(String command, String... keyValues) {
        CommandResult r = run(command, OutputFormat.PLAIN, keyValues);
        if (r.code() != 0) {
            throw new AssertionError(command + " failed with " + r.code() + ": " + r.stderr());
        }
        return r.stdout();
    }

    JsonArray statusJson(String... keyValues) {
        CommandResult r = run("status", OutputFormat.JSON, keyValues);
        if (r.code() != 0) {
            throw new AssertionError("status failed with " + r.code() + ": " + r.stderr());
        }
        return new JsonArray(r.stdout());
    }

    /** The images {@code status} lists, as {@code pool/[ns/]image}, in its order. */
    java.util.List<String> statusImages(String... keyValues) {
        return statusJson(keyValues).stream().map(o -> ((io.vertx.core.json.JsonObject) o).getString("image"))
                .toList();
    }
}
