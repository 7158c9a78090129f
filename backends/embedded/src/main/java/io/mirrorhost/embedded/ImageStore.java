package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Extent;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.JournalEvent;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * One image's block store, shared by all its open handles and driven only from its lane: the
 * image's header, snapshots and locks, and the I/O around its pure version core.
 *
 * <p>Data objects are files {@code objects/<data pool>/<image id>/<objno>.<gen>}, one per
 * {@link ObjectVersion}. {@link VersionIndex} says which version holds which bytes,
 * {@link VersionPlanner} decides which versions an operation creates, overlays, copies or drops,
 * {@link VersionFiles} reads and writes their files; this class runs each operation through them
 * and commits to SQLite. Writes go to the files at once; which versions exist is kept in memory
 * and committed only after the data it points at is fsync'ed: at flush for writes and discards,
 * before every header change. A crash therefore leaves the last committed (flushed) versions plus
 * unreferenced files, which {@link Recovery} deletes.
 */
final class ImageStore {
    private final ClusterStore cluster;
    private final String imageId;
    private final SerialLane lane;
    private final Function<ImageStore, Future<Void>> onRelease;
    final ExclusiveLock lock = new ExclusiveLock();

    private final long poolId;
    private final String poolName;
    private final String namespace;
    private final int order;
    private final long objectSize;
    private final String dataPoolName;
    private volatile String name;
    private long size;
    private long features;
    /** Null until first used (see {@link #objectMapFlags()}). */
    private ObjectMapFlags objectMapFlags;
    private long snapSeq;
    private final Instant created;
    private Instant accessed;
    private Instant modified;
    private final ConcurrentSkipListMap<Long, Snap> snaps = new ConcurrentSkipListMap<>();
    /** The same snapshots by {@link Snap#point()}, the order in which they see object versions. */
    private final ConcurrentSkipListMap<Long, Snap> byPoint = new ConcurrentSkipListMap<>();
    private final VersionIndex index = new VersionIndex(byPoint.navigableKeySet());
    private final VersionPlanner planner;
    private final VersionFiles files;
    private boolean timestampsDirty;

    private int refs;
    /** Journal-mirrored and not primary: librbd's journal tag owner is not local. */
    private volatile boolean journalNonPrimary;
    /** The journal while the image has journaling (null otherwise): writes are appended to it before they apply. */
    private volatile ImageJournal journal;
    /** The size the next journaled I/O is checked against: a resize changes it when appended, before it applies. */
    private long ioSize;

    private ImageStore(ClusterStore cluster, String imageId, Function<ImageStore, Future<Void>> onRelease,
                       HeaderRow header) {
        this.cluster = cluster;
        this.imageId = imageId;
        this.onRelease = onRelease;
        this.lane = cluster.executor.newLane();
        this.poolId = header.poolId;
        this.poolName = header.poolName;
        this.namespace = header.namespace;
        this.name = header.name;
        this.size = header.size;
        this.ioSize = header.size;
        this.order = header.order;
        this.objectSize = 1L << header.order;
        this.features = header.features;
        this.snapSeq = header.snapSeq;
        this.dataPoolName = header.dataPoolId == header.poolId ? null : header.dataPoolName;
        this.created = Instant.ofEpochMilli(header.created);
        this.accessed = Instant.ofEpochMilli(header.accessed);
        this.modified = Instant.ofEpochMilli(header.modified);
        this.planner = new VersionPlanner(index, order);
        this.files = new VersionFiles(ClusterStore.imageDir(cluster.dataDir, header.dataPoolId, imageId),
            cluster.executor.syncPool());
    }

    private record HeaderRow(long poolId, String poolName, String namespace, String name, long size, int order,
                             long features, long dataPoolId, String dataPoolName, long snapSeq, long created,
                             long accessed, long modified) {
    }

    /** Loads an image's header, snapshots and object versions (on the cluster lane). */
    static ImageStore load(ClusterStore cluster, String imageId, Function<ImageStore, Future<Void>> onRelease)
        throws IOException, SQLException {
        ImageStore loaded = cluster.metadata.transaction(tx -> {
            HeaderRow h = tx.queryOne("SELECT i.pool_id, p.name, i.namespace, i.name, i.size, i.obj_order, i.features,"
                    + " i.data_pool_id, d.name, i.snap_seq, i.created, i.accessed, i.modified FROM images i"
                    + " JOIN pools p ON p.id = i.pool_id JOIN pools d ON d.id = i.data_pool_id WHERE i.id = ?",
                r -> new HeaderRow(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5),
                    r.getInt(6), r.getLong(7), r.getLong(8), r.getString(9), r.getLong(10), r.getLong(11),
                    r.getLong(12), r.getLong(13)), imageId)
                .orElseThrow(() -> ClusterException.notFound("image id " + imageId + " does not exist"));
            ImageStore image = new ImageStore(cluster, imageId, onRelease, h);
            tx.query("SELECT snap_id, COALESCE(point, snap_id), name, snap_namespace, size, created, protected, mirror"
                    + " FROM snaps WHERE image_id = ? ORDER BY snap_id", r -> {
                    String mirror = r.getString(8);
                    Snap s = new Snap(r.getLong(1), r.getLong(2), r.getString(3), SnapNamespace.valueOf(r.getString(4)),
                        r.getLong(5), Instant.ofEpochMilli(r.getLong(6)), r.getInt(7) != 0,
                        mirror == null ? null : MirrorSnapshotCodec.decode(mirror));
                    image.byPoint.put(s.point(), s);
                    return image.snaps.put(s.id(), s);
                }, imageId);
            VersionRows.load(tx, imageId, image.index);
            image.journalNonPrimary = ImageMirroring.isJournalNonPrimary(tx, imageId);
            return image;
        });
        loaded.planner.generationsAfter(Math.max(loaded.index.maxGen(), loaded.files.maxGen()));
        if (loaded.hasFeature(ImageFeature.JOURNALING)) {
            loaded.openJournal();
        }
        return loaded;
    }

    String imageId() {
        return imageId;
    }

    SerialLane lane() {
        return lane;
    }

    ClusterStore cluster() {
        return cluster;
    }

    ImageSpec spec() {
        return ImageSpec.of(poolName, namespace, name);
    }

    String watchKey() {
        return Watches.imageKey(imageId);
    }

    // --- references (cluster lane) ---

    void retain() {
        refs++;
    }

    /** True when the last handle is gone. */
    boolean release() {
        return --refs == 0;
    }

    Future<Void> released() {
        return onRelease.apply(this);
    }

    boolean hasSnap(long snapId) {
        return snaps.containsKey(snapId);
    }

    void renamed(String newName) {
        this.name = newName;
        notifyHeader();
    }

    // --- header ---

    boolean hasFeature(ImageFeature f) {
        return (features & f.bit()) != 0;
    }

    ImageInfo info(Long snapId) throws SQLException {
        long s = snapId == null ? size : snap(snapId).size();
        return new ImageInfo(name, imageId, s, order, ImageFeature.fromMask(features),
            ObjectMapFlags.names(objectMapFlags().of(snapId)), dataPoolName, snaps.size(), created, accessed, modified);
    }

    /** The object-map flags, read on first use; kept where Ceph keeps them, in the header's omap ("flags"). */
    private ObjectMapFlags objectMapFlags() throws SQLException {
        if (objectMapFlags == null) {
            objectMapFlags = cluster.metadata.transaction(tx -> tx.queryOne("SELECT value FROM omap"
                    + " WHERE pool_id = ? AND namespace = ? AND object = ? AND key = 'flags'",
                r -> ObjectMapFlags.decode(r.getString(1)), poolId, namespace, headerObject()))
                .orElseGet(ObjectMapFlags::new);
        }
        return objectMapFlags;
    }

    private void saveObjectMapFlags(Metadata.Tx tx, ObjectMapFlags flags) throws SQLException {
        tx.update("INSERT OR REPLACE INTO omap (pool_id, namespace, object, key, value) VALUES (?, ?, ?, 'flags', ?)",
            poolId, namespace, headerObject(), flags.encode());
    }

    private String headerObject() {
        return headerObject(imageId);
    }

    /** The omap object of an image's header ({@code rbd_header.<id>}); its rows go with the image. */
    static String headerObject(String imageId) {
        return "rbd_header." + imageId;
    }

    /**
     * {@code rbd_rebuild_object_map} of the head or of the handle's snapshot. Our map is derived from the
     * version index and so always right: rebuilding it only clears the flags that mark it invalid.
     */
    void rebuildObjectMap(EmbeddedImage handle) throws SQLException {
        handle.checkOpen();
        if (!hasFeature(ImageFeature.OBJECT_MAP)) {
            throw ClusterException.invalid(FeatureRules.OPERATIONS_LOG + "image must support object-map feature");
        }
        ObjectMapFlags next = objectMapFlags().copy();
        next.rebuilt(handle.snapId(), snapSeq, snaps.keySet());
        cluster.metadata.transaction(tx -> {
            saveObjectMapFlags(tx, next);
            return null;
        });
        objectMapFlags = next;
        notifyHeader();
    }

    /** Whether the image is a mirroring copy (or demoted) and so refuses writes. */
    boolean isNonPrimary() {
        return journalNonPrimary || MirrorSnapshots.isNonPrimary(features, snaps);
    }

    /**
     * The non-primary feature librbd keeps on a snapshot-mirrored image that is not primary: set on
     * demotion and on a new copy, dropped on promotion (librbd's Demote/PromoteRequest).
     */
    void setNonPrimaryFeature(boolean nonPrimary) throws SQLException {
        if (hasFeature(ImageFeature.NON_PRIMARY) == nonPrimary) {
            return;
        }
        long next = nonPrimary ? features | ImageFeature.NON_PRIMARY.bit() : features & ~ImageFeature.NON_PRIMARY.bit();
        cluster.metadata.transaction(tx -> tx.update("UPDATE images SET features = ? WHERE id = ?", next, imageId));
        features = next;
        notifyHeader();
    }

    /** Whether a replay handle may change the head: the newest mirror-snapshot is a copy in progress. */
    private boolean isBeingReplayed() {
        for (Snap s : snaps.descendingMap().values()) {
            if (s.mirror() != null) {
                return s.isIncompleteNonPrimaryMirror();
            }
        }
        return false;
    }

    // --- hooks for the mirroring rules (ImageMirroring), on the image lane ---

    void setJournalNonPrimary(boolean nonPrimary) {
        journalNonPrimary = nonPrimary;
    }

    long poolId() {
        return poolId;
    }

    String namespace() {
        return namespace;
    }

    List<Snap> snapshots() {
        return List.copyOf(snaps.values());
    }

    long createMirrorSnap(String snapName, MirrorSnapshotInfo info) throws IOException, SQLException {
        return createSnap(snapName, SnapNamespace.MIRROR, info);
    }

    /** A snapshot's name and mirror record (null for a user snapshot), decided in the transaction creating it. */
    record SnapPlan(String name, MirrorSnapshotInfo mirror) {
    }

    /**
     * Creates a mirror-snapshot in one transaction with the reads and checks that decide it
     * ({@code plan} may refuse by throwing): one commit, and nothing can change between them.
     */
    long createMirrorSnap(Metadata.SqlWork<SnapPlan> plan) throws IOException, SQLException {
        return createSnap(SnapNamespace.MIRROR, plan);
    }

    void removeSnapshot(long snapId) throws IOException, SQLException {
        removeSnap(snap(snapId));
    }

    void replaceMirror(long snapId, MirrorSnapshotInfo info) throws SQLException {
        updateMirror(snap(snapId), info);
    }

    /** Rolls the head back to a snapshot whatever the image's primary state (a promotion's rollback). */
    void rollbackTo(long snapId) throws IOException, SQLException {
        rollbackTo(snap(snapId));
    }

    void notifyUpdated() {
        notifyHeader();
    }

    private Snap snap(long snapId) {
        Snap s = snaps.get(snapId);
        if (s == null) {
            throw ClusterException.notFound("snapshot id " + snapId + " does not exist");
        }
        return s;
    }

    private Snap snapNamed(String snapName) {
        Names.checkSnap(snapName);
        for (Snap s : snaps.values()) {
            if (s.name().equals(snapName)) {
                return s;
            }
        }
        throw ClusterException.notFound("snapshot '" + snapName + "' does not exist");
    }

    private void checkWritableHead(EmbeddedImage handle, String what) {
        handle.checkOpen();
        if (handle.snapId() != null) {
            throw new ClusterException(Errno.EROFS, "cannot " + what + ": the image is open at a snapshot");
        }
        if (handle.isBlocklisted()) {
            throw new ClusterException(Errno.ESHUTDOWN, "cannot " + what + ": the exclusive lock of this client was broken");
        }
        if (isNonPrimary() && !(handle.replays() && isBeingReplayed())) {
            throw new ClusterException(Errno.EROFS, "cannot " + what + ": image " + spec() + " is not primary");
        }
        if (hasFeature(ImageFeature.EXCLUSIVE_LOCK)) {
            lock.acquireForWrite(handle);
        }
    }

    private void notifyHeader() {
        cluster.watches.notify(watchKey(), Buffer.buffer());
    }

    // --- object versions ---

    /** Where the head ({@code null}) or a snapshot sees object versions. */
    private long pointOf(Long snapId) {
        return snapId == null ? ObjectVersion.HEAD : snap(snapId).point();
    }

    private long sizeAt(long point) {
        return point == ObjectVersion.HEAD ? size : byPoint.get(point).size();
    }

    /** The object map at {@code snapId} (null: head), from the version index. */
    ObjectState[] objectMap(Long snapId) {
        long point = pointOf(snapId);
        return index.objectMap(point, (sizeAt(point) + objectSize - 1) / objectSize);
    }

    // --- I/O ---

    Buffer read(EmbeddedImage handle, long offset, int length) throws IOException {
        handle.checkOpen();
        long point = pointOf(handle.snapId());
        long limit = sizeAt(point);
        if (offset < 0 || length < 0 || offset > limit) {
            throw ClusterException.invalid("read of " + length + " bytes at " + offset + " is outside the image (size "
                + limit + ")");
        }
        int n = (int) Math.min(length, limit - offset);
        byte[] out = new byte[n];
        readInto(point, offset, ByteBuffer.wrap(out));
        accessed = Instant.ofEpochMilli(System.currentTimeMillis());
        return Buffer.buffer(out);
    }

    /** Several extents into one buffer, in order; each must lie within the image. */
    Buffer readExtents(EmbeddedImage handle, List<Extent> extents) throws IOException {
        handle.checkOpen();
        long point = pointOf(handle.snapId());
        long limit = sizeAt(point);
        long total = 0;
        for (Extent e : extents) {
            if (e.offset() + e.length() > limit) {
                throw ClusterException.invalid("read of " + e.length() + " bytes at " + e.offset()
                    + " is outside the image (size " + limit + ")");
            }
            total += e.length();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw ClusterException.invalid("reading " + total + " bytes at once is more than one buffer holds");
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        for (Extent e : extents) {
            readInto(point, e.offset(), ByteBuffer.wrap(out, at, e.length()));
            at += e.length();
        }
        accessed = Instant.ofEpochMilli(System.currentTimeMillis());
        return Buffer.buffer(out);
    }

    /** Fills {@code into} (zeroed) with the image's bytes at {@code point} from {@code offset}. */
    private void readInto(long point, long offset, ByteBuffer into) throws IOException {
        int n = into.remaining();
        int base = into.position();
        int done = 0;
        while (done < n) {
            long pos = offset + done;
            long objno = pos >>> order;
            int within = (int) (pos & (objectSize - 1));
            int chunk = (int) Math.min(n - done, objectSize - within);
            List<ObjectVersion> versions = index.versions(objno);
            int visible = VersionIndex.indexVisibleAt(versions, point);
            if (visible >= 0) {
                files.read(versions, visible, within, into.duplicate().position(base + done).limit(base + done + chunk));
            }
            done += chunk;
        }
    }

    /** Reads version {@code v} of its object (as {@link VersionFiles#read}) into a zeroed buffer. */
    private void readObject(ObjectVersion v, long within, ByteBuffer into) throws IOException {
        List<ObjectVersion> versions = index.versions(v.objno);
        files.read(versions, versions.indexOf(v), within, into);
    }

    void write(EmbeddedImage handle, long offset, ByteBuffer data, StoreExecutor.Completion done)
        throws IOException, SQLException {
        checkWritableHead(handle, "write");
        checkRange(offset, data.remaining());
        if (!journaling()) {
            applyWrite(offset, data);
            done.succeeded();
            return;
        }
        journalThenApply(JournalEvents.splitWrite(offset, data, journal.maxAppendSize()), at -> applyWrite(offset, data),
            done);
    }

    private void applyWrite(long offset, ByteBuffer data) throws IOException {
        long length = data.remaining();
        long done = 0;
        while (done < length) {
            long pos = offset + done;
            long objno = pos >>> order;
            long within = pos & (objectSize - 1);
            int chunk = (int) Math.min(length - done, objectSize - within);
            ByteBuffer slice = data.slice(data.position() + (int) done, chunk);
            writeObject(objno, within, slice);
            done += chunk;
        }
        touchModified();
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > ioSize) {
            throw ClusterException.invalid("I/O of " + length + " bytes at " + offset + " goes past the end of image "
                + spec() + " (size " + ioSize + ")");
        }
    }

    private void writeObject(long objno, long within, ByteBuffer slice) throws IOException {
        ObjectVersion head = index.head(objno);
        ObjectVersion target = planner.writeTarget(objno, head, within == 0 && slice.remaining() == objectSize, snapSeq);
        if (target != head) {
            files.prepareNewFile();
        }
        long end = files.write(target, within, slice);
        boolean wasWhole = target.written != null && target.written.covers(0, objectSize);
        recordWritten(target, within, end);
        boolean filled = target.written == null ? end == objectSize : target.written.covers(0, objectSize);
        if (filled && (end == objectSize || !wasWhole)) {
            // a writer has filled the object (also when its pieces came out of order, as a
            // replayer's do): start its writeback now
            files.writeBackSoon(target);
        }
    }

    /** Notes that {@code v} wrote {@code [start, end)}, materialising it when the planner says so. */
    private void recordWritten(ObjectVersion v, long start, long end) throws IOException {
        if (planner.recordWritten(v, start, end)) {
            files.materialize(index.versions(v.objno), v, objectSize);
            planner.materialized(v);
        }
    }

    void discard(EmbeddedImage handle, long offset, long length, StoreExecutor.Completion done)
        throws IOException, SQLException {
        checkWritableHead(handle, "discard");
        checkRange(offset, length);
        if (!journaling()) {
            applyDiscard(offset, length);
            done.succeeded();
            return;
        }
        journalThenApply(List.of(new JournalEvent.Discard(offset, length)), at -> applyDiscard(offset, length), done);
    }

    private void applyDiscard(long offset, long length) throws IOException {
        long done = 0;
        while (done < length) {
            long pos = offset + done;
            long objno = pos >>> order;
            long within = pos & (objectSize - 1);
            long chunk = Math.min(length - done, objectSize - within);
            discardObject(objno, within, chunk);
            done += chunk;
        }
        touchModified();
    }

    private void discardObject(long objno, long within, long length) throws IOException {
        ObjectVersion head = index.head(objno);
        if (head == null) {
            return;
        }
        if (within == 0 && length == objectSize) {
            planner.dropHead(head, snapSeq);
            return;
        }
        if (!head.overlay && within >= files.length(head)) {
            return; // already reads as zeros
        }
        ObjectVersion target = planner.discardTarget(head, snapSeq);
        if (target != head) {
            files.createdEmpty(target);
        }
        files.zero(target, within, length);
        if (target.overlay) {
            recordWritten(target, within, within + length); // zeros now, not the base's bytes
        }
    }

    private void touchModified() {
        modified = Instant.ofEpochMilli(System.currentTimeMillis());
        timestampsDirty = true;
    }

    /**
     * Makes every write so far durable: fsync the written files and the directories that gained
     * files, then commit the versions pointing at them, then delete the files no longer referenced.
     */
    void flush() throws IOException, SQLException {
        boolean position = journal != null && journal.hasUnsavedPosition();
        if (files.isSynced() && !index.hasUncommitted() && !timestampsDirty && !position) {
            return;
        }
        index.releasedFiles().forEach(files::forget);
        files.sync();
        Set<Long> changed = index.changedObjects();
        List<JournalPosition> applied = position ? journal.appliedPosition() : null;
        cluster.metadata.transaction(tx -> {
            VersionRows.save(tx, imageId, changed, index::versions);
            tx.update("UPDATE images SET modified = ?, accessed = ? WHERE id = ?",
                modified.toEpochMilli(), accessed.toEpochMilli(), imageId);
            if (position) {
                journal.saveApplied(tx);
            }
            return null;
        });
        index.committed(changed);
        timestampsDirty = false;
        files.delete(index.releasedFiles());
        index.releasedDeleted();
        if (position) {
            journal.savedApplied(applied);
        }
    }

    /** A user's flush: on a journaling image it is a journal entry too, applied in its turn. */
    void userFlush(EmbeddedImage handle, StoreExecutor.Completion done) throws IOException, SQLException {
        handle.checkOpen();
        if (!journaling()) {
            flush();
            done.succeeded();
            return;
        }
        journalThenApply(List.of(new JournalEvent.Flush()), at -> {
            journal.applied(at); // the flush commits itself too
            flush();
        }, done);
    }

    // --- the journal ---

    /** Whether I/O on the head goes through the journal; a replayed copy's does not, as librbd stops appending then. */
    private boolean journaling() {
        return journal != null && !isNonPrimary();
    }

    @FunctionalInterface
    private interface Apply {
        void apply(List<JournalPosition> positions) throws IOException, SQLException;
    }

    /**
     * Appends {@code events} to the journal; once they are durable, applies them on the lane (after
     * every earlier entry, as durability and the lane keep order), then completes {@code done}.
     */
    private void journalThenApply(List<JournalEvent> events, Apply apply, StoreExecutor.Completion done)
        throws IOException, SQLException {
        ImageJournal appendedTo = journal;
        List<List<JournalPosition>> positions = new ArrayList<>(1);
        Runnable applyOnLane = () -> lane.execute(() -> {
            try {
                apply.apply(positions.get(0));
                if (journal == appendedTo) {
                    journal.applied(positions.get(0));
                }
                done.succeeded();
            } catch (Throwable failure) {
                done.failed(failure);
            }
        });
        positions.add(appendedTo.append(events, applyOnLane, done::failed));
    }

    @FunctionalInterface
    private interface Op {
        void run() throws IOException, SQLException;
    }

    /**
     * Runs a snapshot operation; on a journaling image as librbd's two entries: the op event is
     * durable before the op runs (on the lane, in journal order), then {@code OpFinish} with its
     * result is appended, and {@code done} hears once that is durable too.
     */
    private void journaledOp(LongFunction<JournalEvent> opEvent, Op op, StoreExecutor.Completion done)
        throws IOException, SQLException {
        if (!journaling()) {
            op.run();
            done.succeeded();
            return;
        }
        long opTid = journal.allocateOpTid();
        Throwable[] failure = new Throwable[1];
        StoreExecutor.Completion finished = new StoreExecutor.Completion() {
            @Override
            public void succeeded() {
                if (failure[0] == null) {
                    done.succeeded();
                } else {
                    done.failed(failure[0]);
                }
            }

            @Override
            public void failed(Throwable f) {
                done.failed(f);
            }
        };
        journalThenApply(List.of(opEvent.apply(opTid)), at -> failure[0] = attempt(op), new StoreExecutor.Completion() {
            @Override
            public void succeeded() {
                try {
                    journalThenApply(List.of(new JournalEvent.OpFinish(opTid, result(failure[0]))), at -> {
                    }, finished);
                } catch (IOException | SQLException | RuntimeException e) {
                    done.failed(e);
                }
            }

            @Override
            public void failed(Throwable f) {
                done.failed(f);
            }
        });
    }

    private static Throwable attempt(Op op) {
        try {
            op.run();
            return null;
        } catch (IOException | SQLException | RuntimeException e) {
            return e;
        }
    }

    /** OpFinish's {@code r}: 0 or a negative errno. */
    private static int result(Throwable failure) {
        if (failure == null) {
            return 0;
        }
        return -(failure instanceof ClusterException c ? c.errno() : Errno.EIO).code();
    }

    /** How far its journal is durable, for a peer reading it from another lane; null without journal. */
    ImageJournal.DurableEnd journalDurableEnd() {
        ImageJournal j = journal;
        return j == null ? null : j.durableEnd();
    }

    /** A journal-mode demotion or promotion starts a new tag, as librbd's journal Demote/PromoteRequest do. */
    void journalNewTag(ImageJournal.TagRule rule) throws IOException, SQLException {
        if (journal != null) {
            flush(); // the tag links to the image client's committed position
            journal.newTag(rule);
        }
    }

    /** Opens the journal (creating its header for an image that has none yet) and applies what it holds past the image's position. */
    private void openJournal() throws IOException, SQLException {
        cluster.metadata.transaction(tx -> {
            if (JournalRows.header(tx, imageId).isEmpty()) {
                ImageJournal.create(tx, imageId, cluster.journalLayout);
            }
            return null;
        });
        List<ImageJournal.Found> pending = new ArrayList<>();
        journal = ImageJournal.open(cluster.metadata, cluster.dataDir, imageId, cluster.executor.syncPool(), pending);
        Set<List<Long>> failedOps = failedOps(pending);
        for (ImageJournal.Found f : pending) {
            JournalEvent event = JournalEvents.decode(f.entry().payload()).event();
            List<JournalPosition> at = List.of(f.position());
            if (event instanceof JournalEvent.Write w) {
                applyWrite(w.offset(), ByteBuffer.wrap(w.data()));
            } else if (event instanceof JournalEvent.Discard d) {
                applyDiscard(d.offset(), d.length());
            } else if (event instanceof JournalEvent.Resize r) {
                applyResize(r.size(), at);
            } else if (!failedOps.contains(List.of(f.entry().tagTid(), opTid(event)))) {
                redoSnapOp(event);
            }
            journal.applied(at);
        }
        ioSize = size;
        flush();
    }

    /** The (tag, op tid) of the operations whose OpFinish recorded a failure. */
    private static Set<List<Long>> failedOps(List<ImageJournal.Found> entries) {
        Set<List<Long>> failed = new HashSet<>();
        for (ImageJournal.Found f : entries) {
            if (JournalEvents.decode(f.entry().payload()).event() instanceof JournalEvent.OpFinish o && o.result() != 0) {
                failed.add(List.of(f.entry().tagTid(), o.opTid()));
            }
        }
        return failed;
    }

    private static long opTid(JournalEvent event) {
        if (event instanceof JournalEvent.SnapCreate c) {
            return c.opTid();
        }
        if (event instanceof JournalEvent.SnapRemove r) {
            return r.opTid();
        }
        return event instanceof JournalEvent.SnapRollback r ? r.opTid() : -1;
    }

    /**
     * On open, a snapshot op the journal holds past the image's position runs again unless its
     * OpFinish recorded a failure: it may or may not have committed before the crash, so a create
     * whose snapshot exists and a remove whose snapshot is gone are done already; a rollback is
     * redone, and the later entries replayed after it leave the head as it was.
     */
    private void redoSnapOp(JournalEvent event) throws IOException, SQLException {
        if (event instanceof JournalEvent.SnapCreate c && !hasSnapNamed(c.snapName())) {
            createSnap(c.snapName(), SnapNamespace.USER, null);
        } else if (event instanceof JournalEvent.SnapRemove r && hasSnapNamed(r.snapName())) {
            removeSnap(snapNamed(r.snapName()));
        } else if (event instanceof JournalEvent.SnapRollback r && hasSnapNamed(r.snapName())) {
            rollbackTo(snapNamed(r.snapName()));
        }
    }

    private boolean hasSnapNamed(String snapName) {
        return snaps.values().stream().anyMatch(s -> s.name().equals(snapName));
    }

    // --- header changes: each one commits in a single transaction after a flush ---

    /**
     * Commits {@code plan} with {@code header} in one transaction: the files it needs are written
     * and fsync'ed first, the files it drops deleted after; a failure deletes the new files again.
     */
    private void commit(VersionPlan plan, Metadata.SqlWork<Void> header) throws IOException, SQLException {
        try {
            files.fill(plan, index);
            files.sync();
            cluster.metadata.transaction(tx -> {
                VersionRows.save(tx, imageId, plan.lists().keySet(), objno -> plan.lists().get(objno));
                return header.apply(tx);
            });
        } catch (IOException | SQLException | RuntimeException e) {
            files.delete(plan.newFiles());
            throw e;
        }
        index.apply(plan);
        files.delete(plan.dropped());
    }

    void resize(EmbeddedImage handle, long newSize, StoreExecutor.Completion done) throws IOException, SQLException {
        checkWritableHead(handle, "resize");
        FeatureRules.checkResize(features, newSize, order);
        if (newSize < 0) {
            throw ClusterException.invalid("size must not be negative");
        }
        if (!journaling()) {
            applyResize(newSize, null);
            done.succeeded();
            return;
        }
        ioSize = newSize;
        journalThenApply(List.of(new JournalEvent.Resize(newSize)), at -> applyResize(newSize, at), done);
    }

    /** Resizes; with {@code journalPosition} the journal's commit position moves in the same transaction. */
    private void applyResize(long newSize, List<JournalPosition> journalPosition) throws IOException, SQLException {
        flush();
        if (journalPosition != null) {
            journal.applied(journalPosition);
        }
        ObjectVersion cut = planner.cutHead(size, newSize);
        long cutFileLength = cut == null || cut.overlay ? 0 : files.length(cut);
        commit(planner.resize(size, newSize, snapSeq, cutFileLength), tx -> {
            tx.update("UPDATE images SET size = ? WHERE id = ?", newSize, imageId);
            if (journalPosition != null) {
                journal.saveApplied(tx);
            }
            return null;
        });
        size = newSize;
        if (journalPosition == null) {
            ioSize = newSize;
        } else {
            journal.savedApplied(journal.appliedPosition());
        }
        notifyHeader();
    }

    void updateFeatures(EmbeddedImage handle, Set<ImageFeature> change, boolean enable)
        throws IOException, SQLException {
        handle.checkOpen();
        if (handle.snapId() != null) {
            throw new ClusterException(Errno.EROFS, "cannot update features: the image is open at a snapshot");
        }
        FeatureRules.Update update = FeatureRules.update(features, change, enable);
        long next = update.features();
        long before = features;
        boolean flagsChange = update.setFlags() != 0 || update.clearFlags() != 0;
        ObjectMapFlags flags = objectMapFlags().copy();
        flags.change(update.setFlags(), true, snapSeq, snaps.keySet());
        flags.change(update.clearFlags(), false, snapSeq, snaps.keySet());
        long journalingBit = ImageFeature.JOURNALING.bit();
        boolean journalOn = (before & journalingBit) == 0 && (next & journalingBit) != 0;
        boolean journalOff = (before & journalingBit) != 0 && (next & journalingBit) == 0;
        if (journalOn || journalOff) {
            flush(); // the journal starts (or ends) at a committed image
        }
        Runnable afterCommit = cluster.metadata.transaction(tx -> {
            tx.update("UPDATE images SET features = ? WHERE id = ?", next, imageId);
            if (flagsChange) {
                saveObjectMapFlags(tx, flags);
            }
            if (journalOn) {
                ImageJournal.create(tx, imageId, cluster.journalLayout);
            } else if (journalOff) {
                JournalRows.delete(tx, imageId);
            }
            return ImageMirroring.onFeaturesUpdate(tx, this, before, next);
        });
        features = next;
        objectMapFlags = flags;
        if (journalOn) {
            openJournal();
        } else if (journalOff) {
            journal.close();
            journal = null;
            Recovery.deleteTree(ImageJournal.dir(cluster.dataDir, imageId));
        }
        afterCommit.run();
        if (!hasFeature(ImageFeature.EXCLUSIVE_LOCK)) {
            lock.clear();
        }
        notifyHeader();
    }

    // --- snapshots ---

    List<SnapInfo> listSnaps(EmbeddedImage handle) {
        handle.checkOpen();
        return snaps.values().stream().map(Snap::info).toList();
    }

    /** {@code created} hears the new snapshot's id before {@code done} completes. */
    void createUserSnap(EmbeddedImage handle, String snapName, LongConsumer created, StoreExecutor.Completion done)
        throws IOException, SQLException {
        Names.checkSnap(snapName);
        checkWritableHead(handle, "create snapshot");
        checkNameFree(snapName);
        journaledOp(opTid -> new JournalEvent.SnapCreate(opTid, snapName),
            () -> created.accept(createSnap(snapName, SnapNamespace.USER, null)), done);
    }

    private long createSnap(String snapName, SnapNamespace ns, MirrorSnapshotInfo mirror) throws IOException, SQLException {
        checkNameFree(snapName);
        return createSnap(ns, tx -> new SnapPlan(snapName, mirror));
    }

    private void checkNameFree(String snapName) {
        if (hasSnapNamed(snapName)) {
            throw ClusterException.exists("snapshot '" + snapName + "' already exists");
        }
    }

    private long createSnap(SnapNamespace ns, Metadata.SqlWork<SnapPlan> plan) throws IOException, SQLException {
        flush();
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        SnapPlan[] planned = new SnapPlan[1];
        long id = cluster.metadata.transaction(tx -> {
            SnapPlan p = plan.apply(tx);
            checkNameFree(p.name());
            planned[0] = p;
            long allocated = allocateSnapSeq(tx);
            tx.update("INSERT INTO snaps (image_id, snap_id, name, snap_namespace, size, created, protected, mirror)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 0, ?)", imageId, allocated, p.name(), ns.name(), size,
                now.toEpochMilli(), p.mirror() == null ? null : MirrorSnapshotCodec.encode(p.mirror()));
            tx.update("UPDATE images SET snap_seq = ? WHERE id = ?", allocated, imageId);
            return allocated;
        });
        String snapName = planned[0].name();
        MirrorSnapshotInfo mirror = planned[0].mirror();
        Snap created = new Snap(id, snapName, ns, size, now, false, mirror);
        snaps.put(id, created);
        byPoint.put(id, created);
        snapSeq = id;
        notifyHeader();
        return id;
    }

    void removeSnap(EmbeddedImage handle, String snapName, StoreExecutor.Completion done)
        throws IOException, SQLException {
        handle.checkOpen();
        removeSnapJournaled(snapNamed(snapName), done);
    }

    void removeSnapById(EmbeddedImage handle, long snapId, StoreExecutor.Completion done)
        throws IOException, SQLException {
        handle.checkOpen();
        removeSnapJournaled(snap(snapId), done);
    }

    private void removeSnapJournaled(Snap s, StoreExecutor.Completion done) throws IOException, SQLException {
        journaledOp(opTid -> new JournalEvent.SnapRemove(opTid, s.name()), () -> removeSnap(snapNamed(s.name())), done);
    }

    private void removeSnap(Snap s) throws IOException, SQLException {
        if (s.isProtected()) {
            throw new ClusterException(Errno.EBUSY, "snapshot '" + s.name() + "' is protected from removal");
        }
        flush();
        snaps.remove(s.id());
        byPoint.remove(s.point());
        try {
            commit(planner.dropUnseen(), tx -> {
                tx.update("DELETE FROM snaps WHERE image_id = ? AND snap_id = ?", imageId, s.id());
                return null;
            });
        } catch (IOException | SQLException | RuntimeException e) {
            snaps.put(s.id(), s);
            byPoint.put(s.point(), s);
            throw e;
        }
        notifyHeader();
    }

    /**
     * A copy into a non-primary snapshot is complete: the snapshot becomes what the head is now, as
     * if taken at this moment. It gets a new point from the pool's sequence (later writes copy on
     * write relative to it) and its size is the head's; versions only its old point saw are dropped.
     * One transaction, after a flush, like every header change.
     */
    private void completeCopy(Snap s, MirrorSnapshotInfo completed) throws IOException, SQLException {
        flush();
        byPoint.remove(s.point());
        long[] allocated = new long[1];
        try {
            commit(planner.dropUnseen(), tx -> {
                allocated[0] = allocateSnapSeq(tx);
                tx.update("UPDATE snaps SET point = ?, size = ?, mirror = ? WHERE image_id = ? AND snap_id = ?",
                    allocated[0], size, MirrorSnapshotCodec.encode(completed), imageId, s.id());
                tx.update("UPDATE images SET snap_seq = ? WHERE id = ?", allocated[0], imageId);
                return null;
            });
        } catch (IOException | SQLException | RuntimeException e) {
            byPoint.put(s.point(), s);
            throw e;
        }
        Snap retaken = s.retakenAt(allocated[0], size, completed);
        snaps.put(s.id(), retaken);
        byPoint.put(retaken.point(), retaken);
        snapSeq = retaken.point();
        notifyHeader();
    }

    private long allocateSnapSeq(Metadata.Tx tx) throws SQLException {
        tx.update("UPDATE pools SET snap_seq = snap_seq + 1 WHERE id = ?", poolId);
        return tx.queryOne("SELECT snap_seq FROM pools WHERE id = ?", r -> r.getLong(1), poolId)
            .orElseThrow(() -> ClusterException.notFound("pool of image " + spec() + " does not exist"));
    }

    void rollbackSnap(EmbeddedImage handle, String snapName, StoreExecutor.Completion done)
        throws IOException, SQLException {
        Snap s = snapNamed(snapName);
        checkWritableHead(handle, "roll back");
        if (journaling()) {
            ioSize = s.size(); // I/O issued after the rollback is checked against the size it leaves
        }
        journaledOp(opTid -> new JournalEvent.SnapRollback(opTid, snapName), () -> rollbackTo(snapNamed(snapName)), done);
    }

    private void rollbackTo(Snap s) throws IOException, SQLException {
        flush();
        commit(planner.rollback(s.point(), snapSeq), tx -> {
            tx.update("UPDATE images SET size = ? WHERE id = ?", s.size(), imageId);
            return null;
        });
        size = s.size();
        ioSize = size;
        touchModified();
        notifyHeader();
    }

    void setProtected(EmbeddedImage handle, String snapName, boolean protect) throws SQLException {
        handle.checkOpen();
        Snap s = snapNamed(snapName);
        if (protect && !hasFeature(ImageFeature.LAYERING)) {
            throw new ClusterException(Errno.ENOSYS, "image must support layering");
        }
        if (protect && s.isProtected()) {
            throw new ClusterException(Errno.EBUSY, "snapshot '" + snapName + "' is already protected");
        }
        if (!protect && !s.isProtected()) {
            throw ClusterException.invalid("snapshot '" + snapName + "' is already unprotected");
        }
        cluster.metadata.transaction(tx -> tx.update("UPDATE snaps SET protected = ? WHERE image_id = ? AND snap_id = ?",
            protect ? 1 : 0, imageId, s.id()));
        replaceSnap(s.withProtected(protect));
        notifyHeader();
    }

    private void replaceSnap(Snap s) {
        snaps.put(s.id(), s);
        byPoint.put(s.point(), s);
    }

    // --- diff ---

    /** Extents changed between {@code fromSnapId} (null: the beginning) and the handle's point. */
    List<DiffExtent> diff(EmbeddedImage handle, Long fromSnapId, long offset, long length, boolean wholeObject)
        throws IOException {
        handle.checkOpen();
        long to = pointOf(handle.snapId());
        long from = ImageDiff.BEGINNING;
        if (fromSnapId != null) {
            from = snap(fromSnapId).point();
            if (from > to) {
                throw ClusterException.invalid("snapshot id " + fromSnapId + " is newer than the end of the diff");
            }
        }
        if (offset < 0 || length < 0) {
            throw ClusterException.invalid("diff range must not be negative");
        }
        return new ImageDiff(order, index.objnos(), index::visibleAt, index::versions, this::readObject)
            .between(from, to, sizeAt(to), offset, length, wholeObject);
    }

    // --- exclusive lock ---

    void lockAcquire(EmbeddedImage handle) {
        handle.checkOpen();
        if (!hasFeature(ImageFeature.EXCLUSIVE_LOCK)) {
            throw ClusterException.invalid("exclusive-lock feature is not enabled on image " + spec());
        }
        if (handle.snapId() != null) {
            throw new ClusterException(Errno.EROFS, "cannot lock an image opened at a snapshot");
        }
        if (handle.isBlocklisted()) {
            throw new ClusterException(Errno.ESHUTDOWN, "the exclusive lock of this client was broken");
        }
        lock.acquire(handle);
    }

    void lockRelease(EmbeddedImage handle) throws IOException, SQLException {
        handle.checkOpen();
        flush();
        lock.release(handle);
    }

    List<String> lockOwners(EmbeddedImage handle) {
        handle.checkOpen();
        if (!hasFeature(ImageFeature.EXCLUSIVE_LOCK)) {
            throw ClusterException.invalid("exclusive-lock feature is not enabled on image " + spec());
        }
        return lock.owners();
    }

    void lockBreak(EmbeddedImage handle, String owner) {
        handle.checkOpen();
        if (!hasFeature(ImageFeature.EXCLUSIVE_LOCK)) {
            throw ClusterException.invalid("exclusive-lock feature is not enabled on image " + spec());
        }
        lock.breakLock(owner).blocklist();
    }

    // --- mirror-snapshots (storage side; the mirroring rules come with the mirroring issue) ---

    long mirrorCreatePrimarySnapshot(EmbeddedImage handle) throws IOException, SQLException {
        return ImageMirroring.createSnapshot(this, handle);
    }

    long mirrorCreateNonPrimarySnapshot(EmbeddedImage handle, String primaryMirrorUuid, long primarySnapId,
                                        Map<Long, Long> snapSeqs) throws IOException, SQLException {
        checkHeadHandle(handle);
        if (MirrorSnapshots.isPrimaryMirrored(features, snaps)) {
            throw ClusterException.invalid("image " + spec() + " is primary");
        }
        return createSnap(MirrorSnapshots.nonPrimaryName(globalId()), SnapNamespace.MIRROR,
            MirrorSnapshots.nonPrimary(primaryMirrorUuid, primarySnapId, snapSeqs));
    }

    void mirrorSnapshotSetCopyProgress(EmbeddedImage handle, long snapId, boolean complete, long lastCopied)
        throws IOException, SQLException {
        handle.checkOpen();
        Snap s = snap(snapId);
        MirrorSnapshotInfo updated = MirrorSnapshots.withCopyProgress(s, complete, lastCopied);
        if (complete && !s.mirror().complete()) {
            completeCopy(s, updated);
        } else {
            updateMirror(s, updated);
        }
    }

    void mirrorSnapshotUnlinkPeer(EmbeddedImage handle, long snapId, String peerUuid) throws IOException, SQLException {
        handle.checkOpen();
        Snap s = snap(snapId);
        MirrorSnapshots.withoutPeer(s, peerUuid);
        ImageMirroring.unlink(this, snapshots(), snapId, peerUuid);
    }

    private void checkHeadHandle(EmbeddedImage handle) {
        handle.checkOpen();
        if (handle.snapId() != null) {
            throw new ClusterException(Errno.EROFS, "cannot create a snapshot of an image opened at a snapshot");
        }
    }

    private void updateMirror(Snap s, MirrorSnapshotInfo info) throws SQLException {
        cluster.metadata.transaction(tx -> tx.update("UPDATE snaps SET mirror = ? WHERE image_id = ? AND snap_id = ?",
            MirrorSnapshotCodec.encode(info), imageId, s.id()));
        replaceSnap(s.withMirror(info));
        notifyHeader();
    }

    /** The image's mirroring global id, reserved on first use (mirroring state stays disabled). */
    private String globalId() throws SQLException {
        return cluster.metadata.transaction(tx -> {
            var existing = tx.queryOne("SELECT global_id FROM mirror_images WHERE image_id = ?", r -> r.getString(1),
                imageId);
            if (existing.isPresent()) {
                return existing.get();
            }
            String id = UUID.randomUUID().toString();
            tx.update("INSERT INTO mirror_images (image_id, global_id) VALUES (?, ?)", imageId, id);
            return id;
        });
    }

    // --- closing ---

    /** A handle closes: its lock goes, its writes are flushed (librbd flushes on close). */
    void closeHandle(EmbeddedImage handle) throws IOException, SQLException {
        lock.releaseIfOwner(handle);
        flush();
    }

    /** The cluster closes: flush and close the files. */
    Future<Void> shutdown() {
        return cluster.executor.run(lane, () -> {
            flush();
            closeFiles();
            return null;
        });
    }

    /** After the last handle is gone (on the image lane). */
    void closeFiles() throws IOException {
        files.close();
        if (journal != null) {
            journal.close();
        }
    }

    // --- consistency check (tests and `fsck`) ---

    /** Problems between the version index and the files; empty when consistent. */
    List<String> check() throws IOException {
        List<String> problems = new ArrayList<>(files.problems(index, objectSize));
        problems.addAll(index.problems());
        return problems;
    }
}
