package io.mirrorhost.rbd.testing;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.rbd.RbdModule;
import io.mirrorhost.rbd.format.CTime;
import io.mirrorhost.rbd.testing.CommandRunner.Call;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;

/** The rbd module started on a real cluster in a temp dir, with a runner for its commands. */
public final class RbdModuleFixture implements AutoCloseable {
    public final Vertx vertx;
    public final Cluster cluster;
    public final RbdModule module;
    private final CommandRunner runner;

    public RbdModuleFixture(Path dataDir) throws Exception {
        vertx = Vertx.vertx();
        cluster = TestClusters.open(vertx, dataDir);
        module = new RbdModule();
        Await.result(module.start(new TestModuleContext(vertx, cluster, Map.of())));
        runner = new CommandRunner(module, vertx.getOrCreateContext());
    }

    public Call rbd(String prefix) {
        return runner.call(prefix);
    }

    /** Creates and initialises a pool, as {@code ceph osd pool create} plus {@code rbd pool init}. */
    public void pool(String name) throws Exception {
        Await.result(cluster.createPool(name));
        Await.result(cluster.initPool(name));
    }

    public ImageInfo info(String pool, String image) throws Exception {
        Image opened = Await.result(cluster.openImage(ImageSpec.of(pool, "", image)));
        try {
            return Await.result(opened.info());
        } finally {
            Await.result(opened.close());
        }
    }

    /** A timestamp as rbd prints it. */
    public static String ctime(java.time.Instant instant) {
        return CTime.format(instant);
    }

    @Override
    public void close() throws Exception {
        Await.result(module.stop());
        Await.result(cluster.close());
        Await.result(vertx.close());
    }
}
