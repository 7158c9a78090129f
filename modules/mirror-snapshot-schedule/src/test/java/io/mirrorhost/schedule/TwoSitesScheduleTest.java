package io.mirrorhost.schedule;

import static io.mirrorhost.api.testing.Deadlines.await;
import static io.mirrorhost.api.testing.Deadlines.until;
import static io.mirrorhost.schedule.ScheduleSites.mirrorSnaps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.testing.FakeClock;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule module on two real embedded sites mirrored as the guide sets them up: scheduled
 * mirror-snapshots land on site-a's primary snapshot-mode images only, are pruned by the cluster at
 * five, and schedules follow restarts, new images and removed images and pools.
 */
@Timeout(120)
class TwoSitesScheduleTest {
    private static final String POOL = "image-pool";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ScheduleSites sites;
    private final FakeClock clock = new FakeClock(Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(1)));
    private final List<SiteModule> modules = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        sites = new ScheduleSites(dir);
        sites.mirroredPool(POOL);
    }

    @AfterEach
    void tearDown() {
        modules.forEach(SiteModule::stop);
        sites.close();
    }

    private SiteModule module(String siteName, Cluster cluster) {
        SiteModule m = new SiteModule(sites.vertx, siteName, cluster, clock).start();
        modules.add(m);
        return m;
    }

    private static ImageSpec image(String name) {
        return ImageSpec.of(POOL, "", name);
    }

    private List<SnapInfo> snapsOnA(ImageSpec spec) {
        return mirrorSnaps(sites.siteA, spec);
    }

    private List<SnapInfo> snapsOnB(ImageSpec spec) {
        return mirrorSnaps(sites.siteB, spec);
    }

    /** Moves the clock by {@code step} and waits until {@code due} images show a run at the new time. */
    private void advanceAndSettle(SiteModule site, Duration step, int due) {
        clock.advance(step);
        String expected = clock.now().truncatedTo(ChronoUnit.SECONDS).toString();
        until(WAIT, () -> due + " images run at " + expected + ": " + site.statusJson(), () -> site.statusJson()
                .stream().filter(o -> expected.equals(((JsonObject) o).getString("last_run"))).count() == due);
    }

    @Test
    void snapshotsLandOnPrimarySnapshotModeImagesOnlyAndArePrunedAtFive() {
        ImageSpec first = image("image-1");
        ImageSpec second = image("image-2");
        ImageSpec journal = image("journal-1");
        ImageSpec plain = image("plain-1");
        sites.primary(first, MirrorImageMode.SNAPSHOT);
        sites.primary(second, MirrorImageMode.SNAPSHOT);
        sites.primary(journal, MirrorImageMode.JOURNAL);
        sites.primary(plain, null);
        sites.replicaOnSiteB(first);
        sites.replicaOnSiteB(second);
        List<SnapInfo> replicaBefore = snapsOnB(first);
        assertEquals(List.of(MirrorSnapshotState.NON_PRIMARY), replicaBefore.stream().map(s -> s.mirror().state()).toList());
        assertFalse(await(await(sites.siteB.openImage(first)).mirrorInfo()).primary());

        SiteModule a = module("site-a", sites.siteA);
        SiteModule b = module("site-b", sites.siteB);
        for (SiteModule site : List.of(a, b)) {
            site.ok("add", "pool", POOL, "interval", "1h");
        }
        assertEquals(List.of("image-pool/image-1", "image-pool/image-2"), a.statusImages());
        assertEquals(List.of(), b.statusImages(), "site-b has no primary image to schedule");
        assertEquals(1, snapsOnA(first).size(), "the snapshot mirrorEnable takes");

        advanceAndSettle(a, Duration.ofHours(1), 2);
        for (ImageSpec spec : List.of(first, second)) {
            List<SnapInfo> snaps = snapsOnA(spec);
            assertEquals(2, snaps.size(), spec + ": " + snaps);
            SnapInfo scheduled = snaps.get(1);
            assertEquals(MirrorSnapshotState.PRIMARY, scheduled.mirror().state());
            assertTrue(scheduled.mirror().complete());
        }
        for (int hour = 2; hour <= 7; hour++) {
            advanceAndSettle(a, Duration.ofHours(1), 2);
        }
        for (ImageSpec spec : List.of(first, second)) {
            List<SnapInfo> snaps = snapsOnA(spec);
            assertEquals(5, snaps.size(), "rbd_mirroring_max_mirroring_snapshots: " + snaps);
            assertTrue(snaps.stream().allMatch(s -> s.mirror().state() == MirrorSnapshotState.PRIMARY), snaps::toString);
        }
        JsonObject entry = a.statusJson().getJsonObject(0);
        assertEquals(clock.now().plus(Duration.ofHours(1)).toString().replace('T', ' ').replace("Z", ""),
                entry.getString("schedule_time"));
        assertFalse(entry.containsKey("last_error"), entry::encode);

        assertEquals(List.of(), snapsOnA(journal), "a journal-mode image gets no mirror-snapshot");
        assertEquals(List.of(), snapsOnA(plain));
        assertEquals(replicaBefore, snapsOnB(first), "nothing is created on the non-primary copy");
        assertEquals(List.of(), b.statusImages());
    }

    @Test
    void schedulesSurviveARestartAndNewImagesArePickedUpWithoutOne() {
        ImageSpec first = image("image-1");
        PoolNamespace ns = new PoolNamespace(POOL, "tenant");
        sites.mirroredNamespace(ns);
        ImageSpec inNamespace = new ImageSpec(ns, "image-ns");
        sites.primary(first, MirrorImageMode.SNAPSHOT);
        sites.primary(inNamespace, MirrorImageMode.SNAPSHOT);
        SiteModule a = module("site-a", sites.siteA);
        a.ok("add", "interval", "2h");
        a.ok("add", "pool", POOL, "namespace", "tenant", "interval", "30m");
        a.ok("add", "pool", POOL, "image", "image-1", "interval", "1h");
        String listed = a.ok("ls", "recursive", "true");

        a.restart();
        assertEquals(listed, a.ok("ls", "recursive", "true"), "schedules at every level survive");
        assertEquals(List.of("image-pool/tenant/image-ns", "image-pool/image-1"), a.statusImages());
        advanceAndSettle(a, Duration.ofMinutes(30), 1);
        assertEquals(2, snapsOnA(inNamespace).size());
        assertEquals(1, snapsOnA(first).size(), "image-1's own schedule is hourly");

        ImageSpec late = image("image-late");
        sites.primary(late, MirrorImageMode.SNAPSHOT);
        clock.advance(Duration.ofMinutes(1));
        until(WAIT, () -> "the new image scheduled: " + a.statusJson(),
                () -> a.statusImages().contains("image-pool/image-late"));
        advanceAndSettle(a, Duration.ofMinutes(29), 3);
        assertEquals(2, snapsOnA(first).size());
        assertEquals(3, snapsOnA(inNamespace).size());
        assertEquals(2, snapsOnA(late).size(), "the global 2h schedule at 02:00");
        advanceAndSettle(a, Duration.ofHours(1), 2);
        assertEquals(2, snapsOnA(late).size(), "the global schedule is not due at 03:00");
        assertEquals(3, snapsOnA(first).size());
    }

    @Test
    void removingAnImageOrAPoolRemovesItsSchedules() {
        ImageSpec doomed = image("doomed");
        ImageSpec kept = image("kept");
        sites.primary(doomed, MirrorImageMode.SNAPSHOT);
        String keptId = sites.primary(kept, MirrorImageMode.SNAPSHOT);
        String other = "other-pool";
        sites.mirroredPool(other);
        ImageSpec far = ImageSpec.of(other, "", "far");
        sites.primary(far, MirrorImageMode.SNAPSHOT);
        SiteModule a = module("site-a", sites.siteA);
        a.ok("add", "pool", POOL, "image", "doomed", "interval", "1h");
        a.ok("add", "pool", POOL, "image", "kept", "interval", "1h");
        a.ok("add", "pool", other, "interval", "1h");
        assertEquals(List.of("image-pool/doomed", "image-pool/kept", "other-pool/far"), a.statusImages());
        Map<String, String> stored = await(sites.siteA.omapGet(PoolNamespace.of(POOL), ScheduleStore.SCHEDULE_OID));
        assertEquals(2, stored.size(), stored::toString);

        await(sites.siteA.removeImage(doomed));
        await(sites.siteA.removeImage(far));
        await(sites.siteA.removePool(other));
        clock.advance(Duration.ofSeconds(60));
        until(WAIT, () -> "schedules of the removed image and pool gone: " + a.ok("ls", "recursive", "true"),
                () -> !a.ok("ls", "recursive", "true").contains("doomed") && !a.ok("ls", "recursive", "true")
                        .contains(other));
        // the rescan that dropped the stale schedules takes the images out of status in a later step
        until(WAIT, () -> "removed images gone from status: " + a.statusImages(),
                () -> a.statusImages().equals(List.of("image-pool/kept")));
        Map<String, String> left = await(sites.siteA.omapGet(PoolNamespace.of(POOL), ScheduleStore.SCHEDULE_OID));
        assertEquals(1, left.size(), "the stale key is removed from the pool's schedule object: " + left);
        assertTrue(left.keySet().iterator().next().endsWith("/" + keptId), left::toString);
        advanceAndSettle(a, Duration.ofMinutes(59), 1);
        assertEquals(2, snapsOnA(kept).size());
    }
}
