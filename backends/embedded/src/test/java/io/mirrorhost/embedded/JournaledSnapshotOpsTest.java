package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.JournalEvent;
import io.mirrorhost.api.cluster.SnapInfo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Snapshot create, remove and rollback on a journaling image: librbd's op event and OpFinish entries (design A7). */
class JournaledSnapshotOpsTest extends StoreTestBase {
    private static final Set<ImageFeature> JOURNALED = EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK,
        ImageFeature.JOURNALING);

    private String id(Image image) {
        return Await.result(image.info()).id();
    }

    private Path activeSetFile(String imageId) throws Exception {
        long active = cluster.store().metadata.transaction(t -> JournalRows.header(t, imageId)).orElseThrow().activeSet();
        return ImageJournal.setFile(ImageJournal.dir(dir, imageId), active);
    }

    private List<JournalEvent> events(String imageId) throws Exception {
        List<JournalEvent> events = new ArrayList<>();
        for (JournalEntry e : JournalFraming.scan(ByteBuffer.wrap(Files.readAllBytes(activeSetFile(imageId)))).entries()) {
            events.add(JournalEvents.decode(e.payload()).event());
        }
        return events;
    }

    private List<String> snapNames(Image img) {
        return Await.result(img.listSnaps()).stream().map(SnapInfo::name).toList();
    }

    @Test
    void eachOpIsItsEventThenItsOpFinishInJournalOrder() throws Exception {
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        Await.result(img.write(0, random(1, 512)));
        Await.result(img.createSnap("s"));
        Await.result(img.write(0, random(2, 512)));
        Await.result(img.rollbackSnap("s"));
        Await.result(img.removeSnap("s"));

        assertEquals(List.of(new JournalEvent.Write(0, random(1, 512).getBytes()), new JournalEvent.SnapCreate(1, "s"),
            new JournalEvent.OpFinish(1, 0), new JournalEvent.Write(0, random(2, 512).getBytes()),
            new JournalEvent.SnapRollback(2, "s"), new JournalEvent.OpFinish(2, 0), new JournalEvent.SnapRemove(3, "s"),
            new JournalEvent.OpFinish(3, 0)), events(id));
        assertArrayEquals(random(1, 512).getBytes(), bytes(img, 0, 512), "rolled back");
        assertEquals(List.of(), snapNames(img));
        Await.result(img.close());
    }

    @Test
    void aFailedOpIsFinishedWithItsErrnoAndFailsTheCaller() throws Exception {
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        Await.result(img.createSnap("s"));
        Await.result(img.protectSnap("s"));
        Await.failure(Errno.EBUSY, img.removeSnap("s"));
        List<JournalEvent> events = events(id);
        assertEquals(List.of(new JournalEvent.SnapRemove(2, "s"), new JournalEvent.OpFinish(2, -Errno.EBUSY.code())),
            events.subList(events.size() - 2, events.size()));
        Await.failure(Errno.EEXIST, img.createSnap("s"));
        assertEquals(4, events(id).size(), "refused before journaling: nothing appended");
        Await.result(img.close());
    }

    @Test
    void reopeningRedoesTheOpsPastTheImagePositionUnlessTheyFailed() throws Exception {
        Image img = create("j", MIB, 22, JOURNALED);
        String id = id(img);
        Await.result(img.write(0, random(1, 512)));
        Await.result(img.createSnap("s"));
        Await.result(img.createSnap("kept"));
        Await.result(img.write(0, random(2, 512)));
        Await.result(img.close());
        // as a crash would leave them: durable op events whose ops never ran (one recorded as failed)
        List<JournalEvent> unapplied = List.of(new JournalEvent.SnapCreate(1, "t"), new JournalEvent.SnapRollback(2, "s"),
            new JournalEvent.Write(512, random(3, 512).getBytes()), new JournalEvent.SnapRemove(3, "kept"),
            new JournalEvent.OpFinish(3, -Errno.EBUSY.code()), new JournalEvent.SnapRemove(4, "s"));
        long entryTid = 1000;
        for (JournalEvent e : unapplied) {
            Files.write(activeSetFile(id), JournalFraming.encode(new JournalEntry(99, entryTid++,
                JournalEvents.encode(e, 1))), StandardOpenOption.APPEND);
        }

        img = Await.result(cluster.openImage(spec("j")));
        assertEquals(List.of("kept", "t"), snapNames(img));
        assertArrayEquals(random(1, 512).getBytes(), bytes(img, 0, 512), "rolled back to s");
        assertArrayEquals(random(3, 512).getBytes(), bytes(img, 512, 512), "then the later write");
        Await.result(img.close());
        img = Await.result(cluster.openImage(spec("j")));
        assertEquals(List.of("kept", "t"), snapNames(img), "redone once: the image's position moved past them");
        Await.result(img.close());
    }
}
