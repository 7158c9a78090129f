package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.JournalEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link JournalCrashTest}: issues a {@link JournalWorkload} round to the
 * journaling image, {@link #QUEUE_DEPTH} operations at a time, and prints {@code ACK <op>} for each
 * one acknowledged, until it is killed. Usage: JournalCrashWorker DATA_DIR SEED ROUND
 */
public final class JournalCrashWorker {
    static final int QUEUE_DEPTH = 8;

    private JournalCrashWorker() {
    }

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        EmbeddedCluster cluster = EmbeddedCluster.open(vertx, Path.of(args[0]));
        Image image = await(cluster.openImage(JournalCrashTest.IMAGE));
        say("READY");
        JournalWorkload workload = new JournalWorkload(Long.parseLong(args[1]), Integer.parseInt(args[2]));
        for (int n = 0; n < 100_000; n += QUEUE_DEPTH) {
            List<Future<Void>> inFlight = new ArrayList<>();
            for (int i = 0; i < QUEUE_DEPTH; i++) {
                JournalWorkload.Op op = workload.next();
                inFlight.add(issue(image, op.event()).onSuccess(v -> say("ACK " + op.index())));
            }
            for (Future<Void> f : inFlight) {
                await(f);
            }
        }
        say("DONE");
        System.exit(0);
    }

    private static Future<Void> issue(Image image, JournalEvent event) {
        if (event instanceof JournalEvent.Write w) {
            return image.write(w.offset(), Buffer.buffer(w.data()));
        }
        if (event instanceof JournalEvent.Discard d) {
            return image.discard(d.offset(), d.length());
        }
        if (event instanceof JournalEvent.Resize r) {
            return image.resize(r.size());
        }
        return image.flush();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
