package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.host.ha.SoloSite;
import io.mirrorhost.host.testing.MemoryClusterProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The host's handling of module options: conf values checked all at once, typed reads, invalid defaults. */
@ExtendWith(VertxExtension.class)
class ModuleOptionsTest {
    private static final Path CONF = Path.of("/etc/mirrorhost/site-a.conf");
    private static final OptionSpec<Long> LIMIT = OptionSpec.integer("limit", 5, "").withRange(1L, 100L);
    private static final OptionSpec<Duration> INTERVAL = OptionSpec.seconds("interval", 30, "")
            .withRange(1L, 3600L);
    private static final OptionSpec<Boolean> VERBOSE = OptionSpec.bool("verbose", false, "");
    private static final OptionSpec<String> POOL = OptionSpec.text("pool", "", "");

    private final Cluster cluster = new MemoryClusterProvider().connect(null, Map.of()).result();

    /** A module named {@code name} declaring {@code options}, noting whether anything started it. */
    private static final class DemoModule implements MgrModule {
        final AtomicBoolean touched = new AtomicBoolean();
        private final String name;
        private final List<OptionSpec<?>> options;

        DemoModule(String name, OptionSpec<?>... options) {
            this.name = name;
            this.options = List.of(options);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<OptionSpec<?>> options() {
            return options;
        }

        @Override
        public void routes(Router router, ModuleContext context) {
            touched.set(true);
        }

        @Override
        public Future<Void> start(ModuleContext context) {
            touched.set(true);
            return Future.succeededFuture();
        }
    }

    private static SiteConf conf(String... lines) {
        return SiteConf.parse(CONF, List.of(lines));
    }

    @Test
    void everyInvalidConfValueIsReportedInOneError() {
        SiteConf conf = conf("[mgr/demo]", "limit = 1000", "verbose = maybe", "interval = 60",
                "[mgr/other]", "pool = ", "colour = blue");
        SiteConf.ConfException e = assertThrows(SiteConf.ConfException.class, () -> new ModuleOptions(
                List.of(new DemoModule("demo", LIMIT, INTERVAL, VERBOSE), new DemoModule("other", POOL)),
                conf, cluster));
        assertEquals(CONF + ": [mgr/demo] option 'limit' must be at most 100, got 1000; [mgr/demo] option"
                + " 'verbose' must be true or false, got 'maybe'; [mgr/other] option 'pool' must not be empty",
                e.getMessage());
    }

    @Test
    void modulesReadTheValueSetAtRunTimeElseTheConfElseTheDefaultTyped() {
        DemoModule demo = new DemoModule("demo", LIMIT, INTERVAL, VERBOSE, POOL);
        ModuleOptions options = new ModuleOptions(List.of(demo), conf("[mgr/demo]", "interval = 90"), cluster);
        assertEquals(5L, options.typedValue("demo", LIMIT));
        assertEquals(Duration.ofSeconds(90), options.typedValue("demo", INTERVAL));
        assertEquals("", options.typedValue("demo", POOL));
        assertEquals(Map.of("limit", "5", "interval", "90", "verbose", "false", "pool", ""), options.values("demo"));

        assertFalse(options.set("demo", "interval", "120").failed());
        assertFalse(options.set("demo", "verbose", "yes").failed());
        assertEquals(Duration.ofMinutes(2), options.typedValue("demo", INTERVAL));
        assertEquals(true, options.typedValue("demo", VERBOSE));
        assertEquals("yes", options.value("demo", "verbose"), "the text stays as it was set");

        assertFalse(options.remove("demo", "interval").failed());
        assertEquals(Duration.ofSeconds(90), options.typedValue("demo", INTERVAL));
    }

    @Test
    void aValueSetAtRunTimeIsCheckedBeforeItIsStored() {
        ModuleOptions options = new ModuleOptions(List.of(new DemoModule("demo", LIMIT)), conf(), cluster);
        CommandException e = assertThrows(CommandException.class, () -> options.set("demo", "limit", "0"));
        assertEquals("error parsing value: option 'limit' must be at least 1, got 0", e.getMessage());
        assertEquals(5L, options.typedValue("demo", LIMIT));
    }

    @Test
    void aModuleReadsOnlyTheOptionsItDeclares() {
        ModuleOptions options = new ModuleOptions(List.of(new DemoModule("demo", LIMIT)), conf(), cluster);
        OptionSpec<Long> lookalike = OptionSpec.integer("limit", 5, "").withRange(1L, 100L);
        assertEquals("module demo has no option 'limit'",
                assertThrows(IllegalArgumentException.class, () -> options.typedValue("demo", lookalike)).getMessage());
        assertEquals("module demo has no option 'verbose'",
                assertThrows(IllegalArgumentException.class, () -> options.typedValue("demo", VERBOSE)).getMessage());
    }

    @Test
    void aModuleDeclaringInvalidDefaultsFailsToLoadNamingEachOne(Vertx vertx) throws Exception {
        DemoModule bad = new DemoModule("bad", OptionSpec.integer("limit", 500, "").withRange(1L, 100L), VERBOSE,
                OptionSpec.choice("mode", List.of("fast", "slow"), "medium", ""));
        DemoModule good = new DemoModule("good", LIMIT);
        List<MgrModule> modules = List.of(bad, good);
        ModuleOptions options = new ModuleOptions(modules, conf(), cluster);
        ModuleManager manager = new ModuleManager(vertx, cluster, modules, m -> new HostModuleContext(vertx,
                "site-a", cluster, new MemoryClusterProvider(), m, options, new SoloSite("site-a")), Duration.ofSeconds(10));

        ModuleManager.Slot slot = manager.slot("bad").orElseThrow();
        assertFalse(slot.canRun());
        HostTest.await(manager.startEnabled());
        assertEquals(ModuleManager.State.FAILED, slot.state);
        assertEquals("module bad declares invalid option defaults: option 'limit' must be at most 100, got 500;"
                + " invalid value 'medium' for option 'mode': choose from fast, slow", slot.error);
        assertFalse(bad.touched.get(), "neither its routes nor its start were called");
        assertEquals(ModuleManager.State.RUNNING, manager.slot("good").orElseThrow().state);
        HostTest.await(manager.stopAll());
    }
}
