import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Sequential 4 MiB writes plus one flush on an embedded image, against
 * {@code dd if=/dev/zero of=FILE bs=4M count=N conv=fdatasync} on the same disk, alternating,
 * median of the repetitions. Usage: EmbeddedWriteBench DIR COUNT REPS
 */
public final class EmbeddedWriteBench {
    private static final int BLOCK = 4 << 20;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Files.createDirectories(dir);
        Vertx vertx = Vertx.vertx();
        List<Double> ddRates = new ArrayList<>();
        List<Double> embeddedRates = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        try {
            for (int rep = 1; rep <= reps; rep++) {
                double dd = runDd(dir, count);
                double embedded = runEmbedded(vertx, dir, count);
                ddRates.add(dd);
                embeddedRates.add(embedded);
                ratios.add(embedded / dd);
                System.out.printf("rep %d: dd %.1f MiB/s, embedded %.1f MiB/s%n", rep, dd, embedded);
            }
        } finally {
            await(vertx.close());
        }
        double dd = median(ddRates);
        double embedded = median(embeddedRates);
        System.out.printf("total %d MiB per run, %d runs%n", (long) count * BLOCK >> 20, reps);
        System.out.printf("median dd (bs=4M conv=fdatasync): %.1f MiB/s%n", dd);
        System.out.printf("median embedded (4 MiB writes + flush): %.1f MiB/s%n", embedded);
        System.out.printf("ratio of the medians embedded/dd: %.3f%n", embedded / dd);
        System.out.printf("median of the per-run ratios (each run pairs dd with the embedded run after it): %.3f%n",
            median(ratios));
    }

    private static double runDd(Path dir, int count) throws Exception {
        Path file = dir.resolve("dd.img");
        Files.deleteIfExists(file);
        settle();
        long start = System.nanoTime();
        Process p = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=4M", "count=" + count, "conv=fdatasync")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("dd failed");
        }
        long elapsed = System.nanoTime() - start;
        Files.deleteIfExists(file);
        return rate(count, elapsed);
    }

    private static double runEmbedded(Vertx vertx, Path dir, int count) throws Exception {
        Path data = dir.resolve("cluster");
        deleteTree(data);
        EmbeddedCluster cluster = EmbeddedCluster.open(vertx, data);
        try {
            await(cluster.createPool("rbd"));
            ImageSpec spec = ImageSpec.of("rbd", "", "bench");
            await(cluster.createImage(spec, new ImageOptions((long) count * BLOCK, 22, ImageFeature.defaults(), null)));
            Image image = await(cluster.openImage(spec));
            // A direct buffer, as data arriving from the network is.
            Buffer zeros = BufferInternal.buffer(Unpooled.directBuffer(BLOCK).writeZero(BLOCK));
            settle();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                await(image.write((long) i * BLOCK, zeros));
            }
            await(image.flush());
            long elapsed = System.nanoTime() - start;
            await(image.close());
            return rate(count, elapsed);
        } finally {
            await(cluster.close());
            deleteTree(data);
        }
    }

    /** Starts each run with no dirty pages left over from the previous one. */
    private static void settle() throws Exception {
        new ProcessBuilder("sync").start().waitFor();
    }

    private static double rate(int count, long nanos) {
        return (double) count * BLOCK / (1 << 20) / (nanos / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
