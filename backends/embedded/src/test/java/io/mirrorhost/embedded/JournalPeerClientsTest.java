package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.JournalBatch;
import io.mirrorhost.api.cluster.JournalEvent;
import io.mirrorhost.api.cluster.JournalPeerClient;
import io.mirrorhost.api.cluster.JournalPeerClient.SyncState;
import io.mirrorhost.api.cluster.JournalStatus;
import io.mirrorhost.api.cluster.JournalStatus.ObjectPosition;
import io.mirrorhost.api.cluster.JournalTag;
import io.mirrorhost.api.cluster.PoolNamespace;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The calls a peer's journal replayer makes: its client, reading entries, committing, the tags. */
class JournalPeerClientsTest extends StoreTestBase {
    private static final Set<ImageFeature> JOURNALED = EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK,
        ImageFeature.JOURNALING);
    private static final PoolNamespace RBD = PoolNamespace.of("rbd");
    private static final String PEER = "peer-mirror-uuid";

    private String id(Image image) {
        return Await.result(image.info()).id();
    }

    private JournalStatus status(String id) {
        return Await.result(cluster.journalStatus(RBD, id));
    }

    private void writeAndFlush(Image img, int count, long seed) {
        for (int i = 0; i < count; i++) {
            Await.result(img.write(i * 4096L, random(seed + i, 2000)));
        }
        Await.result(img.flush());
    }

    private JournalBatch readAll(String id, ObjectPosition after) {
        return Await.result(cluster.journalRead(RBD, id, after, Integer.MAX_VALUE, Long.MAX_VALUE));
    }

    private static ObjectPosition last(JournalBatch batch) {
        return batch.entries().get(batch.entries().size() - 1).position();
    }

    @Test
    void aRegisteredPeerHoldsBackTrimmingUntilItCommits() {
        cluster.store().journalLayout = new JournalLayout(12, 2, 16384);
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        Await.result(cluster.journalClientRegister(RBD, id, PEER, "copy-id", SyncState.SYNCING));
        assertEquals(List.of(new JournalPeerClient(PEER, "copy-id", SyncState.SYNCING, List.of(), true)),
            Await.result(cluster.journalPeerClients(RBD, id)));

        writeAndFlush(img, 20, 0);
        JournalStatus pinned = status(id);
        assertTrue(pinned.activeSet() >= 4, "20 entries of 2 KiB filled sets of two 4 KiB objects");
        assertEquals(0, pinned.minimumSet(), "the peer has committed nothing");

        ObjectPosition through = last(readAll(id, null));
        Await.result(cluster.journalClientCommit(RBD, id, PEER, through));
        Await.result(cluster.journalClientUpdate(RBD, id, PEER, "copy-id", SyncState.REPLAYING));
        assertEquals(List.of(new JournalPeerClient(PEER, "copy-id", SyncState.REPLAYING, List.of(through), true)),
            Await.result(cluster.journalPeerClients(RBD, id)));
        assertEquals(0, status(id).minimumSet(), "the journal is trimmed when the image flushes, not by the commit");
        writeAndFlush(img, 1, 100);
        assertEquals(pinned.activeSet(), status(id).minimumSet(), "both clients have committed the full sets");
        Await.result(img.close());
    }

    @Test
    void readingFromAPositionReturnsTheEntriesInOrderWithTheirTags() throws Exception {
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        Await.result(img.write(0, random(1, 512)));
        Await.result(img.discard(4096, 4096));
        Await.result(img.close());
        img = Await.result(cluster.openImage(spec("j")));
        Await.result(img.write(512, random(2, 512)));
        Await.result(img.flush());

        JournalBatch all = readAll(id, null);
        assertTrue(all.endOfJournal());
        assertEquals(List.of(new ObjectPosition(0, 0, 0), new ObjectPosition(1, 0, 1), new ObjectPosition(0, 1, 0),
            new ObjectPosition(1, 1, 1)), all.entries().stream().map(JournalBatch.Entry::position).toList());
        List<JournalEvent> events = all.entries().stream().map(JournalBatch.Entry::event).toList();
        assertEquals(new JournalEvent.Write(0, random(1, 512).getBytes()), events.get(0));
        assertEquals(new JournalEvent.Discard(4096, 4096), events.get(1));
        assertEquals(new JournalEvent.Write(512, random(2, 512).getBytes()), events.get(2));
        assertEquals(new JournalEvent.Flush(), events.get(3));
        assertTrue(all.entries().get(0).timestampMillis() > 0);
        assertEquals(List.of(0L, 1L), Await.result(cluster.journalTags(RBD, id)).stream().map(JournalTag::tid).toList(),
            "every entry's tag is listed");

        JournalBatch rest = Await.result(cluster.journalRead(RBD, id, new ObjectPosition(1, 0, 1), 1, Long.MAX_VALUE));
        assertEquals(List.of(new ObjectPosition(0, 1, 0)), rest.entries().stream().map(JournalBatch.Entry::position)
            .toList(), "after the given entry, at most one");
        assertFalse(rest.endOfJournal());
        JournalBatch byBytes = Await.result(cluster.journalRead(RBD, id, null, 10, 600));
        assertEquals(2, byBytes.entries().size(), "a 512-byte write and a discard fit in 600 bytes, the next write not");
        JournalBatch oneOverBytes = Await.result(cluster.journalRead(RBD, id, null, 10, 1));
        assertEquals(1, oneOverBytes.entries().size(), "a batch holds at least one entry");
        assertEquals(List.of(), readAll(id, last(all)).entries());
        Await.failure(Errno.ENOENT, cluster.journalRead(RBD, id, new ObjectPosition(9, 9, 9), 1, 1));
        Await.result(img.close());
    }

    @Test
    void aDisconnectedPeerClientNoLongerHoldsBackTrimming() {
        cluster.store().journalLayout = new JournalLayout(12, 2, 16384);
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        Await.result(cluster.journalClientRegister(RBD, id, PEER, "copy-id", SyncState.REPLAYING));
        writeAndFlush(img, 8, 0);
        assertEquals(0, status(id).minimumSet());

        Await.result(cluster.journalClientDisconnect(RBD, id, PEER));
        writeAndFlush(img, 1, 100);
        JournalStatus trimmed = status(id);
        assertEquals(trimmed.activeSet(), trimmed.minimumSet());
        assertEquals(List.of(new JournalPeerClient(PEER, "copy-id", SyncState.REPLAYING, List.of(), false)),
            Await.result(cluster.journalPeerClients(RBD, id)));
        Await.result(img.close());
    }

    @Test
    void peerClientsAreRegisteredOnceAndRemoved() {
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        Await.result(cluster.journalClientRegister(RBD, id, PEER, "copy-id", SyncState.SYNCING));
        Await.failure(Errno.EEXIST, cluster.journalClientRegister(RBD, id, PEER, "copy-id", SyncState.SYNCING));
        Await.failure(Errno.EEXIST, cluster.journalClientRegister(RBD, id, "", "copy-id", SyncState.SYNCING));
        assertEquals(List.of("", PEER), status(id).clients().stream().map(JournalStatus.JournalClient::id).toList());

        Await.result(cluster.journalClientUnregister(RBD, id, PEER));
        assertEquals(List.of(), Await.result(cluster.journalPeerClients(RBD, id)));
        assertEquals(List.of(""), status(id).clients().stream().map(JournalStatus.JournalClient::id).toList());
        Await.failure(Errno.ENOENT, cluster.journalClientUnregister(RBD, id, PEER));
        Await.failure(Errno.ENOENT, cluster.journalClientUpdate(RBD, id, PEER, "x", SyncState.REPLAYING));
        Await.failure(Errno.ENOENT, cluster.journalClientCommit(RBD, id, PEER, new ObjectPosition(0, 0, 0)));
        Await.failure(Errno.ENOENT, cluster.journalPeerClients(RBD, "0123456789ab"));
        Await.result(img.close());
    }

    @Test
    void onlyEntriesWhoseForceHasReturnedAreRead() throws Exception {
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        Await.result(img.write(0, random(1, 512)));
        Await.result(img.close());
        List<Runnable> forces = new ArrayList<>();
        ImageJournal journal = ImageJournal.open(cluster.store().metadata, dir, id, forces::add, new ArrayList<>());
        journal.append(List.of(new JournalEvent.Write(512, random(2, 512).getBytes())), () -> {
        }, failure -> {
        });
        JournalRows.Header header = cluster.store().metadata.transaction(t -> JournalRows.header(t, id)).orElseThrow();
        assertEquals(1, EmbeddedJournals.read(dir, id, header, journal.durableEnd(), null, 10, Long.MAX_VALUE)
            .entries().size(), "written, its force not begun: a crash of the host could still lose it");
        forces.forEach(Runnable::run);
        assertEquals(List.of(new JournalEvent.Write(0, random(1, 512).getBytes()),
            new JournalEvent.Write(512, random(2, 512).getBytes())),
            EmbeddedJournals.read(dir, id, header, journal.durableEnd(), null, 10, Long.MAX_VALUE).entries().stream()
                .map(JournalBatch.Entry::event).toList());
        journal.close();
    }
}
