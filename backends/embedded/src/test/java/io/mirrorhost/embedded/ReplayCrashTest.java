package io.mirrorhost.embedded;

import static io.mirrorhost.embedded.CrashSafetyTest.checkDiffRebuilds;
import static io.mirrorhost.embedded.CrashSafetyTest.checkObjectMapAgrees;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a child JVM ({@link ReplayCrashWorker}) replaying deltas into a non-primary copy at
 * random points, then checks that every completed copy holds the head's content at its completion
 * (also one completed just before the kill), that the object maps and diffs agree with the data,
 * and that the version index and files are sound.
 */
class ReplayCrashTest {
    private static final int ROUNDS = 10;
    private static final long SEED = 20261126L;

    @TempDir
    Path dir;
    private Vertx vertx;
    /** Content checksums of the completed copies known to exist, by snapshot id. */
    private final Map<Long, Long> completed = new HashMap<>();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() {
        Await.result(vertx.close());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void completedCopiesSurviveSigkill() throws Exception {
        Random random = new Random(SEED);
        for (int round = 0; round < ROUNDS; round++) {
            verify(round, runAndKill(round, 1 + random.nextInt(12)));
        }
        assertTrue(completed.size() >= 2, "copies completed across the rounds: " + completed);
    }

    private List<String> runAndKill(int round, int acks) throws Exception {
        return KilledChild.runAndKill(ReplayCrashWorker.class, dir.resolve("child-" + round + ".err"), acks,
                dir.resolve("store").toString(), Long.toString(SEED), Integer.toString(round));
    }

    private void verify(int round, List<String> lines) throws Exception {
        Map<Long, Long> completing = new HashMap<>();
        Long removing = null;
        for (String line : lines) {
            String[] f = line.split(" ");
            long id = Long.parseLong(f[1]);
            switch (f[0]) {
                case "COMPLETING" -> completing.put(id, Long.parseLong(f[2]));
                case "COMPLETED" -> completed.put(id, completing.remove(id));
                case "REMOVING" -> removing = id;
                case "REMOVED" -> {
                    completed.remove(id);
                    removing = null;
                }
                default -> fail("unexpected line " + line);
            }
        }
        EmbeddedCluster cluster = EmbeddedCluster.open(vertx, dir.resolve("store"));
        try {
            Image head = Await.result(cluster.openImage(ReplayCrashWorker.IMAGE));
            String imageId = Await.result(head.info()).id();
            byte[] headContent = Await.result(head.read(0, CrashWorkload.SIZE)).getBytes();
            Map<Long, SnapInfo> present = new HashMap<>();
            Await.result(head.listSnaps()).forEach(s -> present.put(s.id(), s));
            // a completion or removal cut short by the kill either happened or did not
            completing.forEach((id, crc) -> {
                if (present.containsKey(id) && present.get(id).mirror().complete()) {
                    completed.put(id, crc);
                }
            });
            if (removing != null && !present.containsKey(removing)) {
                completed.remove(removing);
            }
            for (Map.Entry<Long, Long> e : completed.entrySet()) {
                SnapInfo s = present.get(e.getKey());
                assertTrue(s != null && s.mirror().complete(), "round " + round + ": completed copy " + e.getKey()
                    + " is there and complete: " + present.values());
            }
            for (SnapInfo s : present.values()) {
                Image at = Await.result(cluster.openImageAtSnap(PoolNamespace.of("rbd"), imageId, s.id()));
                byte[] content = Await.result(at.read(0, CrashWorkload.SIZE)).getBytes();
                if (completed.containsKey(s.id())) {
                    CRC32 crc = new CRC32();
                    crc.update(content);
                    assertEquals(completed.get(s.id()), crc.getValue(), "round " + round + ": content of copy " + s.id());
                }
                checkObjectMapAgrees(at, content);
                checkDiffRebuilds(head, s.id(), content, headContent);
                Await.result(at.close());
            }
            checkObjectMapAgrees(head, headContent);
            assertEquals(List.of(), Await.result(((EmbeddedImage) head).check()), "round " + round + ": version index");
            assertEquals(List.of(), new Recovery(dir.resolve("store"), cluster.store().metadata).findOrphans(),
                "round " + round + ": no files left that the metadata does not reference");
            Await.result(head.close());
        } finally {
            Await.result(cluster.close());
        }
    }
}
