package io.mirrorhost.schedule.scenario;

import static io.mirrorhost.api.testing.Deadlines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.testing.Deadlines;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.ModuleCommandLine;
import io.mirrorhost.api.testing.ScenarioSite;
import io.mirrorhost.schedule.MirrorSnapshotScheduleModule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mirror-snapshot-schedule module through its command handlers on a real cluster of whichever
 * backend {@link #openSite()} gives: schedules at pool, namespace and image level, stored in each pool's
 * {@code rbd_mirror_snapshot_schedule} omap object with Ceph's keys and JSON, and a schedule that falls
 * due on the module's fake clock snapshotting exactly the primary snapshot-mode images.
 *
 * <p>Every schedule is daily at a start time twelve hours from the real time of day: on Ceph the real
 * manager's rbd_support reads the same omap objects and would take snapshots of its own if one of them
 * fell due on the wall clock while a scenario runs.
 */
@Timeout(180)
public abstract class ScheduleScenarios {
    private static final String SCHEDULE_OBJECT = "rbd_mirror_snapshot_schedule";
    private static final Duration SNAPSHOT_DEADLINE = Duration.ofSeconds(60);
    private static final DateTimeFormatter STATUS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private ScenarioSite site;
    private Cluster cluster;
    private ModuleCommandLine schedule;
    /** The first run of every schedule: the hour twelve hours from now, on a fixed fake day. */
    private Instant due;
    private String hour;
    private FakeClock clock;

    /** The site to run on; closed after each scenario. */
    protected abstract ScenarioSite openSite();

    @BeforeEach
    void start() {
        site = openSite();
        cluster = site.cluster();
        int dueHour = Instant.now().atZone(ZoneOffset.UTC).plusHours(12).getHour();
        hour = String.format("%02d", dueHour);
        due = Instant.parse("2030-01-07T00:00:00Z").plus(Duration.ofHours(dueHour));
        clock = new FakeClock(due.minus(Duration.ofMinutes(1)));
        schedule = site.start(new MirrorSnapshotScheduleModule(), clock);
    }

    @AfterEach
    void stop() {
        if (site != null) {
            site.close();
        }
    }

    private String run(String arguments) {
        return schedule.ok("mirror snapshot schedule " + arguments);
    }

    private CommandResult result(String arguments) {
        return schedule.run("mirror snapshot schedule " + arguments);
    }

    /** A pool in image mirror mode with a tx peer (librbd takes no mirror-snapshot without one). */
    private String mirroredPool(String prefix) {
        String pool = site.newPool(prefix);
        await(cluster.mirrorModeSet(PoolNamespace.of(pool), MirrorMode.IMAGE));
        await(cluster.mirrorPeerSiteAdd(pool, "site-b", "client.remote", MirrorPeerDirection.RX_TX));
        return pool;
    }

    private ImageSpec image(PoolNamespace where, String name, MirrorImageMode mode) {
        ImageSpec spec = new ImageSpec(where, name);
        await(cluster.createImage(spec, ImageOptions.of(8L << 20)));
        if (mode != null) {
            withImage(spec, image -> await(image.mirrorEnable(mode)));
        }
        return spec;
    }

    private void withImage(ImageSpec spec, java.util.function.Consumer<Image> action) {
        Image image = await(cluster.openImage(spec));
        try {
            action.accept(image);
        } finally {
            await(image.close());
        }
    }

    private List<SnapInfo> mirrorSnapshots(ImageSpec spec) {
        Image image = await(cluster.openImage(spec));
        try {
            return await(image.listSnaps()).stream().filter(s -> s.namespace() == SnapNamespace.MIRROR).toList();
        } finally {
            await(image.close());
        }
    }

    private String poolId(String pool) {
        return await(cluster.listPools()).stream().filter(p -> p.name().equals(pool)).map(PoolInfo::id)
                .map(String::valueOf).findFirst().orElseThrow();
    }

    private String imageId(ImageSpec spec) {
        Image image = await(cluster.openImage(spec));
        try {
            return await(image.info()).id();
        } finally {
            await(image.close());
        }
    }

    /** A one-item schedule as rbd_support stores it: Python's {@code json.dumps(..., indent=4)}. */
    private static String stored(String interval, String startTime) {
        return "[\n    {\n        \"interval\": \"" + interval + "\",\n        \"start_time\": \"" + startTime
                + "\"\n    }\n]";
    }

    private static String at(Instant time) {
        return STATUS_TIME.format(time);
    }

    @Test
    void schedulesAtPoolNamespaceAndImageLevelAreListedStoredAsCephStoresThemAndRemoved() {
        String pool = mirroredPool("sched-levels");
        PoolNamespace tenant = new PoolNamespace(pool, "tenant");
        await(cluster.createNamespace(tenant));
        await(cluster.mirrorModeSet(tenant, MirrorMode.IMAGE));
        ImageSpec inPool = image(PoolNamespace.of(pool), "img-a", MirrorImageMode.SNAPSHOT);
        ImageSpec inNamespace = image(tenant, "img-n", MirrorImageMode.SNAPSHOT);
        ImageSpec ruled = image(PoolNamespace.of(pool), "img-b", MirrorImageMode.SNAPSHOT);

        assertEquals("", run("add --pool " + pool + " 1d " + hour + ":00"));
        assertEquals("", run("add --pool " + pool + " --namespace tenant 1d " + hour + ":30"));
        assertEquals("", run("add --pool " + pool + " --image img-b 1d " + hour + ":15"));

        assertEquals("every 1d starting at " + hour + ":00:00\n", run("ls --pool " + pool));
        assertEquals("[{\"interval\":\"1d\",\"start_time\":\"" + hour + ":00:00\"}]\n",
                run("ls --pool " + pool + " --format json"));
        assertEquals("every 1d starting at " + hour + ":30:00\n", run("ls --pool " + pool + " --namespace tenant"));
        assertEquals("every 1d starting at " + hour + ":15:00\n", run("ls --pool " + pool + " --image img-b"));
        String name = String.format("%-" + pool.length() + "s", "POOL");
        assertEquals(name + "  NAMESPACE  IMAGE  SCHEDULE                     \n"
                + pool + "  -          -      every 1d starting at " + hour + ":00:00\n"
                + pool + "             img-b  every 1d starting at " + hour + ":15:00\n"
                + pool + "  tenant     -      every 1d starting at " + hour + ":30:00\n",
                run("ls --pool " + pool + " -R"));
        assertEquals("[{\"pool\":\"" + pool + "\",\"namespace\":\"-\",\"image\":\"-\",\"items\":[{\"interval\":\"1d\","
                + "\"start_time\":\"" + hour + ":00:00\"}]},{\"pool\":\"" + pool + "\",\"namespace\":\"\",\"image\":"
                + "\"img-b\",\"items\":[{\"interval\":\"1d\",\"start_time\":\"" + hour + ":15:00\"}]},{\"pool\":\""
                + pool + "\",\"namespace\":\"tenant\",\"image\":\"-\",\"items\":[{\"interval\":\"1d\",\"start_time\":\""
                + hour + ":30:00\"}]}]\n", run("ls --pool " + pool + " -R --format json"));

        // the most specific level wins: img-b its own, img-n its namespace's, img-a the pool's
        assertEquals("[{\"schedule_time\":\"" + at(due) + "\",\"image\":\"" + pool + "/img-a\"},"
                + "{\"schedule_time\":\"" + at(due.plus(Duration.ofMinutes(15))) + "\",\"image\":\"" + pool
                + "/img-b\"},{\"schedule_time\":\"" + at(due.plus(Duration.ofMinutes(30))) + "\",\"image\":\""
                + pool + "/tenant/img-n\"}]\n", run("status --pool " + pool + " --format json"));
        String image = String.format("%-" + (pool.length() + 13) + "s", "IMAGE");
        assertEquals("SCHEDULE TIME        " + image + "\n"
                + at(due) + "  " + String.format("%-" + (pool.length() + 13) + "s", pool + "/img-a") + "\n"
                + at(due.plus(Duration.ofMinutes(15))) + "  "
                + String.format("%-" + (pool.length() + 13) + "s", pool + "/img-b") + "\n"
                + at(due.plus(Duration.ofMinutes(30))) + "  " + pool + "/tenant/img-n\n",
                run("status --pool " + pool));

        String id = poolId(pool);
        assertEquals(Map.of(id, stored("1d", hour + ":00:00"), id + "/tenant", stored("1d", hour + ":30:00"),
                        id + "//" + imageId(ruled), stored("1d", hour + ":15:00")),
                await(cluster.omapGet(PoolNamespace.of(pool), SCHEDULE_OBJECT)),
                "Ceph's keys (pool id, pool id/namespace, pool id//image id) and rbd_support's JSON");

        assertEquals("", run("remove --pool " + pool + " --image img-b 1d " + hour + ":15"));
        assertEquals("", run("rm --pool " + pool + " --namespace tenant"));
        assertEquals(List.of(id), List.copyOf(await(cluster.omapGet(PoolNamespace.of(pool), SCHEDULE_OBJECT))
                .keySet()));
        assertEquals("[{\"schedule_time\":\"" + at(due) + "\",\"image\":\"" + pool + "/img-a\"},"
                + "{\"schedule_time\":\"" + at(due) + "\",\"image\":\"" + pool + "/img-b\"},"
                + "{\"schedule_time\":\"" + at(due) + "\",\"image\":\"" + pool + "/tenant/img-n\"}]\n",
                run("status --pool " + pool + " --format json"));
        assertEquals("", run("remove --pool " + pool));
        assertEquals("[]\n", run("ls --pool " + pool + " -R --format json"));
        assertEquals("[]\n", run("status --pool " + pool + " --format json"));
        assertEquals(Map.of(), await(cluster.omapGet(PoolNamespace.of(pool), SCHEDULE_OBJECT)));
        assertEquals(1, mirrorSnapshots(inPool).size(), "only enabling's snapshot: nothing fell due");
        assertEquals(1, mirrorSnapshots(inNamespace).size());
    }

    @Test
    void badSchedulesAndUnknownLevelsAreRefusedAsRbdRefusesThem() {
        String pool = mirroredPool("sched-errors");
        image(PoolNamespace.of(pool), "img", MirrorImageMode.SNAPSHOT);
        CommandResult badInterval = result("add --pool " + pool + " 1x");
        assertEquals(-22, badInterval.code(), badInterval::toString);
        assertEquals("rbd: rbd mirror snapshot schedule add failed: (22) Invalid argument: Invalid interval (1x)",
                badInterval.stderr());
        CommandResult noImage = result("add --pool " + pool + " --image nope 1d");
        assertEquals(-22, noImage.code(), noImage::toString);
        assertEquals("rbd: rbd mirror snapshot schedule add failed: (22) Invalid argument: image nope does not exist",
                noImage.stderr());
        CommandResult noPool = result("ls --pool nope-" + pool);
        assertEquals(-22, noPool.code(), noPool::toString);
        assertEquals("rbd: rbd mirror snapshot schedule list failed: (22) Invalid argument: pool nope-" + pool
                + " does not exist", noPool.stderr());
        CommandResult none = result("ls --pool " + pool);
        assertEquals(new CommandResult(-2, "", ""), new CommandResult(none.code(), none.stdout(), none.stderr()));
        assertEquals(Map.of(), await(cluster.omapGet(PoolNamespace.of(pool), SCHEDULE_OBJECT)), "nothing stored");
    }

    @Test
    void aDueScheduleSnapshotsPrimarySnapshotModeImagesOnly() {
        String pool = mirroredPool("sched-due");
        PoolNamespace where = PoolNamespace.of(pool);
        ImageSpec primary = image(where, "primary", MirrorImageMode.SNAPSHOT);
        ImageSpec demoted = image(where, "demoted", MirrorImageMode.SNAPSHOT);
        withImage(demoted, image -> await(image.mirrorDemote()));
        ImageSpec journal = image(where, "journal", MirrorImageMode.JOURNAL);
        ImageSpec plain = image(where, "plain", null);
        List<SnapInfo> demotedBefore = mirrorSnapshots(demoted);
        assertEquals(List.of(MirrorSnapshotState.PRIMARY, MirrorSnapshotState.PRIMARY_DEMOTED),
                demotedBefore.stream().map(s -> s.mirror().state()).toList());

        run("add --pool " + pool + " 1d " + hour + ":00");
        assertEquals("[{\"schedule_time\":\"" + at(due) + "\",\"image\":\"" + pool + "/primary\"}]\n",
                run("status --pool " + pool + " --format json"), "only the primary snapshot-mode image is scheduled");

        clock.advance(Duration.ofMinutes(1));
        Deadlines.until(SNAPSHOT_DEADLINE, () -> "the scheduled mirror-snapshot of " + primary + ": "
                + mirrorSnapshots(primary), () -> mirrorSnapshots(primary).size() == 2);
        SnapInfo taken = mirrorSnapshots(primary).get(1);
        assertEquals(MirrorSnapshotState.PRIMARY, taken.mirror().state());
        // last_run: the module's addition to rbd's status (ScheduleOutput), in the fake clock's time; it shows
        // once the run record is written, after the snapshot
        String ran = "[{\"schedule_time\":\"" + at(due.plus(Duration.ofDays(1))) + "\",\"image\":\"" + pool
                + "/primary\",\"last_run\":\"" + due + "\"}]\n";
        Deadlines.until(SNAPSHOT_DEADLINE, () -> "the run and the next one in status: " + run("status --pool " + pool
                + " --format json"), () -> ran.equals(run("status --pool " + pool + " --format json")));

        assertEquals(demotedBefore, mirrorSnapshots(demoted), "nothing is taken of a non-primary image");
        assertEquals(List.of(), mirrorSnapshots(journal), "nor of a journal-mode one");
        assertEquals(List.of(), mirrorSnapshots(plain), "nor of one without mirroring");
    }
}
