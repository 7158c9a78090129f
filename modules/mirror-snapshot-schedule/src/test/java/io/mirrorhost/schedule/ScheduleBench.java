package io.mirrorhost.schedule;

import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.testing.Deadlines;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import org.slf4j.helpers.NOPLogger;

/**
 * The scheduler at scale: {@code IMAGES} snapshot-mirrored primary images in {@code POOLS} pools
 * (a tenth of each pool in a namespace), schedules at every level (global, pool, namespace, image),
 * every schedule {@code K*1m} with start times spreading the images over K one-minute slots, so that
 * {@code IMAGES/K} snapshots fall due at each minute mark. Runs on real time for a few minute marks
 * and reports {@code status} latency, snapshot lateness (completion minus the minute mark it was due
 * at) and throughput.
 *
 * <p>Usage: {@code ScheduleBench fake|embedded IMAGES POOLS MINUTES [PER_MINUTE]}.
 */
public final class ScheduleBench {
    private static final String NAMESPACE = "ns";

    private final String backend;
    private final int imageCount;
    private final int poolCount;
    private final int minutes;
    private final int slots;
    private final Vertx vertx = Vertx.vertx(vertxOptions());
    private final SynchronizedHistogram lateness = new SynchronizedHistogram(3_600_000_000L, 3);
    private final Map<Instant, LongAdder> perMinute = new ConcurrentHashMap<>();
    private final Map<Instant, AtomicLong> lastCompletion = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();
    /** Call to completion of each mirrorCreateSnapshot and of each image close (where a run's time goes). */
    private final SynchronizedHistogram createLatency = new SynchronizedHistogram(3_600_000_000L, 3);
    private final SynchronizedHistogram closeLatency = new SynchronizedHistogram(3_600_000_000L, 3);
    private final int[] slotSizes;
    private WallClock clock;

    private ScheduleBench(String backend, int images, int pools, int minutes, int perMinute) {
        this.backend = backend;
        this.imageCount = images;
        this.poolCount = pools;
        this.minutes = minutes;
        this.slots = Math.max(1, images / perMinute);
        this.slotSizes = new int[slots];
    }

    /**
     * -Dbench.max_event_loop_ms=N makes Vert.x's blocked-thread checker warn (checking every N/2 ms) about any
     * event-loop task longer than N ms, with its stack once it passes 2N ms (default: Vert.x's 2 s, stack at 5 s).
     */
    private static VertxOptions vertxOptions() {
        VertxOptions options = new VertxOptions();
        Integer maxMillis = Integer.getInteger("bench.max_event_loop_ms");
        if (maxMillis != null) {
            options.setMaxEventLoopExecuteTime(maxMillis).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                    .setBlockedThreadCheckInterval(Math.max(10, maxMillis / 2))
                    .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                    .setWarningExceptionTime(2L * maxMillis).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
        }
        return options;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ScheduleBench fake|embedded IMAGES POOLS MINUTES [PER_MINUTE]");
            System.exit(2);
        }
        int perMinute = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
        new ScheduleBench(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                perMinute).run();
        System.exit(0);
    }

    /** The minute slot of pool {@code p}: the last tenth of the pools is left to the global schedule (slot 0). */
    private int poolSlot(int p) {
        if (slots == 1) {
            return 0;
        }
        int byPool = poolCount - poolCount / slots;
        return p >= byPool ? 0 : 1 + p % (slots - 1);
    }

    private boolean governedByGlobal(int p) {
        return slots == 1 ? p % 2 == 1 : p >= poolCount - poolCount / slots;
    }

    private Schedule scheduleFor(String name, int slot) {
        Schedule s = new Schedule(name);
        s.add(ScheduleItem.parse(slots + "m", slots == 1 ? null : String.format("00:%02d", slot)));
        return s;
    }

    private void run() throws Exception {
        System.out.printf("backend=%s images=%d pools=%d slots=%d (%d due per minute) minutes=%d cores=%d%n",
                backend, imageCount, poolCount, slots, imageCount / slots, minutes,
                Runtime.getRuntime().availableProcessors());
        Instant begin = Instant.now();
        Setup setup = backend.equals("fake") ? fakeSetup() : embeddedSetup();
        Duration setupTime = Duration.between(begin, Instant.now());
        System.out.printf("setup: %d images in %.1f s (%.0f images/s)%n", imageCount, seconds(setupTime),
                imageCount / seconds(setupTime));

        // time from the module's start to the first minute mark (a 100,000-image embedded start needs more)
        Duration lead = Duration.ofSeconds(Integer.getInteger("bench.lead_seconds", backend.equals("fake") ? 20 : 15));
        Instant firstMark = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(1));
        clock = new WallClock(firstMark.minus(lead));
        // the real instant of the first mark, to find the bursts in a profile (JFR) of the run
        System.out.printf("first minute mark at real time %s%n", Instant.now().plus(lead));
        Cluster measured = measuring(setup.cluster);
        SiteModule site = new SiteModule(vertx, "site-a", measured, clock);
        String concurrency = System.getProperty(MirrorSnapshotScheduleModule.MAX_CONCURRENT.name());
        if (concurrency != null) {
            site.withOption(MirrorSnapshotScheduleModule.MAX_CONCURRENT, concurrency);
        }
        System.out.printf("%s: %s%n", MirrorSnapshotScheduleModule.MAX_CONCURRENT.name(),
                concurrency == null ? "default" : concurrency);
        writeSchedules(site, measured, setup);
        Instant t0 = Instant.now();
        site.start();
        System.out.printf("module start (first scan of %d images): %.2f s%n", imageCount,
                seconds(Duration.between(t0, Instant.now())));
        int scheduled = site.statusJson().size();
        System.out.printf("scheduled images: %d (expected %d)%n", scheduled, imageCount);

        Histogram idleStatus = statusLatency(site, 10, OutputFormat.JSON);
        Histogram idlePlain = statusLatency(site, 10, OutputFormat.PLAIN);
        report("status --format json, idle (ms)", idleStatus, 1000.0);
        report("status (plain), idle (ms)", idlePlain, 1000.0);
        Histogram addLatency = commandLatency(site);
        report("schedule add + remove at image level (ms)", addLatency, 1000.0);

        // stop just before the mark after the last measured one
        Instant end = firstMark.plus(Duration.ofMinutes(minutes)).minusSeconds(3);
        SynchronizedHistogram busyStatus = new SynchronizedHistogram(3_600_000_000L, 3);
        if (clock.now().isAfter(firstMark)) {
            System.out.println("WARNING: setup of the measured module ran past the first minute mark");
        }
        while (clock.now().isBefore(end)) {
            long start = System.nanoTime();
            CommandResult r = site.run("status", OutputFormat.JSON);
            if (r.code() != 0) {
                throw new AssertionError("status failed: " + r.stderr());
            }
            busyStatus.recordValue((System.nanoTime() - start) / 1000);
            Thread.sleep(Math.max(0, Math.min(2000, Duration.between(clock.now(), end).toMillis())));
        }
        site.stop();
        report("status --format json, during the run (ms)", busyStatus, 1000.0);
        summarize(firstMark);
        setup.close.run();
        clock.close();
    }

    private void summarize(Instant firstMark) {
        System.out.println("batches (minute mark: snapshots taken / due, time from the mark to the last one):");
        long total = 0;
        double busySeconds = 0;
        for (int m = 0; m < minutes; m++) {
            Instant mark = firstMark.plus(Duration.ofMinutes(m));
            int slot = (int) ((mark.getEpochSecond() / 60) % slots);
            long taken = perMinute.getOrDefault(mark, new LongAdder()).sum();
            AtomicLong last = lastCompletion.get(mark);
            double span = last == null ? 0 : (last.get() - mark.toEpochMilli()) / 1000.0;
            System.out.printf("  %s: %d / %d, last after %.2f s%s%n", mark, taken, slotSizes[slot], span,
                    taken == slotSizes[slot] ? "" : "  MISSED " + (slotSizes[slot] - taken));
            total += taken;
            busySeconds += span;
        }
        Map<Instant, Long> strays = new TreeMap<>();
        perMinute.forEach((mark, n) -> {
            if (mark.isBefore(firstMark) || !mark.isBefore(firstMark.plus(Duration.ofMinutes(minutes)))) {
                strays.put(mark, n.sum());
            }
        });
        if (!strays.isEmpty()) {
            System.out.println("  snapshots counted at other marks: " + strays);
        }
        System.out.printf("failures: %d%n", failures.sum());
        report("lateness of each snapshot after its minute mark (ms)", lateness, 1000.0);
        report("mirrorCreateSnapshot, call to completion (ms)", createLatency, 1000.0);
        report("image close, call to completion (ms)", closeLatency, 1000.0);
        System.out.printf("throughput while busy: %.0f snapshots/s (%d snapshots in %.1f s of batches)%n",
                busySeconds == 0 ? 0 : total / busySeconds, total, busySeconds);
    }

    private Histogram statusLatency(SiteModule site, int runs, OutputFormat format) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            CommandResult r = site.run("status", format);
            if (r.code() != 0) {
                throw new AssertionError("status failed: " + r.stderr());
            }
            h.recordValue((System.nanoTime() - start) / 1000);
        }
        return h;
    }

    /** An image-level schedule added then removed, on the first pool's first image: a full rescan each. */
    private Histogram commandLatency(SiteModule site) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (int i = 0; i < 3; i++) {
            for (String verb : List.of("add", "remove")) {
                long start = System.nanoTime();
                site.ok(verb, "pool", pool(0), "image", "image-0", "interval", "1d");
                h.recordValue((System.nanoTime() - start) / 1000);
            }
        }
        return h;
    }

    private static void report(String what, Histogram h, double unit) {
        System.out.printf("%s: n=%d p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f%n", what, h.getTotalCount(),
                h.getValueAtPercentile(50) / unit, h.getValueAtPercentile(90) / unit,
                h.getValueAtPercentile(99) / unit, h.getValueAtPercentile(99.9) / unit, h.getMaxValue() / unit);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static String pool(int p) {
        return String.format("pool-%02d", p);
    }

    /** The cluster, with every mirror-snapshot's completion timed against the minute mark it was due at. */
    private Cluster measuring(Cluster cluster) {
        return (Cluster) Proxy.newProxyInstance(Cluster.class.getClassLoader(), new Class<?>[] {Cluster.class},
                (self, method, args) -> {
                    Object result = invoke(cluster, method, args);
                    if (method.getName().equals("openImageById")) {
                        return ((Future<?>) result).map(image -> measuring((Image) image));
                    }
                    if (method.getName().equals("fenced")) {
                        // the leader's snapshots go through its fenced view: measure them there too
                        return measuring((Cluster) result);
                    }
                    return result;
                });
    }

    private Image measuring(Image image) {
        return (Image) Proxy.newProxyInstance(Image.class.getClassLoader(), new Class<?>[] {Image.class},
                (self, method, args) -> {
                    long called = System.nanoTime();
                    if (method.getName().equals("close")) {
                        return ((Future<?>) invoke(image, method, args))
                                .andThen(r -> closeLatency.recordValue((System.nanoTime() - called) / 1000));
                    }
                    if (!method.getName().equals("mirrorCreateSnapshot")) {
                        return invoke(image, method, args);
                    }
                    Instant mark = clock.now().truncatedTo(ChronoUnit.MINUTES);
                    Future<?> created = (Future<?>) invoke(image, method, args);
                    return created.andThen(r -> {
                        createLatency.recordValue((System.nanoTime() - called) / 1000);
                        if (r.failed()) {
                            failures.increment();
                            return;
                        }
                        long done = clock.now().toEpochMilli();
                        lateness.recordValue(Math.max(0, (done - mark.toEpochMilli()) * 1000));
                        perMinute.computeIfAbsent(mark, k -> new LongAdder()).increment();
                        lastCompletion.computeIfAbsent(mark, k -> new AtomicLong()).accumulateAndGet(done, Math::max);
                    });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The images, by pool: name, id, namespace. */
    private record Setup(Cluster cluster, List<List<String[]>> images, Runnable close) {
    }

    private int perPool() {
        return imageCount / poolCount;
    }

    private boolean inNamespace(int i) {
        return i % 10 == 9;
    }

    private boolean imageLevel(int i) {
        return i % 100 == 0;
    }

    private Setup fakeSetup() {
        FakeCluster fake = new FakeCluster(new WallClock(Instant.now()));
        List<List<String[]>> images = new ArrayList<>();
        for (int p = 0; p < poolCount; p++) {
            fake.addPool(pool(p));
            fake.addNamespace(pool(p), NAMESPACE, MirrorMode.IMAGE);
            List<String[]> inPool = new ArrayList<>();
            for (int i = 0; i < perPool(); i++) {
                String ns = inNamespace(i) ? NAMESPACE : "";
                FakeCluster.FakeImage image = fake.addImage(pool(p), ns, "image-" + i, MirrorImageMode.SNAPSHOT, true);
                inPool.add(new String[] {image.name, image.id, ns});
            }
            images.add(inPool);
        }
        return new Setup(fake.cluster(), images, () -> { });
    }

    private Setup embeddedSetup() throws Exception {
        Path dir = Files.createTempDirectory("schedule-bench");
        EmbeddedCluster cluster = EmbeddedCluster.open(vertx, dir);
        List<List<String[]>> images = new ArrayList<>();
        for (int p = 0; p < poolCount; p++) {
            String pool = pool(p);
            await(cluster.createPool(pool));
            await(cluster.initPool(pool));
            await(cluster.mirrorModeSet(PoolNamespace.of(pool), MirrorMode.IMAGE));
            await(cluster.mirrorPeerSiteAdd(pool, "site-b", "client.rbd-mirror-peer", MirrorPeerDirection.RX_TX));
            PoolNamespace ns = new PoolNamespace(pool, NAMESPACE);
            await(cluster.createNamespace(ns));
            await(cluster.mirrorModeSet(ns, MirrorMode.IMAGE));
            List<Future<String[]>> creating = new ArrayList<>();
            for (int i = 0; i < perPool(); i++) {
                String namespace = inNamespace(i) ? NAMESPACE : "";
                ImageSpec spec = ImageSpec.of(pool, namespace, "image-" + i);
                creating.add(cluster.createImage(spec, ImageOptions.of(1L << 20))
                        .compose(v -> cluster.openImage(spec))
                        .compose(image -> image.mirrorEnable(MirrorImageMode.SNAPSHOT)
                                .compose(v -> image.info())
                                .compose(info -> image.close().map(new String[] {spec.name(), info.id(), namespace}))));
            }
            List<String[]> inPool = new ArrayList<>();
            for (Future<String[]> f : creating) {
                inPool.add(await(f));
            }
            images.add(inPool);
            if (p % 10 == 9) {
                System.out.printf("  %d pools created%n", p + 1);
            }
        }
        return new Setup(cluster, images, () -> {
            await(cluster.close());
            deleteTree(dir);
        });
    }

    /** Schedules at every level, written where the module keeps them (Ceph's omap layout). */
    private void writeSchedules(SiteModule site, Cluster cluster, Setup setup) {
        ScheduleStore store = new ScheduleStore(cluster, site.store(), NOPLogger.NOP_LOGGER);
        Map<String, Long> poolIds = new TreeMap<>();
        for (PoolInfo info : await(cluster.listPools())) {
            poolIds.put(info.name(), info.id());
        }
        int levels = 1;
        await(store.save(LevelSpec.global(), scheduleFor("", 0)));
        for (int p = 0; p < poolCount; p++) {
            String pool = pool(p);
            String poolId = String.valueOf(poolIds.get(pool));
            int slot = poolSlot(p);
            if (!governedByGlobal(p)) {
                await(store.save(LevelSpec.ofPool(poolId, pool, null), scheduleFor(pool + "/", slot)));
                levels++;
            }
            // a permutation of the pools' slots keeps every minute slot equally full
            int nsSlot = poolSlot((p + poolCount / 10) % poolCount);
            await(store.save(LevelSpec.ofPool(poolId, pool, NAMESPACE), scheduleFor(pool + "/" + NAMESPACE + "/", nsSlot)));
            levels++;
            int imageSlot = poolSlot((p + 2 * poolCount / 10) % poolCount);
            List<String[]> images = setup.images().get(p);
            for (int i = 0; i < images.size(); i++) {
                String[] image = images.get(i);
                if (inNamespace(i)) {
                    slotSizes[nsSlot]++;
                } else if (imageLevel(i)) {
                    String name = pool + "/" + image[0];
                    await(store.save(new LevelSpec(name, poolId + "//" + image[1], poolId, "", image[1]),
                            scheduleFor(name, imageSlot)));
                    levels++;
                    slotSizes[imageSlot]++;
                } else {
                    slotSizes[slot]++;
                }
            }
        }
        System.out.printf("schedules: %d levels; images per minute slot: %s%n", levels, java.util.Arrays.toString(slotSizes));
    }

    private static <T> T await(Future<T> future) {
        return Deadlines.await(future);
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
