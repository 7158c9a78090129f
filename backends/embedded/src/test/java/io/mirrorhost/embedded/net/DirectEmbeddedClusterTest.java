package io.mirrorhost.embedded.net;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the real embedded cluster, called in-process. */
class DirectEmbeddedClusterTest extends ClusterContractTest {
    @TempDir
    Path dir;

    @Override
    Cluster open(Vertx vertx) throws Exception {
        return EmbeddedCluster.open(vertx, dir.resolve("cluster"));
    }
}
