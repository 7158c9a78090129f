package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.JournalEvent;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a child JVM ({@link JournalCrashWorker}) writing to a journaling image at queue depth 8,
 * many rounds on the same store, and checks after each: the journal is the previous rounds'
 * journal followed by a prefix of this round's entries, in issue order, holding every acknowledged
 * operation; and the reopened image equals the replay of the whole journal. A second client with
 * no commit position pins the journal, so nothing of it is trimmed.
 */
class JournalCrashTest {
    static final ImageSpec IMAGE = ImageSpec.of("rbd", "", "journaled");
    private static final int ROUNDS = 12;
    private static final long SEED = 20261207L;

    @TempDir
    Path dir;

    private Vertx vertx;
    private String imageId;
    /** The journal's events as verified after the previous round. */
    private final List<JournalEvent> journal = new ArrayList<>();

    @BeforeEach
    void createImage() throws Exception {
        vertx = Vertx.vertx();
        EmbeddedCluster cluster = EmbeddedCluster.open(vertx, store());
        cluster.store().journalLayout = JournalWorkload.LAYOUT;
        Await.result(cluster.createPool("rbd"));
        Await.result(cluster.createImage(IMAGE, new ImageOptions(JournalWorkload.INITIAL_SIZE, 16,
            EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK, ImageFeature.JOURNALING), null)));
        Image image = Await.result(cluster.openImage(IMAGE));
        imageId = Await.result(image.info()).id();
        Await.result(image.close());
        cluster.store().metadata.transaction(t -> t.update("INSERT INTO journal_clients (image_id, id, state, positions)"
            + " VALUES (?, 'pin', 'CONNECTED', '')", imageId));
        Await.result(cluster.close());
    }

    @AfterEach
    void stopVertx() {
        Await.result(vertx.close());
    }

    private Path store() {
        return dir.resolve("store");
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void acknowledgedWritesAreInTheJournalInOrderAndTheImageIsItsReplay() throws Exception {
        Random random = new Random(SEED);
        int acked = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<Integer> acks = runAndKill(round, random.nextInt(60));
            acked += acks.size();
            verifyJournal(round, acks);
            verifyImage(round);
        }
        assertTrue(acked >= ROUNDS * 10, "the children acknowledged enough operations: " + acked);
        assertTrue(journalFiles().size() > 1, "the journal advanced past its first set");
    }

    private void verifyJournal(int round, List<Integer> acks) throws Exception {
        List<JournalEvent> actual = readJournal();
        assertTrue(actual.size() >= journal.size() && actual.subList(0, journal.size()).equals(journal),
            "round " + round + ": the journal keeps what it held");
        List<JournalEvent> added = actual.subList(journal.size(), actual.size());
        JournalWorkload workload = new JournalWorkload(SEED, round);
        List<JournalEvent> expected = new ArrayList<>();
        int lastAck = acks.stream().mapToInt(Integer::intValue).max().orElse(-1);
        int entriesThroughLastAck = 0;
        int generated = -1;
        while (expected.size() < added.size() || generated < lastAck) {
            JournalWorkload.Op op = workload.next();
            generated = op.index();
            expected.addAll(JournalWorkload.entries(op.event()));
            if (op.index() <= lastAck) {
                entriesThroughLastAck = expected.size();
            }
        }
        assertEquals(expected.subList(0, added.size()), added, "round " + round + ": the new entries are the ops in order");
        assertTrue(added.size() >= entriesThroughLastAck, "round " + round + ": every acknowledged op (last " + lastAck
            + ") is in the journal: " + added.size() + " < " + entriesThroughLastAck);
        journal.clear();
        journal.addAll(actual);
    }

    private void verifyImage(int round) throws Exception {
        byte[] model = new byte[(int) JournalWorkload.INITIAL_SIZE];
        for (JournalEvent e : journal) {
            model = JournalWorkload.apply(model, e);
        }
        EmbeddedCluster cluster = EmbeddedCluster.open(vertx, store());
        try {
            Image image = Await.result(cluster.openImage(IMAGE));
            long size = Await.result(image.info()).size();
            assertEquals(model.length, size, "round " + round + ": size");
            byte[] actual = Await.result(image.read(0, (int) size)).getBytes();
            assertArrayEquals(model, actual, "round " + round + ": the image is the replay of its journal");
            assertEquals(List.of(), Await.result(((EmbeddedImage) image).check()), "round " + round + ": version index");
            Await.result(image.close());
            assertEquals(List.of(), new Recovery(store(), cluster.store().metadata).findOrphans(), "round " + round);
        } finally {
            Await.result(cluster.close());
        }
    }

    /** The events in the set files, in order, up to the first damaged frame (as recovery reads them). */
    private List<JournalEvent> readJournal() throws Exception {
        List<JournalEvent> events = new ArrayList<>();
        for (Path file : journalFiles()) {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
            JournalFraming.Scan scan = JournalFraming.scan(bytes);
            for (JournalEntry e : scan.entries()) {
                events.add(JournalEvents.decode(e.payload()).event());
            }
            if (scan.validBytes() < bytes.capacity()) {
                break;
            }
        }
        return events;
    }

    private List<Path> journalFiles() throws Exception {
        try (Stream<Path> s = Files.list(ImageJournal.dir(store(), imageId))) {
            return s.sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().replace(".jnl", ""))))
                .toList();
        }
    }

    /** Runs a child until it has acknowledged {@code acks} operations, SIGKILLs it, and returns every ack it printed. */
    private List<Integer> runAndKill(int round, int acks) throws Exception {
        return KilledChild.runAndKill(JournalCrashWorker.class, dir.resolve("child-" + round + ".err"), acks,
                store().toString(), Long.toString(SEED), Integer.toString(round)).stream()
                .map(l -> Integer.parseInt(l.substring("ACK ".length()))).toList();
    }
}
