package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The child process of {@link CrashSafetyTest}: runs a {@link CrashWorkload} round against the store
 * and prints every acknowledged sync point, until it is killed.
 * Usage: CrashWorker DATA_DIR SEED ROUND
 */
public final class CrashWorker {
    static final ImageSpec IMAGE = ImageSpec.of("rbd", "", "crash");

    private CrashWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int round = Integer.parseInt(args[2]);
        Vertx vertx = Vertx.vertx();
        EmbeddedCluster cluster = EmbeddedCluster.open(vertx, dir);
        if (await(cluster.listPools()).stream().map(PoolInfo::name).noneMatch("rbd"::equals)) {
            await(cluster.createPool("rbd"));
            await(cluster.createImage(IMAGE, new ImageOptions(CrashWorkload.SIZE, CrashWorkload.ORDER,
                ImageFeature.defaults(), null)));
        }
        Image image = await(cluster.openImage(IMAGE));
        say("READY");
        CrashWorkload workload = new CrashWorkload(seed, round);
        CRC32 written = new CRC32();
        for (int n = 0; n < 100_000; n++) {
            CrashWorkload.Op op = workload.next();
            switch (op.kind()) {
                case WRITE -> {
                    byte[] data = workload.data(op);
                    await(image.write((long) op.firstBlock() * CrashWorkload.BLOCK, Buffer.buffer(data)));
                    written.update(data);
                }
                case DISCARD -> await(image.discard((long) op.firstBlock() * CrashWorkload.BLOCK,
                    (long) op.blockCount() * CrashWorkload.BLOCK));
                case FLUSH -> {
                    await(image.flush());
                    say("FLUSHED " + op.index() + " " + written.getValue());
                    written.reset();
                }
                case SNAP -> {
                    long id = await(image.createSnap(op.snapName()));
                    say("SNAP " + op.index() + " " + id + " " + op.snapName());
                }
                case SNAP_REMOVE -> {
                    await(image.removeSnap(op.snapName()));
                    say("SNAPRM " + op.index() + " " + op.snapName());
                }
            }
        }
        say("DONE");
        System.exit(0);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
