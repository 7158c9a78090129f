package io.mirrorhost.rbd.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.TestModuleContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the mirror commands against a {@link FakeMirrorCluster} the way the host would. */
final class MirrorHarness implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final FakeMirrorCluster cluster;
    MirrorDaemons daemons = MirrorDaemons.NONE;
    private final ModuleContext context;
    private final List<CommandSpec> commands;

    MirrorHarness(FakeMirrorCluster cluster) {
        this.cluster = cluster;
        MgrModule module = new MgrModule() {
            @Override
            public String name() {
                return "rbd";
            }

            @Override
            public Future<Void> start(ModuleContext ctx) {
                return Future.succeededFuture();
            }
        };
        this.context = new TestModuleContext(vertx, cluster.clusterName, cluster.asCluster(),
                new FakeClock(Instant.parse("2026-11-25T11:00:00Z")), module);
        this.commands = MirrorCommands.commands(() -> context, where -> daemons.report(where), ZoneOffset.UTC);
    }

    static MirrorHarness siteA() {
        FakeMirrorCluster cluster = new FakeMirrorCluster("aaaaaaaa-1111-4111-8111-111111111111", "site-a",
                "127.0.0.1:6791");
        cluster.addPool("image-pool");
        return new MirrorHarness(cluster);
    }

    /** Runs {@code rbd WORDS ARGS...}: positionals as given, options as {@code --name value}, flags as {@code --name}. */
    CommandResult run(String prefix, String... words) {
        return run(OutputFormat.PLAIN, false, null, prefix, words);
    }

    CommandResult json(String prefix, String... words) {
        return run(OutputFormat.JSON, false, null, prefix, words);
    }

    CommandResult pretty(String prefix, String... words) {
        return run(OutputFormat.JSON, true, null, prefix, words);
    }

    CommandResult withInput(byte[] input, String prefix, String... words) {
        return run(OutputFormat.PLAIN, false, input, prefix, words);
    }

    CommandResult run(OutputFormat format, boolean pretty, byte[] input, String prefix, String... words) {
        CommandSpec spec = commands.stream().filter(c -> c.prefix().equals(prefix)).findFirst().orElseThrow();
        Map<String, Object> args = parse(spec, words);
        try {
            return spec.handler().handle(new CommandRequest(prefix, args, format, pretty, input))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("command failed internally: " + prefix, e);
        }
    }

    /** A small stand-in for the CLI's parsing: enough to pass typed values as the host does. */
    private static Map<String, Object> parse(CommandSpec spec, String[] words) {
        Map<String, Object> args = new HashMap<>();
        List<io.mirrorhost.api.ArgSpec> positionals = spec.args().stream().filter(a -> a.positional()).toList();
        int nextPositional = 0;
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (word.startsWith("-") && !word.equals("-")) {
                io.mirrorhost.api.ArgSpec arg = spec.args().stream()
                        .filter(a -> !a.positional() && a.aliases().contains(word)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown option " + word));
                if (arg.type() == io.mirrorhost.api.ArgType.BOOL) {
                    args.put(arg.name(), true);
                } else {
                    args.put(arg.name(), words[++i]);
                }
            } else {
                args.put(positionals.get(nextPositional++).name(), word);
            }
        }
        return args;
    }

    static void assertResult(CommandResult result, int code, String stdout, String stderr) {
        assertEquals(stdout, result.stdout(), "stdout");
        assertEquals(stderr, result.stderr(), "stderr");
        assertEquals(code, result.code(), "code");
    }

    static void assertOk(CommandResult result, String stdout) {
        assertResult(result, 0, stdout, "");
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
