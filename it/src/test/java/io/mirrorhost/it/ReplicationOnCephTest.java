package io.mirrorhost.it;

import static io.mirrorhost.it.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real rbd-mirror of site-b replicates a mirror-snapshot created through our backend on site-a;
 * then a failover with our demote (site-a) and promote (site-b). Checked with real rbd on both sites.
 */
class ReplicationOnCephTest {
    static final long MiB = 1L << 20;
    static final Duration REPLICATION_DEADLINE = Duration.ofSeconds(90);

    static TwoSites sites;
    static RbdMirrorDaemon daemonB;
    static String pool;

    @BeforeAll
    static void setUp() {
        sites = new TwoSites();
        pool = CephClusters.unique("repl");
        sites.mirroredPool(pool);
        sites.bootstrap(pool);
        daemonB = new RbdMirrorDaemon(sites.siteB, sites.siteA);
        daemonB.start();
    }

    @AfterAll
    static void tearDown() {
        if (daemonB != null) {
            daemonB.stop();
        }
        if (sites != null) {
            sites.close();
        }
    }

    /** The non-primary snapshot on site-b that copies primary snapshot {@code primarySnapId}, once complete. */
    private static Optional<SnapInfo> copied(ImageSpec spec, long primarySnapId) {
        try {
            Image replica = result(sites.b.openImage(spec));
            try {
                return result(replica.listSnaps()).stream()
                        .filter(s -> s.mirror() != null && s.mirror().state() == MirrorSnapshotState.NON_PRIMARY)
                        .filter(s -> s.mirror().primarySnapId() == primarySnapId && s.mirror().complete())
                        .findFirst();
            } finally {
                result(replica.close());
            }
        } catch (ClusterException e) {
            if (e.errno() == Errno.ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static String imageIdOnB(ImageSpec spec) {
        return sites.siteB.rbd("info", spec.pool() + "/" + spec.name(), "--format", "json").json().getString("id");
    }

    @Test
    void rbdMirrorReplicatesOurMirrorSnapshotAndFailsOverWithOurPromoteAndDemote(@TempDir Path tmp) throws Exception {
        ImageSpec spec = ImageSpec.of(pool, "", "disk");
        result(sites.a.createImage(spec, ImageOptions.of(8 * MiB)));
        Image primary = result(sites.a.openImage(spec));
        result(primary.mirrorEnable(MirrorImageMode.SNAPSHOT));
        byte[] data = new byte[(int) MiB];
        new Random(42).nextBytes(data);
        result(primary.write(MiB, Buffer.buffer(data)));
        result(primary.flush());
        long snapId = result(primary.mirrorCreateSnapshot());

        AtomicReference<Optional<SnapInfo>> replicated = new AtomicReference<>(Optional.empty());
        Await.until(REPLICATION_DEADLINE, () -> "rbd-mirror on site-b to copy mirror-snapshot " + snapId, () -> {
            replicated.set(copied(spec, snapId));
            return replicated.get().isPresent();
        });
        SnapInfo copy = replicated.get().orElseThrow();
        JsonObject rbdCopy = sites.siteB.rbd("snap", "ls", "--all", pool + "/disk", "--format", "json").jsonArray()
                .stream().map(JsonObject.class::cast).filter(s -> s.getLong("id") == copy.id()).findFirst()
                .orElseThrow();
        assertEquals("non-primary", rbdCopy.getJsonObject("namespace").getString("state"));
        assertEquals(snapId, rbdCopy.getJsonObject("namespace").getLong("primary_snap_id"));
        assertEquals(result(sites.a.mirrorUuidGet(pool)), copy.mirror().primaryMirrorUuid());

        Path exported = tmp.resolve("disk.raw");
        // rbd export takes user snapshots only; the replica's head is the copied state (nothing writes it)
        sites.siteB.rbd("export", pool + "/disk", exported.toString());
        byte[] replica = Files.readAllBytes(exported);
        assertArrayEquals(data, Arrays.copyOfRange(replica, (int) MiB, (int) (2 * MiB)));
        Image replicaHead = result(sites.b.openImageById(PoolNamespace.of(pool), imageIdOnB(spec)));
        assertArrayEquals(data, result(replicaHead.read(MiB, (int) MiB)).getBytes());
        ClusterException refused = Await.failure(Errno.EROFS, replicaHead.write(0, Buffer.buffer("no")));
        assertTrue(refused.getMessage().contains("not primary"), refused.getMessage());
        result(replicaHead.close());
        assertFalse(sites.siteB.rbd("info", pool + "/disk", "--format", "json").json().getJsonObject("mirroring")
                .getBoolean("primary"));

        // site-b's daemon reports its replay state into site-a's pool; we read it as rbd does
        Await.until(REPLICATION_DEADLINE, () -> "site-b's status of disk as seen on site-a", () -> result(
                sites.a.mirrorImageGlobalStatusList(PoolNamespace.of(pool))).stream()
                .filter(s -> s.name().equals("disk")).flatMap(s -> s.siteStatuses().stream())
                .anyMatch(s -> !s.mirrorUuid().isEmpty() && s.up() && s.state() == MirrorImageStatusState.REPLAYING));
        MirrorImageGlobalStatus status = result(primary.mirrorGlobalStatus());
        JsonArray rbdPeers = sites.siteA.rbd("mirror", "image", "status", pool + "/disk", "--format", "json").json()
                .getJsonArray("peer_sites");
        assertEquals(1, rbdPeers.size());
        MirrorImageSiteStatus remote = status.siteStatuses().stream().filter(s -> !s.mirrorUuid().isEmpty())
                .findFirst().orElseThrow();
        assertEquals(rbdPeers.getJsonObject(0).getString("mirror_uuids"), remote.mirrorUuid());
        assertEquals(rbdPeers.getJsonObject(0).getString("state"), "up+" + remote.state().label());
        assertEquals(rbdPeers.getJsonObject(0).getString("description"), remote.description());

        // failover: demote on site-a; promote on site-b once rbd-mirror has carried the demotion over
        result(primary.mirrorDemote());
        result(primary.close());
        Image secondary = result(sites.b.openImage(spec));
        AtomicReference<Throwable> lastRefusal = new AtomicReference<>();
        Await.until(REPLICATION_DEADLINE, () -> "promote on site-b to be accepted: " + lastRefusal.get(), () -> {
            try {
                result(secondary.mirrorPromote(false));
                return true;
            } catch (ClusterException e) {
                // refused (EBUSY, or EROFS while site-b's rbd-mirror still owns the replica) until the
                // demotion has been replicated
                if (e.errno() != Errno.EBUSY && e.errno() != Errno.EROFS) {
                    throw e;
                }
                lastRefusal.set(e);
                return false;
            }
        });
        assertTrue(sites.siteB.rbd("info", pool + "/disk", "--format", "json").json().getJsonObject("mirroring")
                .getBoolean("primary"));
        assertFalse(sites.siteA.rbd("info", pool + "/disk", "--format", "json").json().getJsonObject("mirroring")
                .getBoolean("primary"));
        result(secondary.write(0, Buffer.buffer("written on site-b after failover")));
        result(secondary.flush());
        assertEquals("written on site-b after failover",
                result(secondary.read(0, "written on site-b after failover".length())).toString());
        result(secondary.close());
    }
}
