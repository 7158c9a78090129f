package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The child process of {@link ReplayCrashTest}: replays deltas into a non-primary copy as the
 * replayer does (create the non-primary snapshot, fill the head through a replay handle, complete
 * the snapshot, prune the oldest copy) and announces each step, until it is killed.
 * Usage: ReplayCrashWorker DATA_DIR SEED ROUND
 */
public final class ReplayCrashWorker {
    static final ImageSpec IMAGE = ImageSpec.of("rbd", "", "copy");
    static final PoolNamespace RBD = PoolNamespace.of("rbd");

    private ReplayCrashWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int round = Integer.parseInt(args[2]);
        Vertx vertx = Vertx.vertx();
        EmbeddedCluster cluster = EmbeddedCluster.open(vertx, dir);
        if (await(cluster.listPools()).stream().map(PoolInfo::name).noneMatch("rbd"::equals)) {
            await(cluster.createPool("rbd"));
            await(cluster.mirrorModeSet(RBD, MirrorMode.IMAGE));
            await(cluster.mirrorCreateNonPrimaryImage(IMAGE, new ImageOptions(CrashWorkload.SIZE, CrashWorkload.ORDER,
                ImageFeature.defaults(), null), "crash-global-id", "primary-uuid"));
        }
        Image any = await(cluster.openImage(IMAGE));
        String imageId = await(any.info()).id();
        await(any.close());
        Image image = await(cluster.openImageForReplay(RBD, imageId));
        say("READY");
        Random random = new Random(seed * 1_000_003L + round);
        int objectSize = 1 << CrashWorkload.ORDER;
        for (int n = 0; n < 100_000; n++) {
            long pending = pendingOrNew(image, round * 100_000L + n);
            for (int i = 1 + random.nextInt(6); i > 0; i--) {
                int length = 1 + random.nextInt(2 * objectSize);
                long offset = random.nextInt(CrashWorkload.SIZE - length);
                if (random.nextInt(4) == 0) {
                    await(image.discard(offset, length));
                } else {
                    byte[] data = new byte[length];
                    random.nextBytes(data);
                    await(image.write(offset, Buffer.buffer(data)));
                }
            }
            await(image.flush());
            CRC32 crc = new CRC32();
            crc.update(await(image.read(0, CrashWorkload.SIZE)).getBytes());
            say("COMPLETING " + pending + " " + crc.getValue());
            await(image.mirrorSnapshotSetCopyProgress(pending, true, 0));
            say("COMPLETED " + pending);
            List<SnapInfo> snaps = await(image.listSnaps());
            if (snaps.size() > 3) {
                say("REMOVING " + snaps.get(0).id());
                await(image.removeSnapById(snaps.get(0).id()));
                say("REMOVED " + snaps.get(0).id());
            }
        }
        say("DONE");
        System.exit(0);
    }

    /** The incomplete copy an earlier (killed) run left, resumed as the replayer does, or a new one. */
    private static long pendingOrNew(Image image, long primarySnapId) throws Exception {
        List<SnapInfo> snaps = await(image.listSnaps());
        if (!snaps.isEmpty() && !snaps.get(snaps.size() - 1).mirror().complete()) {
            return snaps.get(snaps.size() - 1).id();
        }
        return await(image.mirrorCreateNonPrimarySnapshot("primary-uuid", primarySnapId, Map.of()));
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
