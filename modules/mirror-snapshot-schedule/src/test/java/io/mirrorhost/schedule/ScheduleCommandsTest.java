package io.mirrorhost.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.testing.FakeClock;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScheduleCommandsTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final FakeCluster cluster = new FakeCluster(clock);
    private Vertx vertx;
    private ModuleHarness host;
    private FakeCluster.FakeImage img1;
    private FakeCluster.FakeImage img2;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        cluster.addPool("rbd");
        cluster.addNamespace("rbd", "ns1", MirrorMode.IMAGE);
        cluster.addNamespace("rbd", "plain", MirrorMode.DISABLED);
        img1 = cluster.addImage("rbd", "ns1", "img1", MirrorImageMode.SNAPSHOT, true);
        img2 = cluster.addImage("rbd", "", "img2", MirrorImageMode.SNAPSHOT, true);
        cluster.addImage("rbd", "", "journal", MirrorImageMode.JOURNAL, true);
        host = new ModuleHarness(vertx, cluster, ModuleHarness.sharedStore()).start();
    }

    @AfterEach
    void tearDown() {
        host.module.stop();
        vertx.close();
    }

    private static void ok(CommandResult r) {
        assertEquals(0, r.code(), r.stderr());
    }

    @Test
    void addListStatusAndRemoveAsRbd() {
        ok(host.run("add", "pool", "rbd", "interval", "24h", "start-time", "14:00:00-05:00"));
        ok(host.run("add", "pool", "rbd", "namespace", "ns1", "image", "img1", "interval", "1h"));
        ok(host.run("add", "interval", "6h"));

        assertEquals(Map.of("1", "[\n    {\n        \"interval\": \"1d\",\n        \"start_time\": \"14:00:00-05:00\"\n"
                        + "    }\n]", "1/ns1/" + img1.id, "[\n    {\n        \"interval\": \"1h\",\n"
                        + "        \"start_time\": null\n    }\n]"),
                cluster.omap("rbd", "rbd_mirror_snapshot_schedule"));

        assertEquals("every 1d starting at 14:00:00-05:00\n", host.run("ls", "pool", "rbd").stdout());
        assertEquals("every 6h\n", host.run("ls").stdout());
        assertEquals("every 1h\n", host.run("ls", "pool", "rbd/ns1", "image", "img1").stdout(), "rbd's -p pool/namespace");
        assertEquals("every 1h\n", host.run("ls", "namespace", "ns1", "image", "img1").stdout(), "default pool rbd");
        assertEquals("every 1h\n", host.run("ls", "image", "rbd/ns1/img1").stdout(), "image spec");
        assertEquals("[{\"interval\":\"1d\",\"start_time\":\"14:00:00-05:00\"}]\n",
                host.run("ls", OutputFormat.JSON, "pool", "rbd").stdout());
        assertEquals("[{\"interval\":\"1h\",\"start_time\":\"\"}]\n",
                host.run("ls", OutputFormat.JSON, "pool", "rbd/ns1", "image", "img1").stdout());
        CommandResult none = host.run("ls", "pool", "rbd", "namespace", "ns1");
        assertEquals(-2, none.code());
        assertEquals("", none.stdout());

        assertEquals("POOL  NAMESPACE  IMAGE  SCHEDULE                           \n"
                + "-     -          -      every 6h                           \n"
                + "rbd   -          -      every 1d starting at 14:00:00-05:00\n"
                + "rbd   ns1        img1   every 1h                           \n",
                host.run("ls", "recursive", "true").stdout());
        assertEquals("[{\"pool\":\"rbd\",\"namespace\":\"ns1\",\"image\":\"img1\",\"items\":"
                + "[{\"interval\":\"1h\",\"start_time\":\"\"}]}]\n",
                host.run("ls", OutputFormat.JSON, "pool", "rbd", "namespace", "ns1", "image", "img1",
                        "recursive", "true").stdout());

        assertEquals("SCHEDULE TIME        IMAGE       \n"
                + "2026-01-01 11:00:00  rbd/ns1/img1\n"
                + "2026-01-02 09:00:00  rbd/img2    \n", host.run("status").stdout());
        assertEquals("[{\"schedule_time\":\"2026-01-02 09:00:00\",\"image\":\"rbd/img2\"}]\n",
                host.run("status", OutputFormat.JSON, "pool", "rbd", "image", "img2").stdout());
        assertEquals("<scheduled_images><image><schedule_time>2026-01-01 11:00:00</schedule_time>"
                + "<image>rbd/ns1/img1</image></image></scheduled_images>\n",
                host.run("status", OutputFormat.XML, "pool", "rbd", "namespace", "ns1").stdout());

        ok(host.run("remove", "pool", "rbd", "interval", "1d", "start-time", "14:00:00-05:00"));
        assertFalse(cluster.omap("rbd", "rbd_mirror_snapshot_schedule").containsKey("1"));
        assertEquals("SCHEDULE TIME        IMAGE       \n"
                + "2026-01-01 11:00:00  rbd/ns1/img1\n"
                + "2026-01-01 12:00:00  rbd/img2    \n", host.run("status").stdout());
        ok(host.run("rm", "pool", "rbd", "namespace", "ns1", "image", "img1"));
        ok(host.run("remove"));
        assertEquals("[]\n", host.run("ls", OutputFormat.JSON, "recursive", "true").stdout());
        assertEquals("SCHEDULE TIME  IMAGE\n", host.run("status").stdout());
        assertEquals("[]\n", host.run("status", OutputFormat.JSON).stdout());
    }

    @Test
    void refusesBadInputWithRbdsErrorsAndChangesNothing() {
        assertError(-22, "rbd: rbd mirror snapshot schedule add failed: (22) Invalid argument: Invalid interval (2x)",
                host.run("add", "pool", "rbd", "interval", "2x"));
        assertError(-22, "rbd: rbd mirror snapshot schedule add failed: (22) Invalid argument: "
                + "Invalid start time 25:00: hour must be in 0..23: 25:00",
                host.run("add", "pool", "rbd", "interval", "1h", "start-time", "25:00"));
        assertError(-22, "rbd: rbd mirror snapshot schedule add failed: (22) Invalid argument: pool nope does not exist",
                host.run("add", "pool", "nope", "interval", "1h"));
        assertError(-22, "rbd: rbd mirror snapshot schedule add failed: (22) Invalid argument: "
                + "image journal is not in snapshot mirror mode",
                host.run("add", "pool", "rbd", "image", "journal", "interval", "1h"));
        assertError(-22, "rbd: rbd mirror snapshot schedule add failed: (22) Invalid argument: image gone does not exist",
                host.run("add", "image", "gone", "interval", "1h"));
        assertError(-22, "rbd: rbd mirror snapshot schedule list failed: (22) Invalid argument: "
                + "namespace nons does not exist", host.run("ls", "pool", "rbd", "namespace", "nons"));
        assertError(-74, "rbd: rbd mirror snapshot schedule status failed: (22) Invalid argument: "
                + "namespace plain is not in mirror image mode\nrbd: invalid schedule status JSON received",
                host.run("status", "pool", "rbd", "namespace", "plain"));
        assertError(-22, "rbd: pool is specified both via pool and image options",
                host.run("add", "pool", "rbd", "image", "rbd/img2", "interval", "1h"));
        assertError(-22, "rbd: missing 'interval' argument", host.run("add", "pool", "rbd", "interval", ""));
        assertError(-22, "rbd: rbd mirror snapshot schedule add failed: (22) Invalid argument: Invalid interval (cron:* *)",
                new CommandResult(host.run("add", "interval", "cron:* *").code(),
                        "", host.run("add", "interval", "cron:* *").stderr().replaceAll(": [^:]*$", "")));
        assertEquals(Map.of(), cluster.omap("rbd", "rbd_mirror_snapshot_schedule"));
        assertEquals("[]\n", host.run("ls", OutputFormat.JSON, "recursive", "true").stdout());
    }

    @Test
    void cronIntervalsAreAcceptedWhereverIntervalsAre() {
        ok(host.run("add", "pool", "rbd", "interval", "cron:0 */6 * * *"));
        assertEquals("every cron:0 */6 * * *\n", host.run("ls", "pool", "rbd").stdout());
        assertEquals("SCHEDULE TIME        IMAGE       \n"
                + "2026-01-01 12:00:00  rbd/img2    \n"
                + "2026-01-01 12:00:00  rbd/ns1/img1\n", host.run("status").stdout());
        ok(host.run("remove", "pool", "rbd", "interval", "cron:0 */6 * * *"));
        assertEquals(Map.of(), cluster.omap("rbd", "rbd_mirror_snapshot_schedule"));
    }

    private static void assertError(int code, String stderr, CommandResult r) {
        assertEquals(code, r.code(), r.stderr());
        assertEquals(stderr, r.stderr());
        assertEquals("", r.stdout());
    }
}
