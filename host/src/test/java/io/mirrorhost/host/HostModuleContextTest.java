package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.AssignmentChange;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.RunMode;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.host.ha.ModuleCallbacks;
import io.mirrorhost.host.ha.SoloSite;
import io.mirrorhost.host.testing.MemoryClusterProvider;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostModuleContextTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static final class SpreadModule implements MgrModule {
        @Override
        public String name() {
            return "spread";
        }

        @Override
        public RunMode runMode() {
            return RunMode.SPREAD;
        }

        @Override
        public Future<Void> start(ModuleContext context) {
            return Future.succeededFuture();
        }
    }

    @Test
    void aSpreadModuleStartedAgainIsHandedAgainTheItemsItOffers() throws Exception {
        Cluster cluster = new MemoryClusterProvider().connect(null, Map.of()).result();
        SoloSite site = new SoloSite("site-a");
        site.lead(cluster).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        MgrModule module = new SpreadModule();
        HostModuleContext context = new HostModuleContext(vertx, "site-a", cluster, null, module,
            new ModuleOptions(List.of(module), SiteConf.parse(Path.of("site-a.conf"), List.of()), cluster), site);
        Context run = vertx.getOrCreateContext();
        FenceToken term = site.leadership(new ModuleCallbacks<>(() -> run)).term().orElseThrow();

        for (int i = 1; i <= 2; i++) {
            context.attach(run);
            BlockingQueue<AssignmentChange> heard = new LinkedBlockingQueue<>();
            context.assignment().onChange(heard::add);
            context.assignment().offer("pool/", Set.of("image"));
            assertEquals(new AssignmentChange.Acquire("pool/", "image", term), heard.poll(10, TimeUnit.SECONDS),
                "run " + i + " acquires the image");
            context.attach(null);
        }
    }
}
