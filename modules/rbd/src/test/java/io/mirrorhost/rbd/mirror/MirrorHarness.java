package io.mirrorhost.rbd.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.Cancellation;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.FilePolicy;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.TestModuleContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs the mirror commands against a {@link MirrorTestSite} the way the host would, and arranges and
 * reads the site's state through the cluster SPI.
 */
final class MirrorHarness implements AutoCloseable {
    static final String POOL = "image-pool";

    final Vertx vertx = Vertx.vertx();
    final MirrorTestSite site;
    final Cluster cluster;
    MirrorDaemons daemons = MirrorDaemons.NONE;
    private final List<CommandSpec> commands;

    MirrorHarness(MirrorTestSite site) {
        this.site = site;
        this.cluster = site.cluster();
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
        ModuleContext context = new TestModuleContext(vertx, site.clusterName(), cluster,
                new FakeClock(Instant.parse("2026-11-25T11:00:00Z")), module);
        this.commands = MirrorCommands.commands(() -> context, where -> daemons.report(where), ZoneOffset.UTC);
    }

    /** Site "site-a" with the pool {@code image-pool}. */
    static MirrorHarness siteA() {
        MirrorHarness harness = new MirrorHarness(MirrorTestSites.site("site-a", "127.0.0.1:6791"));
        harness.createPool(POOL);
        return harness;
    }

    // --- running commands ---

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
        return run(FilePolicy.ANY, format, pretty, input, prefix, words);
    }

    /** As a caller whose file arguments the host checks with {@code files}. */
    CommandResult runAs(FilePolicy files, String prefix, String... words) {
        return run(files, OutputFormat.PLAIN, false, null, prefix, words);
    }

    private CommandResult run(FilePolicy files, OutputFormat format, boolean pretty, byte[] input, String prefix,
                              String... words) {
        CommandSpec spec = commands.stream().filter(c -> c.prefix().equals(prefix)).findFirst().orElseThrow();
        return await(spec.handler().handle(new CommandRequest(prefix, parse(spec, words), format, pretty, input,
                new Cancellation(), files)));
    }

    /** A small stand-in for the CLI's parsing: enough to pass typed values as the host does. */
    private static Map<String, Object> parse(CommandSpec spec, String[] words) {
        Map<String, Object> args = new HashMap<>();
        List<ArgSpec> positionals = spec.args().stream().filter(ArgSpec::positional).toList();
        int nextPositional = 0;
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (word.startsWith("-") && !word.equals("-")) {
                ArgSpec arg = spec.args().stream().filter(a -> !a.positional() && a.aliases().contains(word))
                        .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown option " + word));
                args.put(arg.name(), arg.type() == ArgType.BOOL ? (Object) true : words[++i]);
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

    // --- arranging state through the SPI ---

    void createPool(String pool) {
        await(cluster.createPool(pool).compose(v -> cluster.initPool(pool)));
    }

    void createNamespace(String pool, String namespace) {
        await(cluster.createNamespace(new PoolNamespace(pool, namespace)));
    }

    ImageSpec createImage(String name, Set<ImageFeature> features) {
        ImageSpec spec = ImageSpec.of(POOL, "", name);
        await(cluster.createImage(spec, new ImageOptions(1L << 30, ImageOptions.DEFAULT_ORDER, features, null)));
        return spec;
    }

    void setMode(String pool, MirrorMode mode) {
        await(cluster.mirrorModeSet(PoolNamespace.of(pool), mode));
    }

    void setSiteName(String name) {
        await(cluster.mirrorSiteNameSet(name));
    }

    /** A peer added as {@code rbd mirror pool peer add} does, whose daemon then announced its mirror uuid. */
    String addPeer(String site, MirrorPeerDirection direction, String mirrorUuid) {
        String uuid = await(cluster.mirrorPeerSiteAdd(POOL, site, "client.rbd-mirror-peer", direction));
        if (!mirrorUuid.isEmpty()) {
            await(cluster.mirrorPeerPing(POOL, site, mirrorUuid));
        }
        return uuid;
    }

    void setStatus(ImageSpec image, MirrorImageSiteStatus status) {
        await(cluster.mirrorImageStatusSet(image.poolNamespace(), mirrorInfo(image).globalId(), status));
    }

    void demote(ImageSpec image) {
        withImage(image, Image::mirrorDemote);
    }

    // --- reading state through the SPI ---

    MirrorMode mode(PoolNamespace where) {
        return await(cluster.mirrorModeGet(where));
    }

    String siteName() {
        return await(cluster.mirrorSiteNameGet());
    }

    List<MirrorPeer> peers(String pool) {
        return await(cluster.mirrorPeerSiteList(pool));
    }

    /** The peer's config-key attributes, or null when none are stored. */
    Map<String, String> attributes(String pool, String uuid) {
        try {
            return await(cluster.mirrorPeerSiteGetAttributes(pool, uuid));
        } catch (ClusterException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    MirrorImageInfo mirrorInfo(ImageSpec image) {
        return withImage(image, Image::mirrorInfo);
    }

    Set<ImageFeature> features(ImageSpec image) {
        return withImage(image, handle -> handle.info().map(info -> info.features()));
    }

    List<SnapInfo> mirrorSnapshots(ImageSpec image) {
        return withImage(image, handle -> handle.listSnaps().map(snaps -> snaps.stream()
                .filter(s -> s.namespace() == SnapNamespace.MIRROR).toList()));
    }

    String imageId(ImageSpec image) {
        return await(cluster.listImages(image.poolNamespace())).stream()
                .filter(e -> e.name().equals(image.name())).map(ImageEntry::id).findFirst().orElseThrow();
    }

    private <T> T withImage(ImageSpec spec, Function<Image, Future<T>> action) {
        Image image = await(cluster.openImage(spec));
        try {
            return await(action.apply(image));
        } finally {
            await(image.close());
        }
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
