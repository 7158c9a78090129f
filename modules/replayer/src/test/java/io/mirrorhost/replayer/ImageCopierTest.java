package io.mirrorhost.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Extent;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.UnmodelledImageData;
import io.mirrorhost.replayer.snapshot.BandwidthLimiter;
import io.mirrorhost.replayer.snapshot.SyncProgress;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ImageCopierTest {
    /** A source whose every object changed, answering at once (as an in-process backend may). */
    public static final class Source implements UnmodelledImageData {
        final long objects;

        Source(long objects) {
            this.objects = objects;
        }

        @Override
        public Future<List<DiffExtent>> diff(Long fromSnapId, long offset, long length, boolean wholeObject) {
            List<DiffExtent> extents = new ArrayList<>();
            for (long i = 0; i < objects; i++) {
                extents.add(new DiffExtent(i * 4096, 4096, i % 7 != 3));
            }
            return Future.succeededFuture(extents);
        }

        @Override
        public Future<Buffer> readExtents(List<Extent> extents) {
            return Future.succeededFuture(Buffer.buffer(new byte[extents.stream().mapToInt(Extent::length).sum()]));
        }
    }

    public static final class Target implements UnmodelledImageData {
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger discards = new AtomicInteger();

        @Override
        public Future<Void> write(long offset, Buffer data) {
            writes.incrementAndGet();
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> discard(long offset, long length) {
            discards.incrementAndGet();
            return Future.succeededFuture();
        }
    }

    @Test
    void synchronousCompletionsDoNotDeepenTheStack() throws Exception {
        long objects = 200_000;
        Target target = new Target();
        SyncProgress progress = new SyncProgress(objects, 0);
        List<Long> prefixes = new ArrayList<>();
        Future<Void> copy = new ImageCopier(new FakeClock(Instant.EPOCH), 10, new BandwidthLimiter(0))
                .copy(new Source(objects), null, target,
                        objects * 4096, 4096, progress, b -> { }, p -> prefixes.add(p.copiedPrefix()));
        assertTrue(copy.succeeded(), String.valueOf(copy.cause()));
        assertTrue(progress.complete());
        assertEquals(objects, target.writes.get() + target.discards.get());
        assertEquals(objects / 7 + (objects % 7 > 3 ? 1 : 0), target.discards.get(), "zeroed extents are discarded");
        assertEquals(objects, prefixes.get(prefixes.size() - 1));
    }

    @Test
    void dataExtentsAreReadInBatchesOfAtMostOneMibAndDiscardsAlone() {
        long mib = ImageCopier.MAX_READ;
        DiffExtent small = new DiffExtent(0, 65536, true);
        DiffExtent zeroed = new DiffExtent(65536, 100, false);
        DiffExtent fillsTheMib = new DiffExtent(131072, mib - 65536, true);
        DiffExtent oneByte = new DiffExtent(2 * mib, 1, true);
        List<DiffExtent> pieces = ImageCopier.pieces(List.of(
                small, zeroed, fillsTheMib, oneByte, new DiffExtent(3 * mib, 2 * mib + 5, true)));

        assertEquals(List.of(
                List.of(zeroed),
                List.of(small, fillsTheMib),
                List.of(oneByte),
                List.of(new DiffExtent(3 * mib, mib, true)),
                List.of(new DiffExtent(4 * mib, mib, true)),
                List.of(new DiffExtent(5 * mib, 5, true))), ImageCopier.readBatches(pieces));
    }

    @Test
    void extentsAreSplitAtObjectBoundariesAndCopiedObjectsSkipped() {
        List<DiffExtent> extents = List.of(new DiffExtent(100, 50, true), new DiffExtent(4000, 5000, true),
                new DiffExtent(12288, 4096, false));
        Map<Long, List<DiffExtent>> all = ImageCopier.byObject(extents, 4096, 0);
        assertEquals(Map.of(0L, List.of(new DiffExtent(100, 50, true), new DiffExtent(4000, 96, true)),
                1L, List.of(new DiffExtent(4096, 4096, true)),
                2L, List.of(new DiffExtent(8192, 808, true)),
                3L, List.of(new DiffExtent(12288, 4096, false))), all);
        assertEquals(List.of(2L, 3L), List.copyOf(ImageCopier.byObject(extents, 4096, 2).keySet()));
    }
}
