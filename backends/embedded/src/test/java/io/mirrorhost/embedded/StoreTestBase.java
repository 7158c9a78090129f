package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh store in a temp dir with pool {@code rbd}, closed after each test. */
abstract class StoreTestBase {
    static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    Vertx vertx;
    EmbeddedCluster cluster;

    @BeforeEach
    void openStore() throws Exception {
        vertx = Vertx.vertx();
        cluster = EmbeddedCluster.open(vertx, dir);
        Await.result(cluster.createPool("rbd"));
    }

    @AfterEach
    void closeStore() {
        Await.result(cluster.close());
        Await.result(vertx.close());
    }

    void reopen() throws Exception {
        Await.result(cluster.close());
        cluster = EmbeddedCluster.open(vertx, dir);
    }

    static ImageSpec spec(String name) {
        return ImageSpec.of("rbd", "", name);
    }

    Image create(String name, long size, int order, Set<ImageFeature> features) {
        Await.result(cluster.createImage(spec(name), new ImageOptions(size, order, features, null)));
        return Await.result(cluster.openImage(spec(name)));
    }

    static Buffer random(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return Buffer.buffer(b);
    }

    static byte[] bytes(Image image, long offset, int length) {
        return Await.result(image.read(offset, length)).getBytes();
    }
}
