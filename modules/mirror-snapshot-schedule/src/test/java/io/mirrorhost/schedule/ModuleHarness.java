package io.mirrorhost.schedule;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.Site;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.PeerConnection;
import io.mirrorhost.api.testing.FakeLeadership;
import io.mirrorhost.api.testing.TestModuleContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * One module instance on a shared fake cluster and module store, with helpers to run its commands.
 * It leads (under a term it takes from the cluster's fence, as a host does) unless made a standby;
 * {@link #leadership} moves it.
 */
final class ModuleHarness {
    final MirrorSnapshotScheduleModule module;
    final ModuleContext context;
    final FakeLeadership leadership;

    ModuleHarness(Vertx vertx, FakeCluster cluster, KeyValueStore sharedStore) {
        this(vertx, cluster, sharedStore, Map.of(), true);
    }

    /** With options set as {@code config set} would set them; leading or a standby. */
    ModuleHarness(Vertx vertx, FakeCluster cluster, KeyValueStore sharedStore, Map<OptionSpec<?>, String> options,
                  boolean leads) {
        this(vertx, cluster, sharedStore, OffLoop.inline(), options, leads);
    }

    /** With the scheduler's heavy steps run by {@code offLoop} (inline by default). */
    ModuleHarness(Vertx vertx, FakeCluster cluster, KeyValueStore sharedStore, OffLoop offLoop) {
        this(vertx, cluster, sharedStore, offLoop, Map.of(), true);
    }

    private ModuleHarness(Vertx vertx, FakeCluster cluster, KeyValueStore sharedStore, OffLoop offLoop,
                          Map<OptionSpec<?>, String> options, boolean leads) {
        module = new MirrorSnapshotScheduleModule(context -> offLoop);
        leadership = leads ? FakeLeadership.leading(cluster.fence.take()) : FakeLeadership.standby();
        TestModuleContext base = new TestModuleContext(vertx, "site-a", cluster.cluster(), cluster.clock, module)
                .withLeadership(leadership);
        options.forEach(base::withOption);
        context = new ModuleContext() {
            public Vertx vertx() { return base.vertx(); }
            public String siteName() { return base.siteName(); }
            public Cluster cluster() { return base.cluster(); }
            public Future<Cluster> connectPeer(PeerConnection peer) { return base.connectPeer(peer); }
            public Site site() { return base.site(); }
            public io.mirrorhost.api.Leadership leadership() { return base.leadership(); }
            public WorkAssignment assignment() { return base.assignment(); }
            public KeyValueStore store() { return sharedStore; }
            public Clock clock() { return base.clock(); }
            public <T> T option(OptionSpec<T> option) { return base.option(option); }
            public Logger logger() { return base.logger(); }
        };
    }

    /** A module store shared by several instances (as the cluster-backed store is). */
    static KeyValueStore sharedStore() {
        return new TestModuleContext(null, "x", null, null, new MirrorSnapshotScheduleModule()).store();
    }

    ModuleHarness start() {
        Future<Void> started = module.start(context);
        if (!started.succeeded()) {
            throw new AssertionError("module did not start: " + started.cause());
        }
        return this;
    }

    CommandResult run(String command, OutputFormat format, String... keyValues) {
        Map<String, Object> args = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put(keyValues[i], keyValues[i + 1].equals("true") ? Boolean.TRUE : keyValues[i + 1]);
        }
        String prefix = "mirror snapshot schedule " + command;
        CommandSpec spec = module.commands().stream().filter(c -> c.prefix().equals(prefix)).findFirst()
                .orElseThrow();
        Future<CommandResult> result;
        try {
            result = spec.handler().handle(new CommandRequest(prefix, args, format, false, null));
        } catch (CommandException e) {
            return new CommandResult(-e.errno().code(), "", e.getMessage());
        }
        if (!result.isComplete()) {
            throw new AssertionError("command did not complete");
        }
        if (result.failed()) {
            if (result.cause() instanceof CommandException e) {
                return new CommandResult(-e.errno().code(), "", e.getMessage());
            }
            throw new AssertionError("internal failure", result.cause());
        }
        return result.result();
    }

    CommandResult run(String command, String... keyValues) {
        return run(command, OutputFormat.PLAIN, keyValues);
    }
}
