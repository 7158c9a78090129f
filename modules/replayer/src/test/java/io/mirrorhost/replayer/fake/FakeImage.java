package io.mirrorhost.replayer.fake;

import static io.mirrorhost.replayer.fake.FakeSite.call;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Extent;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.mirrorhost.api.testing.UnmodelledImageLockAndWatch;
import io.mirrorhost.api.testing.UnmodelledImageMirroring;
import io.mirrorhost.api.testing.UnmodelledImageShape;
import io.mirrorhost.api.testing.UnmodelledImageSnapshots;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** An image of {@link FakeSite}: object data, snapshots (frozen copies) and librbd's mirroring rules. */
public final class FakeImage {
    static final int MAX_MIRROR_SNAPSHOTS = 5;

    final FakeSite site;
    final String id;
    String name;
    String namespace = "";
    final int order;
    long size;
    String dataPool;
    TreeMap<Long, byte[]> objects = new TreeMap<>();
    final TreeMap<Long, Snap> snaps = new TreeMap<>();
    final List<Runnable> updateWatchers = new CopyOnWriteArrayList<>();
    boolean resyncRequested;
    /** Objects written to the head so far (the replayer's copy work). */
    public final AtomicInteger objectWrites = new AtomicInteger();
    /** Lets a test hold or fail writes: given the offset, a future to wait for before the write, or null. */
    public volatile Function<Long, Future<Void>> writeGate;

    static final class Snap {
        SnapInfo info;
        TreeMap<Long, byte[]> frozen;

        Snap(SnapInfo info, TreeMap<Long, byte[]> frozen) {
            this.info = info;
            this.frozen = frozen;
        }
    }

    FakeImage(FakeSite site, String id, String name, long size, int order) {
        this.site = site;
        this.id = id;
        this.name = name;
        this.size = size;
        this.order = order;
    }

    public String dataPool() {
        return dataPool;
    }

    public void setDataPool(String pool) {
        this.dataPool = pool;
    }

    public String id() {
        return id;
    }

    long objectSize() {
        return 1L << order;
    }

    Image handle(Long snapId) {
        return new Handle(snapId, false);
    }

    /** A handle as {@code openImageForReplay} gives the mirror daemon. */
    Image replayHandle() {
        return new Handle(null, true);
    }

    public Image open() {
        return handle(null);
    }

    Snap snap(long snapId) {
        synchronized (site) {
            return snaps.get(snapId);
        }
    }

    public String globalId() {
        synchronized (site) {
            MirrorImageInfo info = site.records.get(id);
            return info == null ? null : info.globalId();
        }
    }

    public SnapInfo userSnap(String snapName) {
        synchronized (site) {
            return snaps.values().stream().map(x -> x.info).filter(i -> i.name().equals(snapName)).findFirst()
                    .orElse(null);
        }
    }

    public List<SnapInfo> mirrorSnaps() {
        synchronized (site) {
            return snaps.values().stream().map(s -> s.info).filter(i -> i.mirror() != null).toList();
        }
    }

    /** SHA-256 of the whole content of the head (null) or a snapshot. */
    public String checksum(Long snapId) {
        synchronized (site) {
            TreeMap<Long, byte[]> state = snapId == null ? objects : snaps.get(snapId).frozen;
            long length = snapId == null ? size : snaps.get(snapId).info.size();
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] zero = new byte[(int) objectSize()];
                for (long object = 0; object * objectSize() < length; object++) {
                    byte[] data = state.getOrDefault(object, zero);
                    sha.update(data, 0, (int) Math.min(objectSize(), length - object * objectSize()));
                }
                return HexFormat.of().formatHex(sha.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private MirrorSnapshotInfo newestMirror() {
        for (Snap s : snaps.descendingMap().values()) {
            if (s.info.mirror() != null) {
                return s.info.mirror();
            }
        }
        return null;
    }

    boolean primary() {
        MirrorSnapshotInfo m = newestMirror();
        return m == null ? site.records.containsKey(id) && site.records.get(id).primary()
                : m.state() == MirrorSnapshotState.PRIMARY;
    }

    /** A primary's head is writable; a copy's only through a replay handle while a copy is in progress. */
    private boolean headWritable(boolean replay) {
        MirrorSnapshotInfo m = newestMirror();
        return m == null || m.state() == MirrorSnapshotState.PRIMARY
                || (replay && m.state() == MirrorSnapshotState.NON_PRIMARY && !m.complete())
                || (replay && m.state() == MirrorSnapshotState.NON_PRIMARY_DEMOTED && !m.complete());
    }

    private long createSnap(String snapName, MirrorSnapshotInfo mirror, boolean freeze) {
        long snapId = site.ids.incrementAndGet();
        SnapInfo info = new SnapInfo(snapId, snapName, size, site.clock.get(),
                mirror == null ? SnapNamespace.USER : SnapNamespace.MIRROR, false, mirror);
        snaps.put(snapId, new Snap(info, freeze ? copy(objects) : null));
        return snapId;
    }

    private static TreeMap<Long, byte[]> copy(TreeMap<Long, byte[]> from) {
        TreeMap<Long, byte[]> to = new TreeMap<>();
        from.forEach((k, v) -> to.put(k, v.clone()));
        return to;
    }

    private void setMirror(Snap s, MirrorSnapshotInfo m) {
        s.info = new SnapInfo(s.info.id(), s.info.name(), s.info.size(), s.info.timestamp(), s.info.namespace(),
                false, m);
    }

    long createPrimarySnapshot(boolean demoted) {
        long snapId = createSnap(".mirror.primary." + globalId() + "." + site.ids.get(),
                MirrorSnapshotInfo.primary(site.txPeerUuids(), demoted), true);
        prunePrimary();
        return snapId;
    }

    /** CreatePrimaryRequest::unlink_peer (PR #46454): at capacity, unlink the newest pre-existing one. */
    private void prunePrimary() {
        for (String peer : site.txPeerUuids()) {
            List<Snap> linked = new ArrayList<>();
            for (Snap s : snaps.values()) {
                MirrorSnapshotInfo m = s.info.mirror();
                if (m == null) {
                    continue;
                }
                if (!m.state().isPrimary()) {
                    linked.clear();
                } else if (m.mirrorPeerUuids().contains(peer)) {
                    linked.add(s);
                }
            }
            if (linked.size() > MAX_MIRROR_SNAPSHOTS) {
                unlink(linked.get(linked.size() - 2), peer);
            }
        }
    }

    private void unlink(Snap s, String peer) {
        Set<String> peers = new TreeSet<>(s.info.mirror().mirrorPeerUuids());
        peers.remove(peer);
        MirrorSnapshotInfo m = s.info.mirror();
        if (peers.isEmpty() && snaps.lastKey() != s.info.id()) {
            snaps.remove(s.info.id());
        } else {
            setMirror(s, new MirrorSnapshotInfo(m.state(), m.complete(), peers, m.primaryMirrorUuid(),
                    m.primarySnapId(), m.lastCopiedObjectNumber(), m.snapSeqs()));
        }
    }

    void changed() {
        for (Runnable r : updateWatchers) {
            r.run();
        }
    }

    /** Enables snapshot mirroring on this (primary) image, as {@code rbd mirror image enable IMG snapshot}. */
    public void enableMirroring() {
        synchronized (site) {
            site.records.put(id, new MirrorImageInfo("global-" + name + "-" + id, MirrorImageState.ENABLED,
                    MirrorImageMode.SNAPSHOT, true));
            createPrimarySnapshot(false);
        }
        site.notifyMirroring();
    }

    /** Writes {@code length} bytes of a pattern derived from {@code seed} at {@code offset}, directly. */
    public void fill(long offset, int length, int seed) {
        byte[] data = new byte[length];
        new java.util.Random(seed).nextBytes(data);
        synchronized (site) {
            if (!headWritable(false)) {
                throw new ClusterException(Errno.EROFS, "image " + name + " is not primary");
            }
            writeNow(offset, data);
        }
    }

    private void writeNow(long offset, byte[] data) {
        long position = offset;
        int done = 0;
        while (done < data.length) {
            long object = position / objectSize();
            int within = (int) (position % objectSize());
            int n = (int) Math.min(data.length - done, objectSize() - within);
            byte[] obj = objects.computeIfAbsent(object, k -> new byte[(int) objectSize()]);
            System.arraycopy(data, done, obj, within, n);
            done += n;
            position += n;
        }
    }

    private void discardNow(long offset, long length) {
        byte[] zeros = new byte[(int) Math.min(length, Integer.MAX_VALUE)];
        writeNow(offset, zeros);
        objects.entrySet().removeIf(e -> Arrays.equals(e.getValue(), new byte[(int) objectSize()]));
    }

    private List<DiffExtent> diffNow(Long fromSnapId, Long atSnapId) {
        TreeMap<Long, byte[]> from = fromSnapId == null ? new TreeMap<>() : snaps.get(fromSnapId).frozen;
        TreeMap<Long, byte[]> at = atSnapId == null ? objects : snaps.get(atSnapId).frozen;
        long length = atSnapId == null ? size : snaps.get(atSnapId).info.size();
        TreeSet<Long> keys = new TreeSet<>(from.keySet());
        keys.addAll(at.keySet());
        List<DiffExtent> extents = new ArrayList<>();
        for (long object : keys) {
            long offset = object * objectSize();
            if (offset >= length || Arrays.equals(from.get(object), at.get(object))) {
                continue;
            }
            extents.add(new DiffExtent(offset, Math.min(objectSize(), length - offset), at.containsKey(object)));
        }
        return extents;
    }

    /** librbd's CreateNonPrimaryRequest; a demoted copy lists the site's tx peers. */
    public long createNonPrimary(String primaryMirrorUuid, long primarySnapId, boolean demoted) {
        synchronized (site) {
            MirrorSnapshotInfo newest = newestMirror();
            if (newest != null && ((!newest.state().isPrimary() && !newest.complete())
                    || newest.state() == MirrorSnapshotState.PRIMARY)) {
                throw ClusterException.invalid("cannot create a non-primary snapshot now");
            }
            MirrorSnapshotInfo m = new MirrorSnapshotInfo(demoted ? MirrorSnapshotState.NON_PRIMARY_DEMOTED
                    : MirrorSnapshotState.NON_PRIMARY, false, demoted ? site.txPeerUuids() : Set.of(),
                    primaryMirrorUuid, primarySnapId, 0, Map.of());
            return createSnap(".mirror.non_primary." + globalId() + "." + site.ids.get(), m, false);
        }
    }


    /** An open handle; {@code snapId} null for the head. */
    public final class Handle implements Image, UnmodelledImageShape, UnmodelledImageSnapshots,
            UnmodelledImageLockAndWatch, UnmodelledImageMirroring {
        private final Long snapId;
        private final boolean replay;

        Handle(Long snapId, boolean replay) {
            this.snapId = snapId;
            this.replay = replay;
        }

        @Override
        public ImageSpec spec() {
            return ImageSpec.of(FakeSite.POOL, namespace, name);
        }

        @Override
        public Long snapId() {
            return snapId;
        }

        @Override
        public Future<ImageInfo> info() {
            synchronized (site) {
                return call(() -> {
                    long s = snapId == null ? size : snaps.get(snapId).info.size();
                    return new ImageInfo(name, id, s, order, ImageFeature.defaults(), Set.of(), dataPool,
                            snaps.size(), java.time.Instant.EPOCH, java.time.Instant.EPOCH, java.time.Instant.EPOCH);
                });
            }
        }

        @Override
        public Future<Buffer> read(long offset, int length) {
            synchronized (site) {
                return call(() -> {
                    TreeMap<Long, byte[]> state = snapId == null || snaps.get(snapId).frozen == null ? objects
                            : snaps.get(snapId).frozen;
                    byte[] out = new byte[length];
                    for (int done = 0; done < length; ) {
                        long position = offset + done;
                        long object = position / objectSize();
                        int within = (int) (position % objectSize());
                        int n = (int) Math.min(length - done, objectSize() - within);
                        byte[] obj = state.get(object);
                        if (obj != null) {
                            System.arraycopy(obj, within, out, done, n);
                        }
                        done += n;
                    }
                    return Buffer.buffer(out);
                });
            }
        }

        @Override
        public Future<Buffer> readExtents(List<Extent> extents) {
            Buffer out = Buffer.buffer();
            Future<Buffer> chain = Future.succeededFuture(out);
            for (Extent e : extents) {
                chain = chain.compose(b -> read(e.offset(), e.length()).map(b::appendBuffer));
            }
            return chain;
        }

        @Override
        public Future<Void> write(long offset, Buffer data) {
            Function<Long, Future<Void>> gate = writeGate;
            Future<Void> gated = gate == null ? null : gate.apply(offset);
            Future<Void> allowed = gated == null ? Future.succeededFuture() : gated;
            return allowed.compose(v -> {
                synchronized (site) {
                    return call(() -> {
                        checkWritable();
                        writeNow(offset, data.getBytes());
                        objectWrites.incrementAndGet();
                        return null;
                    });
                }
            });
        }

        @Override
        public Future<Void> discard(long offset, long length) {
            synchronized (site) {
                return call(() -> {
                    checkWritable();
                    discardNow(offset, length);
                    return null;
                });
            }
        }

        private void checkWritable() {
            if (snapId != null || !headWritable(replay)) {
                throw new ClusterException(Errno.EROFS, "image " + name + " is read-only");
            }
        }

        @Override
        public Future<Void> flush() {
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> resize(long newSize) {
            Future<Void> done;
            synchronized (site) {
                done = call(() -> {
                    checkWritable();
                    size = newSize;
                    objects.keySet().removeIf(object -> object * objectSize() >= newSize);
                    return null;
                });
            }
            changed();
            return done;
        }

        @Override
        public Future<List<SnapInfo>> listSnaps() {
            synchronized (site) {
                return call(() -> snaps.values().stream().map(s -> s.info).toList());
            }
        }

        @Override
        public Future<Long> createSnap(String snapName) {
            Future<Long> done;
            synchronized (site) {
                done = call(() -> {
                    checkWritable();
                    if (snaps.values().stream().anyMatch(x -> x.info.name().equals(snapName))) {
                        throw ClusterException.exists("snapshot " + snapName);
                    }
                    return FakeImage.this.createSnap(snapName, null, true);
                });
            }
            changed();
            return done;
        }

        @Override
        public Future<Void> protectSnap(String snapName) {
            return setProtected(snapName, true);
        }

        @Override
        public Future<Void> unprotectSnap(String snapName) {
            return setProtected(snapName, false);
        }

        private Future<Void> setProtected(String snapName, boolean value) {
            synchronized (site) {
                return call(() -> {
                    Snap s = named(snapName);
                    SnapInfo i = s.info;
                    s.info = new SnapInfo(i.id(), i.name(), i.size(), i.timestamp(), i.namespace(), value, i.mirror());
                    return null;
                });
            }
        }

        @Override
        public Future<Void> removeSnap(String snapName) {
            Future<Void> done;
            synchronized (site) {
                done = call(() -> {
                    Snap s = named(snapName);
                    if (s.info.isProtected()) {
                        throw new ClusterException(Errno.EBUSY, "snapshot " + snapName + " is protected");
                    }
                    snaps.remove(s.info.id());
                    return null;
                });
            }
            changed();
            return done;
        }

        private Snap named(String snapName) {
            return snaps.values().stream().filter(x -> x.info.name().equals(snapName)).findFirst()
                    .orElseThrow(() -> ClusterException.notFound("snapshot " + snapName));
        }

        @Override
        public Future<Void> removeSnapById(long id) {
            Future<Void> done;
            synchronized (site) {
                done = call(() -> {
                    if (snaps.remove(id) == null) {
                        throw ClusterException.notFound("snapshot id " + id);
                    }
                    return null;
                });
            }
            changed();
            return done;
        }

        @Override
        public Future<List<DiffExtent>> diff(Long fromSnapId, long offset, long length, boolean wholeObject) {
            synchronized (site) {
                return call(() -> diffNow(fromSnapId, snapId));
            }
        }

        @Override
        public Future<Watch> updateWatch(Runnable onUpdate) {
            updateWatchers.add(onUpdate);
            return Future.succeededFuture(() -> {
                updateWatchers.remove(onUpdate);
                return Future.succeededFuture();
            });
        }

        @Override
        public Future<Long> mirrorCreateSnapshot() {
            Future<Long> done;
            synchronized (site) {
                done = call(() -> {
                    if (!primary()) {
                        throw ClusterException.invalid("image " + name + " is not primary");
                    }
                    return createPrimarySnapshot(false);
                });
            }
            changed();
            return done;
        }

        @Override
        public Future<Void> mirrorDemote() {
            Future<Void> done;
            synchronized (site) {
                done = call(() -> {
                    if (!primary()) {
                        throw ClusterException.invalid("image " + name + " is not primary");
                    }
                    createPrimarySnapshot(true);
                    return null;
                });
            }
            changed();
            site.notifyMirroring();
            return done;
        }

        /** librbd's promote: non-forced only from ORPHAN; forced rolls an incomplete copy back first. */
        @Override
        public Future<Void> mirrorPromote(boolean force) {
            Future<Void> done;
            synchronized (site) {
                done = call(() -> {
                    MirrorSnapshotInfo newest = newestMirror();
                    if (primary()) {
                        throw ClusterException.invalid("image is already primary");
                    }
                    if (!force && (newest == null || !newest.state().isDemoted())) {
                        throw new ClusterException(Errno.EBUSY, "image is still primary within a remote cluster");
                    }
                    if (!newest.state().isDemoted()) {
                        Snap complete = null;
                        for (Snap s : snaps.descendingMap().values()) {
                            MirrorSnapshotInfo m = s.info.mirror();
                            if (m != null && (m.state().isPrimary() || m.complete())) {
                                complete = s;
                                break;
                            }
                        }
                        if (complete != null) {
                            objects = copy(complete.frozen);
                            size = complete.info.size();
                        }
                        FakeImage.this.createSnap(".mirror.non_primary.orphan." + site.ids.get(), new MirrorSnapshotInfo(
                                MirrorSnapshotState.NON_PRIMARY, true, Set.of(), "", 0, 0, Map.of()), true);
                    }
                    createPrimarySnapshot(false);
                    return null;
                });
            }
            changed();
            site.notifyMirroring();
            return done;
        }

        @Override
        public Future<Void> mirrorResync() {
            synchronized (site) {
                if (primary()) {
                    return Future.failedFuture(ClusterException.invalid("image is primary, cannot resync to itself"));
                }
                resyncRequested = true;
            }
            changed();
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> mirrorDisable(boolean force) {
            synchronized (site) {
                site.records.remove(id);
                snaps.values().removeIf(s -> s.info.mirror() != null);
            }
            site.notifyMirroring();
            return Future.succeededFuture();
        }

        @Override
        public Future<MirrorImageInfo> mirrorInfo() {
            synchronized (site) {
                MirrorImageInfo info = site.records.get(id);
                return info == null ? Future.failedFuture(ClusterException.notFound("not mirrored"))
                        : Future.succeededFuture(new MirrorImageInfo(info.globalId(), info.state(), info.mode(), primary()));
            }
        }

        @Override
        public Future<Long> mirrorCreateNonPrimarySnapshot(String primaryMirrorUuid, long primarySnapId,
                                                           Map<Long, Long> snapSeqs) {
            return call(() -> createNonPrimary(primaryMirrorUuid, primarySnapId, false));
        }

        @Override
        public Future<Long> mirrorCreateNonPrimarySnapshot(String primaryMirrorUuid, long primarySnapId,
                                                           Map<Long, Long> snapSeqs, boolean demoted) {
            Future<Long> created = call(() -> createNonPrimary(primaryMirrorUuid, primarySnapId, demoted));
            changed();
            return created;
        }

        @Override
        public Future<Boolean> mirrorResyncRequested() {
            synchronized (site) {
                return Future.succeededFuture(resyncRequested);
            }
        }

        @Override
        public Future<Void> mirrorSnapshotSetCopyProgress(long id, boolean complete, long lastCopiedObjectNumber) {
            Future<Void> done;
            synchronized (site) {
                done = call(() -> {
                    Snap s = snaps.get(id);
                    MirrorSnapshotInfo m = s.info.mirror();
                    setMirror(s, new MirrorSnapshotInfo(m.state(), complete, m.mirrorPeerUuids(), m.primaryMirrorUuid(),
                            m.primarySnapId(), lastCopiedObjectNumber, m.snapSeqs()));
                    if (complete) {
                        s.frozen = copy(objects);
                        s.info = new SnapInfo(s.info.id(), s.info.name(), size, s.info.timestamp(), s.info.namespace(),
                                false, s.info.mirror());
                    }
                    return null;
                });
            }
            if (complete) {
                changed();
            }
            return done;
        }

        @Override
        public Future<Void> mirrorSnapshotUnlinkPeer(long id, String peerUuid) {
            synchronized (site) {
                return call(() -> {
                    Snap s = snaps.get(id);
                    if (s == null || !s.info.mirror().mirrorPeerUuids().contains(peerUuid)) {
                        throw ClusterException.notFound("peer not linked");
                    }
                    Set<String> peers = new TreeSet<>(s.info.mirror().mirrorPeerUuids());
                    peers.remove(peerUuid);
                    MirrorSnapshotInfo m = s.info.mirror();
                    setMirror(s, new MirrorSnapshotInfo(m.state(), m.complete(), peers, m.primaryMirrorUuid(),
                            m.primarySnapId(), m.lastCopiedObjectNumber(), m.snapSeqs()));
                    return null;
                });
            }
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    }
}
