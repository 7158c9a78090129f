package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Extent;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One image's block store, shared by all its open handles and driven only from its lane.
 *
 * <p>Data objects are files {@code objects/<data pool>/<image id>/<objno>.<gen>}. Each file is one
 * {@link ObjectVersion}; a snapshot shares the head's file until the first write after it, which
 * copies the file to a new generation (copy-on-write, like RADOS clones). Writes go to the files
 * at once; which versions exist is kept in memory and committed to SQLite only after the data it
 * points at is fsync'ed: at flush for writes and discards, before every header change. A crash
 * therefore leaves the last committed (flushed) versions plus unreferenced files, which
 * {@link Recovery} deletes.
 */
final class ImageStore {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 16);
    /** Ranges an object version tracks before it is merged (overlay) or rounded up (others). */
    static final int MAX_WRITTEN_RANGES = 64;

    private final ClusterStore cluster;
    private final String imageId;
    private final SerialLane lane;
    private final Function<ImageStore, Future<Void>> onRelease;
    private final Path dir;
    private final ChannelCache channels;
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
    private final Map<Long, List<ObjectVersion>> objects = new HashMap<>();
    private long nextGen;

    // Changes made since the last commit: objects whose version list changed, files written
    // but not yet fsync'ed, files no longer referenced (deleted once the commit is done).
    private final Set<Long> dirtyObjects = new HashSet<>();
    private final DirtyFiles unsyncedFiles;
    private final List<String> filesToDelete = new ArrayList<>();
    private boolean dirsUnsynced;
    private boolean timestampsDirty;

    private int refs;
    /** Journal-mirrored and not primary: librbd's journal tag owner is not local. */
    private volatile boolean journalNonPrimary;

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
        this.order = header.order;
        this.objectSize = 1L << header.order;
        this.features = header.features;
        this.snapSeq = header.snapSeq;
        this.dataPoolName = header.dataPoolId == header.poolId ? null : header.dataPoolName;
        this.created = Instant.ofEpochMilli(header.created);
        this.accessed = Instant.ofEpochMilli(header.accessed);
        this.modified = Instant.ofEpochMilli(header.modified);
        this.dir = ClusterStore.imageDir(cluster.dataDir, header.dataPoolId, imageId);
        this.channels = new ChannelCache(dir);
        this.unsyncedFiles = new DirtyFiles(cluster.executor.syncPool(), channels::path);
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
            long[] maxGen = {0};
            tx.query("SELECT objno, gen, born, died FROM object_versions WHERE image_id = ? ORDER BY objno, gen", r -> {
                long died = r.getLong(4);
                if (r.wasNull()) {
                    died = ObjectVersion.HEAD;
                }
                ObjectVersion v = new ObjectVersion(r.getLong(1), r.getLong(2), r.getLong(3), died);
                maxGen[0] = Math.max(maxGen[0], v.gen);
                return image.objects.computeIfAbsent(v.objno, k -> new ArrayList<>()).add(v);
            }, imageId);
            tx.query("SELECT objno, gen, overlay, extents FROM object_extents WHERE image_id = ?", r -> {
                for (ObjectVersion v : image.objects.getOrDefault(r.getLong(1), List.of())) {
                    if (v.gen == r.getLong(2)) {
                        v.overlay = r.getInt(3) != 0;
                        v.written = ExtentSet.decode(r.getBytes(4));
                    }
                }
                return null;
            }, imageId);
            image.nextGen = maxGen[0] + 1;
            image.journalNonPrimary = ImageMirroring.isJournalNonPrimary(tx, imageId);
            return image;
        });
        loaded.nextGen = Math.max(loaded.nextGen, loaded.maxGenOnDisk() + 1);
        return loaded;
    }

    private long maxGenOnDisk() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> ObjectFiles.genOf(p.getFileName().toString())).max().orElse(0);
        }
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

    private ObjectVersion head(long objno) {
        List<ObjectVersion> versions = objects.get(objno);
        if (versions == null) {
            return null;
        }
        ObjectVersion last = versions.get(versions.size() - 1);
        return last.isHead() ? last : null;
    }

    private ObjectVersion visibleAt(long objno, long point) {
        List<ObjectVersion> versions = objects.get(objno);
        if (versions != null) {
            for (ObjectVersion v : versions) {
                if (v.visibleAt(point)) {
                    return v;
                }
            }
        }
        return null;
    }

    /** Whether neither the head nor any snapshot sees {@code v} (a base kept for an overlay). */
    private boolean isUnseen(ObjectVersion v) {
        return !v.isHead() && byPoint.subMap(v.born, false, v.died, true).isEmpty();
    }

    /** Whether an existing snapshot sees this head version (so it must not change in place). */
    private boolean isShared(ObjectVersion head) {
        return byPoint.higherKey(head.born) != null;
    }

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
        long count = (sizeAt(point) + objectSize - 1) / objectSize;
        Long previous = byPoint.lowerKey(point);
        long since = previous == null ? Long.MIN_VALUE : previous;
        ObjectState[] map = new ObjectState[(int) count];
        for (int objno = 0; objno < count; objno++) {
            ObjectVersion v = visibleAt(objno, point);
            map[objno] = v == null ? ObjectState.NONEXISTENT : v.born >= since ? ObjectState.EXISTS : ObjectState.EXISTS_CLEAN;
        }
        return map;
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
            List<ObjectVersion> versions = objects.get(objno);
            int index = versions == null ? -1 : indexVisibleAt(versions, point);
            if (index >= 0) {
                readVersion(versions, index, within, into.duplicate().position(base + done).limit(base + done + chunk));
            }
            done += chunk;
        }
    }

    /**
     * Reads version {@code versions[index]} of an object at {@code within} into a zeroed buffer:
     * its own file where it wrote (all of it when that is unknown), its base where an overlay did
     * not write, zeros elsewhere.
     */
    private void readVersion(List<ObjectVersion> versions, int index, long within, ByteBuffer into)
        throws IOException {
        ObjectVersion v = versions.get(index);
        if (v.written == null) {
            readFully(v.fileName(), within, into);
            return;
        }
        long end = within + into.remaining();
        int base = into.position();
        for (long[] r : v.written.list()) {
            long s = Math.max(r[0], within);
            long e = Math.min(r[1], end);
            if (s < e) {
                readFully(v.fileName(), s, slice(into, base + (int) (s - within), (int) (e - s)));
            }
        }
        if (v.overlay && index > 0) {
            for (long[] g : v.written.gaps(within, end)) {
                readVersion(versions, index - 1, g[0], slice(into, base + (int) (g[0] - within), (int) (g[1] - g[0])));
            }
        }
    }

    private static ByteBuffer slice(ByteBuffer buffer, int position, int length) {
        return buffer.duplicate().limit(position + length).position(position);
    }

    private static int indexVisibleAt(List<ObjectVersion> versions, long point) {
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).visibleAt(point)) {
                return i;
            }
        }
        return -1;
    }

    /** Reads version {@code v} of its object (as {@link #readVersion}) into a zeroed buffer. */
    private void readObject(ObjectVersion v, long within, ByteBuffer into) throws IOException {
        List<ObjectVersion> versions = objects.get(v.objno);
        readVersion(versions, versions.indexOf(v), within, into);
    }

    /** Reads what the file has; bytes past its end stay zero. */
    private void readFully(String fileName, long position, ByteBuffer into) throws IOException {
        FileChannel ch = channels.get(fileName, false);
        long pos = position;
        while (into.hasRemaining()) {
            int r = ch.read(into, pos);
            if (r < 0) {
                return;
            }
            pos += r;
        }
    }

    void write(EmbeddedImage handle, long offset, ByteBuffer data) throws IOException {
        checkWritableHead(handle, "write");
        long length = data.remaining();
        checkRange(offset, length);
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
        if (offset < 0 || length < 0 || offset + length > size) {
            throw ClusterException.invalid("I/O of " + length + " bytes at " + offset + " goes past the end of image "
                + spec() + " (size " + size + ")");
        }
    }

    private void writeObject(long objno, long within, ByteBuffer slice) throws IOException {
        ObjectVersion head = head(objno);
        boolean whole = within == 0 && slice.remaining() == objectSize;
        ObjectVersion target;
        if (head == null) {
            target = newHeadVersion(objno);
        } else if (isShared(head)) {
            target = whole ? replaceHead(head) : overlayOn(head);
        } else {
            target = head;
        }
        FileChannel ch = channels.get(target.fileName(), true);
        long pos = within;
        while (slice.hasRemaining()) {
            pos += ch.write(slice, pos);
        }
        unsyncedFiles.written(target.fileName());
        boolean wasWhole = target.written != null && target.written.covers(0, objectSize);
        recordWritten(target, within, pos);
        boolean filled = target.written == null ? pos == objectSize : target.written.covers(0, objectSize);
        if (filled && (pos == objectSize || !wasWhole)) {
            // a writer has filled the object (also when its pieces came out of order, as a
            // replayer's do): start its writeback now
            unsyncedFiles.syncSoon(target.fileName());
        }
    }

    private ObjectVersion newHeadVersion(long objno) throws IOException {
        return newHeadVersion(objno, false);
    }

    private ObjectVersion newHeadVersion(long objno, boolean overlay) throws IOException {
        ensureDir();
        ObjectVersion v = new ObjectVersion(objno, nextGen++, snapSeq, ObjectVersion.HEAD, overlay, new ExtentSet());
        objects.computeIfAbsent(objno, k -> new ArrayList<>()).add(v);
        dirtyObjects.add(objno);
        dirsUnsynced = true;
        return v;
    }

    /** Ends a head that a snapshot shares; the new head is written whole. */
    private ObjectVersion replaceHead(ObjectVersion head) throws IOException {
        head.died = snapSeq;
        return newHeadVersion(head.objno);
    }

    /**
     * Ends a head that a snapshot shares; the new head holds only what is written from now on and
     * reads the rest from the old one, so a small write after a snapshot copies nothing.
     */
    private ObjectVersion overlayOn(ObjectVersion head) throws IOException {
        head.died = snapSeq;
        ObjectVersion v = newHeadVersion(head.objno, true);
        channels.get(v.fileName(), true);
        unsyncedFiles.written(v.fileName());
        return v;
    }

    /** Notes that {@code v} wrote {@code [start, end)} of its object (persisted at the next flush). */
    private void recordWritten(ObjectVersion v, long start, long end) throws IOException {
        if (v.written == null || !v.written.add(start, end)) {
            return;
        }
        dirtyObjects.add(v.objno);
        if (v.overlay && v.written.covers(0, objectSize)) {
            v.overlay = false; // wrote it all: its base is no longer read, nor kept for it
            List<ObjectVersion> versions = objects.get(v.objno);
            int i = versions.indexOf(v);
            while (i > 0 && isUnseen(versions.get(i - 1))) {
                forgetFile(versions.remove(i - 1).fileName());
                i--;
            }
        } else if (v.written.rangeCount() > MAX_WRITTEN_RANGES) {
            if (v.overlay) {
                materialize(objects.get(v.objno), v);
            } else {
                // bytes it did not write are zeros in its file: the hull reads the same
                long[] first = v.written.list().get(0);
                long[] last = v.written.list().get(v.written.rangeCount() - 1);
                v.written = ExtentSet.of(first[0], last[1]);
            }
        }
    }

    /**
     * Copies the base's bytes into an overlay's unwritten ranges, so that it stands alone. Safe
     * before the commit: the committed overlay reads those ranges from its base, not its file.
     */
    private void materialize(List<ObjectVersion> versions, ObjectVersion v) throws IOException {
        int index = versions.indexOf(v);
        FileChannel ch = channels.get(v.fileName(), true);
        for (long[] g : v.written.gaps(0, objectSize)) {
            ByteBuffer data = ByteBuffer.allocate((int) (g[1] - g[0]));
            if (index > 0) {
                readVersion(versions, index - 1, g[0], data);
            }
            data.clear();
            long pos = g[0];
            while (data.hasRemaining()) {
                pos += ch.write(data, pos);
            }
        }
        v.overlay = false;
        v.written = ExtentSet.of(0, objectSize);
        unsyncedFiles.written(v.fileName());
        dirtyObjects.add(v.objno);
    }

    void discard(EmbeddedImage handle, long offset, long length) throws IOException {
        checkWritableHead(handle, "discard");
        checkRange(offset, length);
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
        ObjectVersion head = head(objno);
        if (head == null) {
            return;
        }
        if (within == 0 && length == objectSize) {
            dropHead(head);
            return;
        }
        if (!head.overlay && within >= channels.get(head.fileName(), false).size()) {
            return; // already reads as zeros
        }
        ObjectVersion target = isShared(head) ? overlayOn(head) : head;
        FileChannel ch = channels.get(target.fileName(), true);
        long fileSize = ch.size();
        if (within < fileSize) {
            if (within + length >= fileSize) {
                ch.truncate(within);
            } else {
                long pos = within;
                long end = within + length;
                while (pos < end) {
                    ByteBuffer z = ZEROS.duplicate();
                    z.limit((int) Math.min(z.capacity(), end - pos));
                    pos += ch.write(z, pos);
                }
            }
            unsyncedFiles.written(target.fileName());
        }
        if (target.overlay) {
            recordWritten(target, within, within + length); // zeros now, not the base's bytes
        }
    }

    /** Ends the head: kept for the snapshots that see it, else dropped with its file. */
    private void dropHead(ObjectVersion head) throws IOException {
        if (isShared(head)) {
            head.died = snapSeq;
        } else {
            List<ObjectVersion> versions = objects.get(head.objno);
            versions.remove(head);
            forgetFile(head.fileName());
            // a base kept only for this overlay goes with it
            while (!versions.isEmpty() && isUnseen(versions.get(versions.size() - 1))) {
                forgetFile(versions.remove(versions.size() - 1).fileName());
            }
            if (versions.isEmpty()) {
                objects.remove(head.objno);
            }
        }
        dirtyObjects.add(head.objno);
    }

    private void forgetFile(String fileName) throws IOException {
        channels.close(fileName);
        unsyncedFiles.forget(fileName);
        filesToDelete.add(fileName);
    }

    private void touchModified() {
        modified = Instant.ofEpochMilli(System.currentTimeMillis());
        timestampsDirty = true;
    }

    private void ensureDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            dirsUnsynced = true;
        }
    }

    /**
     * Makes every write so far durable: fsync the written files and the directories that gained
     * files, then commit the versions pointing at them, then delete the files no longer referenced.
     */
    void flush() throws IOException, SQLException {
        if (unsyncedFiles.isEmpty() && dirtyObjects.isEmpty() && filesToDelete.isEmpty() && !timestampsDirty) {
            return;
        }
        syncFiles();
        Set<Long> changed = Set.copyOf(dirtyObjects);
        cluster.metadata.transaction(tx -> {
            persistVersions(tx, changed, objects);
            tx.update("UPDATE images SET modified = ?, accessed = ? WHERE id = ?",
                modified.toEpochMilli(), accessed.toEpochMilli(), imageId);
            return null;
        });
        dirtyObjects.removeAll(changed);
        timestampsDirty = false;
        deleteFiles(filesToDelete);
        filesToDelete.clear();
    }

    private void syncFiles() throws IOException {
        unsyncedFiles.syncAll();
        if (dirsUnsynced) {
            FileSync.directory(dir);
            FileSync.directory(dir.getParent());
            FileSync.directory(dir.getParent().getParent());
            dirsUnsynced = false;
        }
    }

    private void deleteFiles(List<String> fileNames) throws IOException {
        for (String f : fileNames) {
            channels.close(f);
            unsyncedFiles.forget(f);
            Files.deleteIfExists(channels.path(f));
        }
    }

    private void persistVersions(Metadata.Tx tx, Set<Long> objnos, Map<Long, List<ObjectVersion>> from)
        throws SQLException {
        if (objnos.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = tx.prepare("DELETE FROM object_versions WHERE image_id = ? AND objno = ?");
             PreparedStatement deleteExtents = tx.prepare("DELETE FROM object_extents WHERE image_id = ? AND objno = ?");
             PreparedStatement insertExtents = tx.prepare(
                 "INSERT INTO object_extents (image_id, objno, gen, overlay, extents) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement insert = tx.prepare(
                 "INSERT INTO object_versions (image_id, objno, gen, born, died) VALUES (?, ?, ?, ?, ?)")) {
            for (long objno : objnos) {
                delete.setString(1, imageId);
                delete.setLong(2, objno);
                delete.addBatch();
                deleteExtents.setString(1, imageId);
                deleteExtents.setLong(2, objno);
                deleteExtents.addBatch();
                for (ObjectVersion v : from.getOrDefault(objno, List.of())) {
                    if (v.written != null) {
                        insertExtents.setString(1, imageId);
                        insertExtents.setLong(2, v.objno);
                        insertExtents.setLong(3, v.gen);
                        insertExtents.setInt(4, v.overlay ? 1 : 0);
                        insertExtents.setBytes(5, v.written.encode());
                        insertExtents.addBatch();
                    }
                    insert.setString(1, imageId);
                    insert.setLong(2, v.objno);
                    insert.setLong(3, v.gen);
                    insert.setLong(4, v.born);
                    if (v.isHead()) {
                        insert.setNull(5, java.sql.Types.INTEGER);
                    } else {
                        insert.setLong(5, v.died);
                    }
                    insert.addBatch();
                }
            }
            delete.executeBatch();
            deleteExtents.executeBatch();
            insert.executeBatch();
            insertExtents.executeBatch();
        }
    }

    // --- header changes: each one commits in a single transaction after a flush ---

    /**
     * A planned change of object versions: new version lists for some objects, new files to be
     * made durable before the commit, files to delete after it.
     */
    private final class VersionPlan {
        final Map<Long, List<ObjectVersion>> lists = new HashMap<>();
        final List<String> newFiles = new ArrayList<>();
        /** Existing files written into where the committed versions do not read them (merges). */
        final Set<String> mergedInto = new HashSet<>();
        final List<String> dropped = new ArrayList<>();

        List<ObjectVersion> listOf(long objno) {
            return lists.computeIfAbsent(objno, k -> {
                List<ObjectVersion> copy = new ArrayList<>();
                for (ObjectVersion v : objects.getOrDefault(objno, List.of())) {
                    copy.add(v.copy());
                }
                return copy;
            });
        }

        /** Drops the versions the point just left saw, that no remaining snapshot sees. */
        void dropUnseenAfterLeaving(long point) throws IOException {
            for (Map.Entry<Long, List<ObjectVersion>> e : objects.entrySet()) {
                for (ObjectVersion v : e.getValue()) {
                    // also bases kept earlier: the head above one may no longer be shared
                    if (isUnseen(v)) {
                        prune(listOf(e.getKey()));
                        break;
                    }
                }
            }
        }

        /**
         * Drops the versions nobody sees, newest first. One an overlay reads through is merged into
         * that overlay when it is an overlay itself (only its own bytes are copied, so read chains
         * stay short) or when the overlay is a head no snapshot shares (nothing else would ever
         * free it); otherwise a plain base stays as it is, as copying it would cost a whole object.
         */
        private void prune(List<ObjectVersion> list) throws IOException {
            for (int i = list.size() - 1; i >= 0; i--) {
                ObjectVersion v = list.get(i);
                if (!isUnseen(v)) {
                    continue;
                }
                ObjectVersion next = i + 1 < list.size() ? list.get(i + 1) : null;
                if (next != null && next.overlay) {
                    if (!v.overlay && !(next.isHead() && !isShared(next))) {
                        continue;
                    }
                    mergeInto(list, i, next);
                }
                list.remove(i);
                dropped.add(v.fileName());
            }
        }

        /**
         * Copies what overlay {@code list[i]} wrote and {@code next} did not into {@code next}'s
         * file; {@code next} then reads through to {@code list[i]}'s base. Crash-safe before the
         * commit: the committed {@code next} reads those ranges from its base, not its file.
         */
        private void mergeInto(List<ObjectVersion> list, int i, ObjectVersion next) throws IOException {
            ObjectVersion v = list.get(i);
            ExtentSet missing = v.written != null ? v.written.minus(next.written) : gapsOf(next.written);
            FileChannel ch = channels.get(next.fileName(), true);
            for (long[] r : missing.list()) {
                ByteBuffer data = ByteBuffer.allocate((int) (r[1] - r[0]));
                readVersion(list, i, r[0], data);
                data.clear();
                long pos = r[0];
                while (data.hasRemaining()) {
                    pos += ch.write(data, pos);
                }
            }
            if (v.written == null) {
                next.written = null;
            } else {
                next.written.addAll(v.written);
            }
            next.overlay = v.overlay;
            mergedInto.add(next.fileName());
        }

        private ExtentSet gapsOf(ExtentSet written) {
            ExtentSet gaps = new ExtentSet();
            written.gaps(0, objectSize).forEach(g -> gaps.add(g[0], g[1]));
            return gaps;
        }

        /** Ends the head of {@code objno} in the plan (kept if shared, else dropped). */
        void endHead(long objno) {
            List<ObjectVersion> list = listOf(objno);
            if (list.isEmpty() || !list.get(list.size() - 1).isHead()) {
                return;
            }
            ObjectVersion head = list.get(list.size() - 1);
            if (isShared(head)) {
                head.died = snapSeq;
            } else {
                list.remove(list.size() - 1);
                dropped.add(head.fileName());
                while (!list.isEmpty() && isUnseen(list.get(list.size() - 1))) {
                    dropped.add(list.remove(list.size() - 1).fileName());
                }
            }
        }

        /** A new head for {@code objno} holding the first {@code length} bytes of {@code source}'s file. */
        void newHeadFrom(ObjectVersion source, long length) throws IOException {
            ensureDir();
            // the source is read as committed: the plan may have ended it already
            List<ObjectVersion> live = objects.get(source.objno);
            int index = live.indexOf(source);
            ObjectVersion v = new ObjectVersion(source.objno, nextGen++, snapSeq, ObjectVersion.HEAD, false,
                source.written == null ? null : ExtentSet.of(0, length));
            Path to = channels.path(v.fileName());
            try (FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                if (source.written == null) {
                    try (FileChannel in = FileChannel.open(channels.path(source.fileName()), StandardOpenOption.READ)) {
                        long n = Math.min(length, in.size());
                        long pos = 0;
                        while (pos < n) {
                            pos += in.transferTo(pos, n - pos, out);
                        }
                    }
                } else {
                    ByteBuffer data = ByteBuffer.allocate((int) length);
                    readVersion(live, index, 0, data);
                    data.clear();
                    long pos = 0;
                    while (data.hasRemaining()) {
                        pos += out.write(data, pos);
                    }
                }
            }
            newFiles.add(v.fileName());
            dirsUnsynced = true;
            listOf(source.objno).add(v);
        }

        /** Makes the new files durable, commits the plan with {@code header}, then applies it. */
        void commit(Metadata.SqlWork<Void> header) throws IOException, SQLException {
            try {
                newFiles.forEach(unsyncedFiles::written);
                mergedInto.forEach(unsyncedFiles::written);
                syncFiles();
                cluster.metadata.transaction(tx -> {
                    persistVersions(tx, lists.keySet(), lists);
                    return header.apply(tx);
                });
            } catch (Exception e) {
                deleteFiles(newFiles);
                throw e;
            }
            for (Map.Entry<Long, List<ObjectVersion>> e : lists.entrySet()) {
                if (e.getValue().isEmpty()) {
                    objects.remove(e.getKey());
                } else {
                    objects.put(e.getKey(), e.getValue());
                }
            }
            deleteFiles(dropped);
        }
    }

    void resize(EmbeddedImage handle, long newSize) throws IOException, SQLException {
        checkWritableHead(handle, "resize");
        if (newSize < 0) {
            throw ClusterException.invalid("size must not be negative");
        }
        flush();
        VersionPlan plan = new VersionPlan();
        if (newSize < size) {
            long keep = (newSize + objectSize - 1) / objectSize;
            for (long objno : new TreeSet<>(objects.keySet()).tailSet(keep)) {
                plan.endHead(objno);
            }
            long partial = newSize & (objectSize - 1);
            ObjectVersion last = partial == 0 ? null : head(newSize >>> order);
            if (last != null && (last.overlay || Files.size(channels.path(last.fileName())) > partial)) {
                plan.endHead(last.objno);
                plan.newHeadFrom(last, partial);
            }
        }
        plan.commit(tx -> {
            tx.update("UPDATE images SET size = ? WHERE id = ?", newSize, imageId);
            return null;
        });
        size = newSize;
        notifyHeader();
    }

    void updateFeatures(EmbeddedImage handle, Set<ImageFeature> change, boolean enable) throws SQLException {
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
        Runnable afterCommit = cluster.metadata.transaction(tx -> {
            tx.update("UPDATE images SET features = ? WHERE id = ?", next, imageId);
            if (flagsChange) {
                saveObjectMapFlags(tx, flags);
            }
            return ImageMirroring.onFeaturesUpdate(tx, this, before, next);
        });
        features = next;
        objectMapFlags = flags;
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

    long createUserSnap(EmbeddedImage handle, String snapName) throws IOException, SQLException {
        Names.checkSnap(snapName);
        checkWritableHead(handle, "create snapshot");
        return createSnap(snapName, SnapNamespace.USER, null);
    }

    private long createSnap(String snapName, SnapNamespace ns, MirrorSnapshotInfo mirror) throws IOException, SQLException {
        checkNameFree(snapName);
        return createSnap(ns, tx -> new SnapPlan(snapName, mirror));
    }

    private void checkNameFree(String snapName) {
        if (snaps.values().stream().anyMatch(s -> s.name().equals(snapName))) {
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

    void removeSnap(EmbeddedImage handle, String snapName) throws IOException, SQLException {
        handle.checkOpen();
        removeSnap(snapNamed(snapName));
    }

    void removeSnapById(EmbeddedImage handle, long snapId) throws IOException, SQLException {
        handle.checkOpen();
        removeSnap(snap(snapId));
    }

    private void removeSnap(Snap s) throws IOException, SQLException {
        if (s.isProtected()) {
            throw new ClusterException(Errno.EBUSY, "snapshot '" + s.name() + "' is protected from removal");
        }
        flush();
        snaps.remove(s.id());
        byPoint.remove(s.point());
        try {
            VersionPlan plan = new VersionPlan();
            plan.dropUnseenAfterLeaving(s.point());
            plan.commit(tx -> {
                tx.update("DELETE FROM snaps WHERE image_id = ? AND snap_id = ?", imageId, s.id());
                return null;
            });
        } catch (Exception e) {
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
            VersionPlan plan = new VersionPlan();
            plan.dropUnseenAfterLeaving(s.point());
            plan.commit(tx -> {
                allocated[0] = allocateSnapSeq(tx);
                tx.update("UPDATE snaps SET point = ?, size = ?, mirror = ? WHERE image_id = ? AND snap_id = ?",
                    allocated[0], size, MirrorSnapshotCodec.encode(completed), imageId, s.id());
                tx.update("UPDATE images SET snap_seq = ? WHERE id = ?", allocated[0], imageId);
                return null;
            });
        } catch (Exception e) {
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

    void rollbackSnap(EmbeddedImage handle, String snapName) throws IOException, SQLException {
        Snap s = snapNamed(snapName);
        checkWritableHead(handle, "roll back");
        rollbackTo(s);
    }

    private void rollbackTo(Snap s) throws IOException, SQLException {
        flush();
        VersionPlan plan = new VersionPlan();
        for (long objno : new TreeSet<>(objects.keySet())) {
            ObjectVersion target = visibleAt(objno, s.point());
            ObjectVersion head = head(objno);
            if (target == head) {
                continue;
            }
            plan.endHead(objno);
            if (target != null) {
                plan.newHeadFrom(target, objectSize);
            }
        }
        plan.commit(tx -> {
            tx.update("UPDATE images SET size = ? WHERE id = ?", s.size(), imageId);
            return null;
        });
        size = s.size();
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
        return new ImageDiff(order, this::visibleAt, objno -> objects.getOrDefault(objno, List.of()), this::readObject)
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
            channels.close();
            return null;
        });
    }

    /** After the last handle is gone (on the image lane). */
    void closeFiles() throws IOException {
        channels.close();
    }

    // --- consistency check (tests and `fsck`) ---

    /** Problems between the version index and the files; empty when consistent. */
    List<String> check() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Long, List<ObjectVersion>> e : objects.entrySet()) {
            int heads = 0;
            long previousDied = Long.MIN_VALUE;
            for (ObjectVersion v : e.getValue()) {
                if (!Files.exists(channels.path(v.fileName())) && !filesToDelete.contains(v.fileName())) {
                    problems.add("missing file for " + v);
                }
                if (v.isHead()) {
                    heads++;
                }
                if (v.born >= v.died) {
                    problems.add("empty visibility interval " + v);
                }
                if (v.born < previousDied) {
                    problems.add("overlapping versions at " + v);
                }
                previousDied = v.died;
                int i = e.getValue().indexOf(v);
                boolean keptBase = i + 1 < e.getValue().size() && e.getValue().get(i + 1).overlay;
                if (isUnseen(v) && !keptBase) {
                    problems.add("version seen by no snapshot and not head: " + v);
                }
                if (v.overlay && (v.written == null || i == 0)) {
                    problems.add("overlay without extents or base: " + v);
                }
                long length = Files.exists(channels.path(v.fileName())) ? Files.size(channels.path(v.fileName())) : 0;
                if (length > objectSize) {
                    problems.add("file longer than an object: " + v);
                }
            }
            if (heads > 1) {
                problems.add("object " + e.getKey() + " has " + heads + " heads");
            }
        }
        return problems;
    }
}
