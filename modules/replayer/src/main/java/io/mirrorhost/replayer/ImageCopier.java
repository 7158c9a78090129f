package io.mirrorhost.replayer;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Extent;
import io.mirrorhost.api.cluster.ImageData;
import io.mirrorhost.replayer.snapshot.BandwidthLimiter;
import io.mirrorhost.replayer.snapshot.SyncProgress;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Copies one delta: the extents a remote snapshot changed since the previous one ({@link ImageData#diff},
 * answered from object maps), read from the remote snapshot handle and written to (or discarded
 * on) the local image, object by object with several objects in flight, within the site's
 * bandwidth limit. Objects complete in any order; {@link SyncProgress} reports the safe prefix.
 */
final class ImageCopier {
    static final long MAX_READ = 1 << 20;
    private final Clock clock;
    private final int objectsInFlight;
    private final BandwidthLimiter limiter;

    ImageCopier(Clock clock, int objectsInFlight, BandwidthLimiter limiter) {
        this.clock = clock;
        this.objectsInFlight = Math.max(1, objectsInFlight);
        this.limiter = limiter;
    }

    /**
     * @param remoteAtEnd  the remote image opened at the snapshot to copy
     * @param fromSnapId   the remote snapshot already copied (null: the whole image)
     * @param onBytes      bytes read from the remote, for the statistics
     * @param onProgress   called when the copied prefix grows
     */
    Future<Void> copy(ImageData remoteAtEnd, Long fromSnapId, ImageData local, long imageSize, long objectSize,
                      SyncProgress progress, LongConsumer onBytes, Consumer<SyncProgress> onProgress) {
        return copy(remoteAtEnd, fromSnapId, local, imageSize, objectSize, progress, onBytes, onProgress, () -> false);
    }

    /**
     * As above; once {@code cancelled} says so no further object is started, and the copy fails when the
     * objects in flight have ended (as it does after an object failed).
     */
    Future<Void> copy(ImageData remoteAtEnd, Long fromSnapId, ImageData local, long imageSize, long objectSize,
                      SyncProgress progress, LongConsumer onBytes, Consumer<SyncProgress> onProgress,
                      BooleanSupplier cancelled) {
        return remoteAtEnd.diff(fromSnapId, 0, imageSize, false).compose(extents -> {
            Map<Long, List<DiffExtent>> byObject = byObject(extents, objectSize, progress.startObject());
            for (long object = progress.startObject(); object < progress.objectCount(); object++) {
                if (!byObject.containsKey(object) && progress.objectDone(object)) {
                    onProgress.accept(progress);
                }
            }
            Deque<Map.Entry<Long, List<DiffExtent>>> queue = new ArrayDeque<>(byObject.entrySet());
            Promise<Void> done = Promise.promise();
            Worker worker = new Worker(queue, remoteAtEnd, local, progress, onBytes, onProgress, cancelled, done);
            int workers = Math.min(objectsInFlight, Math.max(1, queue.size()));
            for (int i = 0; i < workers; i++) {
                worker.next();
            }
            return done.future();
        });
    }

    /** Splits extents at object boundaries and keeps those of objects not copied yet. */
    static Map<Long, List<DiffExtent>> byObject(List<DiffExtent> extents, long objectSize, long startObject) {
        Map<Long, List<DiffExtent>> byObject = new TreeMap<>();
        for (DiffExtent e : extents) {
            long offset = e.offset();
            long end = e.offset() + e.length();
            while (offset < end) {
                long object = offset / objectSize;
                long objectEnd = Math.min(end, (object + 1) * objectSize);
                if (object >= startObject) {
                    byObject.computeIfAbsent(object, k -> new ArrayList<>())
                            .add(new DiffExtent(offset, objectEnd - offset, e.exists()));
                }
                offset = objectEnd;
            }
        }
        return byObject;
    }

    /**
     * Extents cut into reads of at most {@link #MAX_READ} bytes: buffers of whole 4 MiB objects are
     * "humongous" for the JVM's G1 collector (over half its 4 MiB regions) and cost both sites
     * seconds of collections per GiB copied.
     */
    static List<DiffExtent> pieces(List<DiffExtent> extents) {
        List<DiffExtent> out = new ArrayList<>(extents.size());
        for (DiffExtent e : extents) {
            if (!e.exists()) {
                out.add(e);
                continue;
            }
            for (long at = e.offset(); at < e.offset() + e.length(); at += MAX_READ) {
                out.add(new DiffExtent(at, Math.min(MAX_READ, e.offset() + e.length() - at), true));
            }
        }
        return out;
    }

    /**
     * Groups pieces (at most {@link #MAX_READ} bytes each) into batches: the discards of zeroed
     * extents one at a time, extents with data together up to {@link #MAX_READ} bytes per batch.
     */
    static List<List<DiffExtent>> readBatches(List<DiffExtent> pieces) {
        List<List<DiffExtent>> batches = new ArrayList<>();
        List<DiffExtent> current = new ArrayList<>();
        long bytes = 0;
        for (DiffExtent e : pieces) {
            if (!e.exists()) {
                batches.add(List.of(e));
                continue;
            }
            if (!current.isEmpty() && bytes + e.length() > MAX_READ) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(e);
            bytes += e.length();
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** The copy was cancelled (rbd-mirror's {@code image-sync canceled}). */
    static final class CancelledCopy extends RuntimeException {
        CancelledCopy() {
            super("image-sync canceled", null, false, false);
        }
    }

    private final class Worker {
        private final Deque<Map.Entry<Long, List<DiffExtent>>> queue;
        private final ImageData remote;
        private final ImageData local;
        private final SyncProgress progress;
        private final LongConsumer onBytes;
        private final Consumer<SyncProgress> onProgress;
        private final BooleanSupplier cancelled;
        private final Promise<Void> done;
        private int active;
        /** The first failure (or the cancellation): no object starts after it, and the copy fails once none runs. */
        private volatile Throwable failure;
        private int wanted;
        private boolean draining;

        Worker(Deque<Map.Entry<Long, List<DiffExtent>>> queue, ImageData remote, ImageData local, SyncProgress progress,
               LongConsumer onBytes, Consumer<SyncProgress> onProgress, BooleanSupplier cancelled,
               Promise<Void> done) {
            this.queue = queue;
            this.remote = remote;
            this.local = local;
            this.progress = progress;
            this.onBytes = onBytes;
            this.onProgress = onProgress;
            this.cancelled = cancelled;
            this.done = done;
        }

        /** Asks for one more object to start; a loop, not recursion, when I/O completes synchronously. */
        synchronized void next() {
            wanted++;
            if (draining) {
                return;
            }
            draining = true;
            try {
                while (wanted > 0) {
                    wanted--;
                    startOne();
                }
            } finally {
                draining = false;
            }
        }

        private void startOne() {
            if (stopping()) {
                endIfIdle();
                return;
            }
            Map.Entry<Long, List<DiffExtent>> item = queue.pollFirst();
            if (item == null) {
                if (active == 0) {
                    done.tryComplete();
                }
                return;
            }
            active++;
            copyExtents(item.getValue()).onComplete(ar -> finished(item.getKey(), ar.cause()));
        }

        private synchronized void finished(long object, Throwable objectFailure) {
            active--;
            if (objectFailure != null && failure == null) {
                failure = objectFailure;
            }
            if (failure != null) {
                endIfIdle();
                return;
            }
            if (progress.objectDone(object)) {
                onProgress.accept(progress);
            }
            next();
        }

        /** Whether the copy failed or was cancelled: no further object starts. */
        private boolean stopping() {
            if (failure == null && cancelled.getAsBoolean()) {
                failure = new CancelledCopy();
            }
            return failure != null;
        }

        /** A failed copy ends only when no object write of it is in flight any more. */
        private void endIfIdle() {
            if (active == 0) {
                done.tryFail(failure);
            }
        }

        /**
         * Copies an object's extents all at once: a delta of small random writes has several per
         * object, so they are read in batches of up to {@link #MAX_READ} bytes, each one call (one
         * round trip to the peer), and written as they arrive.
         */
        private Future<Void> copyExtents(List<DiffExtent> extents) {
            List<Future<Void>> all = new ArrayList<>();
            for (List<DiffExtent> batch : readBatches(pieces(extents))) {
                if (!batch.get(0).exists()) {
                    batch.forEach(e -> all.add(local.discard(e.offset(), e.length())));
                    continue;
                }
                List<Extent> reads = batch.stream().map(e -> new Extent(e.offset(), Math.toIntExact(e.length()))).toList();
                all.add(remote.readExtents(reads).compose(data -> {
                    onBytes.accept(data.length());
                    // once an object failed, what is read is not written: its write would most likely fail too
                    return throttled(data.length()).compose(v -> failure != null ? Future.failedFuture(failure)
                            : writeAll(reads, data));
                }));
            }
            return Future.all(all).mapEmpty();
        }

        private Future<Void> writeAll(List<Extent> extents, Buffer data) {
            List<Future<Void>> writes = new ArrayList<>(extents.size());
            int at = 0;
            for (Extent e : extents) {
                writes.add(local.write(e.offset(), data.slice(at, at + e.length())));
                at += e.length();
            }
            return Future.all(writes).mapEmpty();
        }

        private Future<Void> throttled(long bytes) {
            Duration wait = limiter.reserve(bytes, clock.now());
            if (wait.isZero()) {
                return Future.succeededFuture();
            }
            Promise<Void> later = Promise.promise();
            clock.schedule(wait, later::tryComplete);
            return later.future();
        }
    }
}
