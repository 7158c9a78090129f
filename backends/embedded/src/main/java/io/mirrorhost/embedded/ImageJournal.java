package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.JournalEvent;
import io.mirrorhost.api.cluster.JournalTag;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The journal of one open journaling image, driven from the image's lane: entries are appended
 * to the active set's file ({@code journals/<image id>/<set>.jnl}), made durable by group commit
 * ({@link JournalSync}) before the image applies them, and the image client's commit position moves
 * with the image's flushes. Opening it recovers the files: sets outside {@code [minimum, active]}
 * are deleted and the first damaged frame ends the journal (the rest is cut), so the journal is
 * always a prefix of what was appended.
 */
final class ImageJournal {
    static final String DIR = "journals";

    private final Metadata metadata;
    private final String imageId;
    private final Path dir;
    private final JournalLayout layout;
    private final JournalSetFill fill;
    private final JournalSync sync;
    private long minimumSet;
    private FileChannel active;
    private long activeSet;
    private JournalTag tag;
    private long nextEntryTid;
    /** librbd's {@code Journal::allocate_op_tid}: numbers this open journal's operations from 1. */
    private long lastOpTid;
    /** The image client's commit position as applied (committed by the next {@link #saveApplied}). */
    private List<JournalPosition> applied;
    private List<JournalPosition> committed;

    /** An entry found on open, with where it is. */
    record Found(JournalPosition position, JournalEntry entry) {
    }

    /** How far the journal is durable: every set before {@code set}, and its first {@code bytes}. */
    record DurableEnd(long set, long bytes) {
    }

    /** Published once each force returns, for readers on other threads; what open found counts as durable. */
    private volatile DurableEnd durableEnd;

    private ImageJournal(Metadata metadata, String imageId, Path dir, JournalRows.Header header,
                         List<JournalPosition> imageClient, Executor forcer) throws IOException {
        this.metadata = metadata;
        this.imageId = imageId;
        this.dir = dir;
        this.layout = header.layout();
        this.minimumSet = header.minimumSet();
        this.activeSet = header.activeSet();
        this.fill = new JournalSetFill(layout, activeSet);
        this.applied = imageClient;
        this.committed = imageClient;
        this.active = openSet(activeSet);
        this.durableEnd = new DurableEnd(activeSet, active.size());
        this.sync = new JournalSync(forcer, active);
    }

    static Path dir(Path dataDir, String imageId) {
        return dataDir.resolve(DIR).resolve(imageId);
    }

    /** Creates the header of a new journal (in the transaction turning journaling on). */
    static void create(Metadata.Tx t, String imageId, JournalLayout layout) throws SQLException {
        JournalRows.create(t, imageId, layout);
    }

    /**
     * Opens the journal and recovers its files; {@code pending} receives the entries after the image
     * client's commit position, which the image must apply again.
     */
    static ImageJournal open(Metadata metadata, Path dataDir, String imageId, Executor forcer, List<Found> pending)
        throws IOException, SQLException {
        Path dir = dir(dataDir, imageId);
        Files.createDirectories(dir);
        JournalRows.Header header = metadata.transaction(t -> JournalRows.header(t, imageId))
            .orElseThrow(() -> ClusterException.notFound("image " + imageId + " has no journal"));
        List<JournalPosition> imageClient = metadata.transaction(t -> JournalRows.clients(t, imageId)).stream()
            .filter(c -> c.id().equals(JournalRows.IMAGE_CLIENT)).findFirst().map(JournalRows.Client::positions)
            .orElse(List.of());
        List<Found> all = new ArrayList<>();
        long lastGood = recover(metadata, dir, imageId, header, all);
        if (lastGood != header.activeSet()) {
            metadata.transaction(t -> {
                JournalRows.setActiveSet(t, imageId, lastGood);
                return null;
            });
            header = new JournalRows.Header(header.layout(), header.minimumSet(), lastGood, header.nextTagTid());
        }
        ImageJournal journal = new ImageJournal(metadata, imageId, dir, header, imageClient, forcer);
        FileSync.directory(dir);
        FileSync.directory(dir.getParent());
        for (Found f : all) {
            if (header.layout().setOf(f.position().objectNumber()) == lastGood) {
                journal.fill.recount(f.entry().entryTid(), JournalFraming.OVERHEAD + f.entry().payload().length);
            }
        }
        pending.addAll(after(all, imageClient));
        return journal;
    }

    /**
     * Scans the sets in order, cutting the journal at the first damaged frame; returns the last set
     * that still holds the journal's end.
     */
    private static long recover(Metadata metadata, Path dir, String imageId, JournalRows.Header header,
                                List<Found> into) throws IOException {
        for (Path file : list(dir)) {
            long set = setOfFile(file);
            if (set < header.minimumSet() || set > header.activeSet()) {
                Files.deleteIfExists(file);
            }
        }
        for (long set = header.minimumSet(); set <= header.activeSet(); set++) {
            Path file = setFile(dir, set);
            if (!Files.exists(file)) {
                continue;
            }
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
            JournalFraming.Scan scan = JournalFraming.scan(bytes);
            for (JournalEntry e : scan.entries()) {
                into.add(new Found(new JournalPosition(header.layout().objectNumber(set, e.entryTid()), e.tagTid(),
                    e.entryTid()), e));
            }
            if (scan.validBytes() < bytes.capacity()) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(scan.validBytes());
                    ch.force(true);
                }
                for (long later = set + 1; later <= header.activeSet(); later++) {
                    Files.deleteIfExists(setFile(dir, later));
                }
                return set;
            }
        }
        return header.activeSet();
    }

    /** The entries after {@code position}'s newest entry (all of them when it is empty or not found). */
    static List<Found> after(List<Found> all, List<JournalPosition> position) {
        if (position.isEmpty()) {
            return all;
        }
        JournalPosition newest = position.get(0);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).position().equals(newest)) {
                return all.subList(i + 1, all.size());
            }
        }
        return all;
    }

    long allocateOpTid() {
        return ++lastOpTid;
    }

    int maxAppendSize() {
        return layout.maxAppendSize();
    }

    /**
     * Writes {@code events} as entries of the current tag and returns their positions;
     * {@code onDurable} runs once they (and every earlier entry) are durable.
     */
    List<JournalPosition> append(List<JournalEvent> events, Runnable onDurable, Consumer<IOException> onFailed)
        throws IOException, SQLException {
        if (tag == null) {
            newTag(JournalTags::onLockAcquired);
        }
        long now = System.currentTimeMillis();
        List<JournalPosition> positions = new ArrayList<>(events.size());
        for (JournalEvent event : events) {
            JournalEntry entry = new JournalEntry(tag.tid(), nextEntryTid++, JournalEvents.encode(event, now));
            byte[] frame = JournalFraming.encode(entry);
            JournalSetFill.Placement placement = fill.place(entry.entryTid(), frame.length);
            if (placement.advanced()) {
                advanceTo(placement.set());
            }
            ByteBuffer b = ByteBuffer.wrap(frame);
            while (b.hasRemaining()) {
                active.write(b);
            }
            positions.add(new JournalPosition(placement.objectNumber(), entry.tagTid(), entry.entryTid()));
        }
        DurableEnd end = new DurableEnd(activeSet, active.position());
        sync.appended(() -> {
            durableEnd = end;
            onDurable.run();
        }, onFailed);
        return positions;
    }

    /** How the next tag follows the current one (null when there is none) and the image client's position. */
    @FunctionalInterface
    interface TagRule {
        JournalTag next(JournalTag current, long nextTid, List<JournalPosition> imageClient);
    }

    /** Starts a new epoch (librbd: lock acquisition, demotion, promotion); its entries count from 0. */
    void newTag(TagRule rule) throws SQLException {
        tag = metadata.transaction(t -> {
            JournalRows.Header h = JournalRows.header(t, imageId).orElseThrow();
            JournalTag next = rule.next(JournalRows.lastTag(t, imageId).orElse(null), h.nextTagTid(), committed);
            JournalRows.addTag(t, imageId, next);
            return next;
        });
        nextEntryTid = 0;
    }

    /** The set is full: make it durable, record the next one as active, then start its file. */
    private void advanceTo(long set) throws IOException, SQLException {
        active.force(false);
        metadata.transaction(t -> {
            JournalRows.setActiveSet(t, imageId, set);
            return null;
        });
        FileChannel next = openSet(set);
        FileSync.directory(dir);
        sync.switchTo(next);
        FileChannel previous = active;
        active = next;
        activeSet = set;
        previous.close();
    }

    /** The image has applied these entries (they reach the header with its next flush). */
    void applied(List<JournalPosition> positions) {
        for (JournalPosition p : positions) {
            applied = layout.committed(applied, p);
        }
    }

    boolean hasUnsavedPosition() {
        return !applied.equals(committed);
    }

    /** In the transaction of the image's flush: the image client's position as applied. */
    void saveApplied(Metadata.Tx t) throws SQLException {
        JournalRows.commit(t, imageId, JournalRows.IMAGE_CLIENT, applied);
    }

    /** After that transaction: the position is committed; remove the sets every connected client has passed. */
    void savedApplied(List<JournalPosition> saved) throws IOException, SQLException {
        committed = saved;
        List<List<JournalPosition>> connected = metadata.transaction(t -> JournalRows.clients(t, imageId)).stream()
            .filter(JournalRows.Client::connected).map(JournalRows.Client::positions).toList();
        long target = layout.trimTarget(minimumSet, activeSet, connected);
        if (target <= minimumSet) {
            return;
        }
        metadata.transaction(t -> {
            JournalRows.setMinimumSet(t, imageId, target);
            return null;
        });
        for (long set = minimumSet; set < target; set++) {
            Files.deleteIfExists(setFile(dir, set));
        }
        minimumSet = target;
    }

    DurableEnd durableEnd() {
        return durableEnd;
    }

    List<JournalPosition> appliedPosition() {
        return applied;
    }

    void close() throws IOException {
        active.close();
    }

    private FileChannel openSet(long set) throws IOException {
        FileChannel ch = FileChannel.open(setFile(dir, set), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ch.position(ch.size());
        return ch;
    }

    static Path setFile(Path dir, long set) {
        return dir.resolve(set + ".jnl");
    }

    private static long setOfFile(Path file) {
        String name = file.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - ".jnl".length()));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new ClusterException(Errno.EIO, "unexpected file in journal directory: " + file);
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
