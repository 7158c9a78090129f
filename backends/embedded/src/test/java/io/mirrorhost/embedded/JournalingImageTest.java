package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.JournalEvent;
import io.mirrorhost.api.cluster.JournalInfo;
import io.mirrorhost.api.cluster.JournalStatus;
import io.mirrorhost.api.cluster.JournalTag;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class JournalingImageTest extends StoreTestBase {
    private static final Set<ImageFeature> JOURNALED = EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK,
        ImageFeature.JOURNALING);

    private String id(Image image) {
        return Await.result(image.info()).id();
    }

    private List<JournalEntry> entries(String imageId) throws Exception {
        List<JournalEntry> all = new ArrayList<>();
        for (Path f : files(imageId)) {
            all.addAll(JournalFraming.scan(ByteBuffer.wrap(Files.readAllBytes(f))).entries());
        }
        return all;
    }

    private List<Path> files(String imageId) throws Exception {
        Path d = ImageJournal.dir(dir, imageId);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted(java.util.Comparator.comparingLong(
                p -> Long.parseLong(p.getFileName().toString().replace(".jnl", "")))).toList();
        }
    }

    private JournalRows.Header header(String imageId) throws Exception {
        return cluster.store().metadata.transaction(t -> JournalRows.header(t, imageId)).orElseThrow();
    }

    private List<JournalRows.Client> clients(String imageId) throws Exception {
        return cluster.store().metadata.transaction(t -> JournalRows.clients(t, imageId));
    }

    @Test
    void everyAcknowledgedChangeIsAJournalEntryInIssueOrder() throws Exception {
        Image img = create("j", 4 * MIB, 22, JOURNALED);
        List<Future<Void>> ops = new ArrayList<>();
        ops.add(img.write(0, random(1, 4096)));
        ops.add(img.write(40_000, random(2, 40_000))); // past rbd_journal_max_payload_bytes: 3 entries
        ops.add(img.discard(4096, 8192));
        ops.add(img.resize(8 * MIB));
        ops.add(img.flush());
        for (Future<Void> f : ops) {
            Await.result(f);
        }
        List<JournalEvent> events = entries(id(img)).stream().map(e -> JournalEvents.decode(e.payload()).event()).toList();
        List<JournalEvent> expected = new ArrayList<>();
        expected.add(new JournalEvent.Write(0, random(1, 4096).getBytes()));
        expected.addAll(JournalEvents.splitWrite(40_000, ByteBuffer.wrap(random(2, 40_000).getBytes()), 16384));
        expected.add(new JournalEvent.Discard(4096, 8192));
        expected.add(new JournalEvent.Resize(8 * MIB));
        expected.add(new JournalEvent.Flush());
        assertEquals(expected, events);
        assertEquals(3, JournalEvents.splitWrite(40_000, ByteBuffer.wrap(new byte[40_000]), 16384).size(),
            "the 40,000-byte write takes three entries");
        List<JournalEntry> entries = entries(id(img));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), entries.stream().map(JournalEntry::entryTid).toList());
        assertEquals(1, entries.stream().map(JournalEntry::tagTid).distinct().count(), "one tag while the image is open");
        assertEquals(8L * MIB, Await.result(img.info()).size());
        assertArrayEquals(random(2, 40_000).getBytes(), bytes(img, 40_000, 40_000));
        assertArrayEquals(new byte[8192], bytes(img, 4096, 8192));
        // the flush moved the image client's commit position to the flush entry (object 6 % 4 = 2)
        assertEquals(List.of(new JournalRows.Client("", true, List.of(new JournalPosition(2, 0, 6),
            new JournalPosition(1, 0, 5), new JournalPosition(0, 0, 4), new JournalPosition(3, 0, 3)))),
            clients(id(img)));
        Await.result(img.close());
    }

    @Test
    void reopeningStartsANewTagLinkedToTheCommittedPosition() throws Exception {
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        Await.result(img.write(0, random(1, 512)));
        Await.result(img.close());
        img = Await.result(cluster.openImage(spec("j")));
        Await.result(img.write(512, random(2, 512)));
        Await.result(img.close());
        assertEquals(List.of(0L, 1L), entries(id).stream().map(JournalEntry::tagTid).toList());
        assertEquals(List.of(0L, 0L), entries(id).stream().map(JournalEntry::entryTid).toList());
        JournalTag last = cluster.store().metadata.transaction(t -> JournalRows.lastTag(t, id)).orElseThrow();
        assertEquals(new JournalTag(1, 0, "", new JournalTag.Predecessor("", true, 0, 0)), last);
        assertEquals(2, header(id).nextTagTid());
    }

    @Test
    void demotionAndPromotionStartNewTagsAsLibrbd() throws Exception {
        Await.result(cluster.mirrorModeSet(PoolNamespace.of("rbd"), MirrorMode.IMAGE));
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        Await.result(img.mirrorEnable(MirrorImageMode.JOURNAL));
        Await.result(img.write(0, random(1, 512)));
        Await.result(img.write(512, random(2, 512)));
        Await.result(img.mirrorDemote());
        JournalTag demoted = cluster.store().metadata.transaction(t -> JournalRows.lastTag(t, id)).orElseThrow();
        assertEquals(new JournalTag(1, 0, "<orphan>", new JournalTag.Predecessor("", true, 0, 1)), demoted,
            "the orphan epoch links to the last committed entry");
        Await.result(img.mirrorPromote(false));
        JournalTag promoted = cluster.store().metadata.transaction(t -> JournalRows.lastTag(t, id)).orElseThrow();
        assertEquals(new JournalTag(2, 0, "", new JournalTag.Predecessor("<orphan>", true, 1, 1)), promoted);
        Await.result(img.write(1024, random(3, 512)));
        JournalEntry last = entries(id).get(entries(id).size() - 1);
        assertEquals(List.of(2L, 0L), List.of(last.tagTid(), last.entryTid()), "the promoted epoch's first entry");
        Await.result(img.mirrorDemote());
        Await.result(img.mirrorPromote(true));
        JournalTag forced = cluster.store().metadata.transaction(t -> JournalRows.lastTag(t, id)).orElseThrow();
        assertEquals(new JournalTag(4, 0, "", new JournalTag.Predecessor("", true, 3, 0)), forced);
        Await.result(img.close());
    }

    @Test
    void setsEveryClientHasCommittedAreTrimmed() throws Exception {
        cluster.store().journalLayout = new JournalLayout(12, 2, 16384);
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        assertEquals(new JournalLayout(12, 2, 16384), header(id).layout(), "the layout is recorded at creation");
        for (int i = 0; i < 20; i++) {
            Await.result(img.write(i * 4096L, random(i, 2000)));
        }
        long active = header(id).activeSet();
        assertTrue(active >= 4, "20 entries of 2 KiB filled sets of two 4 KiB objects: " + active);
        Await.result(img.flush());
        assertEquals(active, header(id).minimumSet(), "only the image client, and it committed everything");
        assertEquals(List.of(ImageJournal.setFile(ImageJournal.dir(dir, id), active)), files(id));
        // a client without a position pins what is left
        cluster.store().metadata.transaction(t -> t.update("INSERT INTO journal_clients (image_id, id, state, positions)"
            + " VALUES (?, 'peer', 'CONNECTED', '')", id));
        for (int i = 0; i < 20; i++) {
            Await.result(img.write(i * 4096L, random(100 + i, 2000)));
        }
        Await.result(img.flush());
        assertEquals(active, header(id).minimumSet());
        assertTrue(files(id).size() > 1);
        Await.result(img.close());
        reopen();
        img = Await.result(cluster.openImage(spec("j")));
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(random(100 + i, 2000).getBytes(), bytes(img, i * 4096L, 2000));
        }
        Await.result(img.close());
    }

    @Test
    void aDisconnectedPeerNoLongerPinsTheJournal() throws Exception {
        cluster.store().journalLayout = new JournalLayout(12, 2, 16384);
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        PoolNamespace rbd = PoolNamespace.of("rbd");
        cluster.store().metadata.transaction(t -> t.update("INSERT INTO journal_clients (image_id, id, state, positions)"
            + " VALUES (?, 'peer-uuid', 'CONNECTED', '')", id));
        for (int i = 0; i < 8; i++) {
            Await.result(img.write(i * 4096L, random(i, 2000)));
        }
        Await.result(img.flush());
        JournalStatus pinned = Await.result(cluster.journalStatus(rbd, id));
        assertEquals(0, pinned.minimumSet(), "the peer has committed nothing");
        assertEquals(List.of("", "peer-uuid"), pinned.clients().stream().map(JournalStatus.JournalClient::id).toList());
        assertEquals(new JournalInfo(id, Await.result(cluster.listPools()).get(0).id(), 12, 2, null),
            Await.result(cluster.journalInfo(rbd, id)));

        assertEquals(List.of("peer-uuid"), Await.result(cluster.journalClientDisconnect(rbd, id, null)));
        Await.result(img.write(0, random(99, 2000)));
        Await.result(img.flush());
        JournalStatus trimmed = Await.result(cluster.journalStatus(rbd, id));
        assertEquals(trimmed.activeSet(), trimmed.minimumSet(), "only the image client counts now");
        assertFalse(trimmed.clients().get(1).connected());
        Await.failure(Errno.ENOENT, cluster.journalClientDisconnect(rbd, id, "nobody"));
        Await.failure(Errno.ENOENT, cluster.journalStatus(rbd, "0123456789ab"));
        Await.result(img.close());
    }

    @Test
    void journalingOffRemovesTheJournalAndOnStartsAnEmptyOne() throws Exception {
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        Await.result(img.write(0, random(1, 4096)));
        Await.result(img.updateFeatures(Set.of(ImageFeature.JOURNALING), false));
        assertFalse(Files.exists(ImageJournal.dir(dir, id)));
        assertTrue(cluster.store().metadata.transaction(t -> JournalRows.header(t, id)).isEmpty());
        Await.result(img.write(4096, random(2, 4096)));
        Await.result(img.updateFeatures(Set.of(ImageFeature.JOURNALING), true));
        assertEquals(List.of(), entries(id));
        Await.result(img.write(8192, random(3, 4096)));
        assertEquals(1, entries(id).size());
        assertArrayEquals(random(2, 4096).getBytes(), bytes(img, 4096, 4096));
        Await.result(img.close());
        Await.result(cluster.removeImage(spec("j")));
        assertFalse(Files.exists(ImageJournal.dir(dir, id)), "removing the image removes its journal");
        assertTrue(clients(id).isEmpty());
    }

    @Test
    void plainImagesHaveNoJournal() throws Exception {
        Image img = create("plain", MIB, 22, EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK));
        Await.result(img.write(0, Buffer.buffer(new byte[4096])));
        Await.result(img.flush());
        assertFalse(Files.exists(ImageJournal.dir(dir, id(img))));
        Await.result(img.close());
    }
}
