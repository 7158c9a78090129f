package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a child JVM ({@link CrashWorker}) that writes, discards, flushes and snapshots, kills it
 * with SIGKILL at a random point, reopens the store and checks that everything acknowledged is
 * there, snapshots are intact, object maps agree with the data and no temporary state is left;
 * many rounds on the same store.
 */
class CrashSafetyTest {
    private static final int ROUNDS = 25;
    private static final long SEED = 20261125L;

    @TempDir
    Path dir;

    private Vertx vertx;
    /** Expected content of every snapshot known to exist, by name. */
    private final Map<String, byte[]> snapshots = new TreeMap<>();
    /** The head as verified after the previous round. */
    private byte[] baseline = new byte[CrashWorkload.SIZE];

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() {
        Await.result(vertx.close());
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        Random random = new Random(SEED);
        int totalAcks = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int acksBeforeKill = random.nextInt(14);
            List<String> lines = runAndKill(round, acksBeforeKill);
            totalAcks += lines.size();
            verify(round, lines);
        }
        assertTrue(totalAcks >= ROUNDS * 4, "the children acknowledged enough operations: " + totalAcks);
    }

    /** Runs a child until it has acknowledged {@code acks} sync points, then SIGKILLs it. */
    private List<String> runAndKill(int round, int acks) throws Exception {
        return KilledChild.runAndKill(CrashWorker.class, dir.resolve("child-" + round + ".err"), acks,
                dir.resolve("store").toString(), Long.toString(SEED), Integer.toString(round));
    }

    private void verify(int round, List<String> acks) throws Exception {
        Map<Integer, String> ackByOp = new HashMap<>();
        int lastAck = -1;
        for (String line : acks) {
            int op = Integer.parseInt(line.split(" ")[1]);
            ackByOp.put(op, line);
            lastAck = Math.max(lastAck, op);
        }
        // Replay: everything up to the last acknowledged sync point is exact; ops after it, up to
        // and including the next sync point, may have happened in part.
        CrashWorkload workload = new CrashWorkload(SEED, round);
        byte[] model = baseline.clone();
        CRC32 written = new CRC32();
        List<byte[]>[] candidates = newCandidates();
        CrashWorkload.Op inProgress = null;
        while (true) {
            CrashWorkload.Op op = workload.next();
            boolean acknowledged = op.index() <= lastAck;
            if (op.kind().isSyncPoint()) {
                String ack = ackByOp.get(op.index());
                if (acknowledged) {
                    assertTrue(ack != null, "sync point " + op + " has no acknowledgement: " + acks);
                    checkSyncPoint(op, ack, model, written);
                    continue;
                }
                inProgress = op;
                break;
            }
            if (acknowledged) {
                apply(op, workload, model, written);
            } else {
                addCandidates(op, workload, candidates);
            }
        }
        try (Reopened store = new Reopened(vertx, dir.resolve("store"))) {
            Image head = store.head();
            byte[] actual = bytes(head);
            for (int b = 0; b < CrashWorkload.BLOCKS; b++) {
                if (!blockMatches(actual, model, b, candidates[b])) {
                    fail("round " + round + ": block " + b + " holds neither its flushed content nor an unflushed"
                        + " write; last ack " + lastAck + ", in progress " + inProgress);
                }
            }
            Map<String, SnapInfo> present = new TreeMap<>();
            for (SnapInfo s : Await.result(head.listSnaps())) {
                present.put(s.name(), s);
            }
            if (inProgress.kind() == CrashWorkload.Kind.SNAP && present.containsKey(inProgress.snapName())) {
                // committed just before the kill: it holds every write before it
                byte[] exact = model.clone();
                for (int b = 0; b < CrashWorkload.BLOCKS; b++) {
                    if (!candidates[b].isEmpty()) {
                        System.arraycopy(candidates[b].get(candidates[b].size() - 1), 0, exact, b * CrashWorkload.BLOCK,
                            CrashWorkload.BLOCK);
                    }
                }
                snapshots.put(inProgress.snapName(), exact);
            }
            if (inProgress.kind() == CrashWorkload.Kind.SNAP_REMOVE && !present.containsKey(inProgress.snapName())) {
                snapshots.remove(inProgress.snapName());
            }
            assertEquals(snapshots.keySet(), present.keySet(), "round " + round + ": snapshots after the crash");
            for (SnapInfo s : present.values()) {
                Image at = store.atSnap(s.id());
                byte[] content = bytes(at);
                assertArrayEquals(snapshots.get(s.name()), content, "round " + round + ": content of " + s.name());
                checkObjectMapAgrees(at, content);
                checkDiffRebuilds(head, s.id(), content, actual);
                Await.result(at.close());
            }
            checkObjectMapAgrees(head, actual);
            assertEquals(List.of(), Await.result(((EmbeddedImage) head).check()), "round " + round + ": version index");
            assertEquals(List.of(), new Recovery(dir.resolve("store"), store.cluster.store().metadata).findOrphans(),
                "round " + round + ": no files left that the metadata does not reference");
            baseline = actual;
        }
    }

    private void checkSyncPoint(CrashWorkload.Op op, String ack, byte[] model, CRC32 written) {
        String[] f = ack.split(" ");
        switch (op.kind()) {
            case FLUSH -> {
                assertEquals("FLUSHED", f[0]);
                assertEquals(written.getValue(), Long.parseLong(f[2]), "the child wrote what the test replays");
                written.reset();
            }
            case SNAP -> {
                assertEquals("SNAP " + op.index(), f[0] + " " + f[1]);
                snapshots.put(op.snapName(), model.clone());
            }
            case SNAP_REMOVE -> {
                assertEquals("SNAPRM", f[0]);
                snapshots.remove(op.snapName());
            }
            default -> fail("not a sync point: " + op);
        }
    }

    private static void apply(CrashWorkload.Op op, CrashWorkload workload, byte[] model, CRC32 written) {
        int from = op.firstBlock() * CrashWorkload.BLOCK;
        int length = op.blockCount() * CrashWorkload.BLOCK;
        if (op.kind() == CrashWorkload.Kind.WRITE) {
            byte[] data = workload.data(op);
            System.arraycopy(data, 0, model, from, length);
            written.update(data);
        } else {
            Arrays.fill(model, from, from + length, (byte) 0);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<byte[]>[] newCandidates() {
        List<byte[]>[] c = new List[CrashWorkload.BLOCKS];
        for (int i = 0; i < c.length; i++) {
            c[i] = new ArrayList<>();
        }
        return c;
    }

    private static void addCandidates(CrashWorkload.Op op, CrashWorkload workload, List<byte[]>[] candidates) {
        byte[] data = op.kind() == CrashWorkload.Kind.WRITE ? workload.data(op) : null;
        for (int b = 0; b < op.blockCount(); b++) {
            candidates[op.firstBlock() + b].add(data == null ? new byte[CrashWorkload.BLOCK]
                : Arrays.copyOfRange(data, b * CrashWorkload.BLOCK, (b + 1) * CrashWorkload.BLOCK));
        }
    }

    private static boolean blockMatches(byte[] actual, byte[] model, int block, List<byte[]> candidates) {
        int from = block * CrashWorkload.BLOCK;
        int to = from + CrashWorkload.BLOCK;
        if (Arrays.equals(actual, from, to, model, from, to)) {
            return true;
        }
        for (byte[] c : candidates) {
            if (Arrays.equals(actual, from, to, c, 0, CrashWorkload.BLOCK)) {
                return true;
            }
        }
        return false;
    }

    /** An object the map calls nonexistent reads as zeros. */
    static void checkObjectMapAgrees(Image image, byte[] content) {
        List<ObjectState> map = Await.result(((EmbeddedImage) image).objectMap());
        int objectSize = 1 << CrashWorkload.ORDER;
        for (int o = 0; o < map.size(); o++) {
            if (map.get(o) == ObjectState.NONEXISTENT) {
                byte[] zeros = new byte[objectSize];
                assertTrue(Arrays.equals(content, o * objectSize, (o + 1) * objectSize, zeros, 0, objectSize),
                    "object " + o + " is nonexistent in the object map but holds data");
            }
        }
    }

    /** Replaying diff(snapshot, head) onto the snapshot's content gives the head's. */
    static void checkDiffRebuilds(Image head, long snapId, byte[] snapContent, byte[] headContent) {
        byte[] rebuilt = snapContent.clone();
        for (DiffExtent e : Await.result(head.diff(snapId, 0, CrashWorkload.SIZE, false))) {
            for (long i = e.offset(); i < e.offset() + e.length(); i++) {
                rebuilt[(int) i] = e.exists() ? headContent[(int) i] : 0;
            }
        }
        assertArrayEquals(headContent, rebuilt, "diff from snapshot " + snapId + " to head");
    }

    private static byte[] bytes(Image image) {
        return Await.result(image.read(0, CrashWorkload.SIZE)).getBytes();
    }

    /** The store reopened in this JVM after the child's death. */
    private static final class Reopened implements AutoCloseable {
        final EmbeddedCluster cluster;
        private final List<Image> open = new ArrayList<>();
        private final String imageId;

        Reopened(Vertx vertx, Path dir) throws Exception {
            cluster = EmbeddedCluster.open(vertx, dir);
            open.add(Await.result(cluster.openImage(CrashWorker.IMAGE)));
            imageId = Await.result(open.get(0).info()).id();
        }

        Image head() {
            return open.get(0);
        }

        Image atSnap(long snapId) {
            return Await.result(cluster.openImageAtSnap(PoolNamespace.of("rbd"), imageId, snapId));
        }

        @Override
        public void close() {
            for (Image i : open) {
                Await.result(i.close());
            }
            Await.result(cluster.close());
        }
    }
}
