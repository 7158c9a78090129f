package io.mirrorhost.it;

import static io.mirrorhost.it.Await.failure;
import static io.mirrorhost.it.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster SPI on a real Ceph cluster, each result checked against what real rbd/rados/ceph report. */
class CephClusterSpiTest {
    static final long MiB = 1L << 20;

    static CephSite site;
    static Vertx vertx;
    static Cluster cluster;
    static String pool;

    @BeforeAll
    static void connect() {
        site = CephSite.a();
        vertx = Vertx.vertx();
        cluster = CephClusters.connect(vertx, site);
        pool = CephClusters.unique("spi");
        result(cluster.createPool(pool));
        result(cluster.initPool(pool));
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            result(cluster.close());
        }
        if (vertx != null) {
            result(vertx.close());
        }
    }

    private static ImageSpec image(String name) {
        return ImageSpec.of(pool, "", name);
    }

    @Test
    void fsidAndClientAreTheClustersOwn() {
        assertEquals(site.ceph("fsid").out().trim(), cluster.fsid());
        assertEquals("client.admin", cluster.clientName());
    }

    @Test
    void aWrongKeyIsRefusedWithEaccesNamingTheCluster() throws Exception {
        String monHost = Files.readAllLines(site.conf()).stream().filter(l -> l.startsWith("mon host = "))
                .map(l -> l.substring("mon host = ".length()).trim()).findFirst().orElseThrow();
        String wrongKey = "AQDFyQZrp6UVBBAA6V5Sb4SDnRaUfAR9P+quWg==";
        io.mirrorhost.api.cluster.ClusterException refused = failure(Errno.EACCES, CephClusters.provider()
                .connectPeer(vertx, new io.mirrorhost.api.cluster.PeerConnection("site-a", "client.admin", monHost,
                        wrongKey)));
        assertEquals("cannot connect to the Ceph cluster as client.admin (mon_host " + monHost
                + "): (13) Permission denied", refused.getMessage());
        assertEquals("[ceph] conf file /nonexistent.conf does not exist or is not readable", failure(Errno.ENOENT,
                CephClusters.provider().connect(vertx, Map.of("conf", "/nonexistent.conf"))).getMessage());
    }

    @Test
    void poolsAreCreatedListedInitialisedAndRemovedAsCephSeesThem() {
        String extra = CephClusters.unique("pool");
        result(cluster.createPool(extra));
        assertTrue(site.ceph("osd", "pool", "ls").out().lines().anyMatch(extra::equals));
        PoolInfo listed = result(cluster.listPools()).stream().filter(p -> p.name().equals(extra)).findFirst()
                .orElseThrow();
        assertFalse(listed.rbdInitialized());
        assertEquals(Long.parseLong(site.ceph("osd", "pool", "stats", extra, "-f", "json").jsonArray()
                .getJsonObject(0).getValue("pool_id").toString()), listed.id());
        failure(Errno.EEXIST, cluster.createPool(extra));

        result(cluster.initPool(extra));
        assertTrue(result(cluster.listPools()).stream().anyMatch(p -> p.name().equals(extra) && p.rbdInitialized()));
        assertTrue(site.ceph("osd", "pool", "application", "get", extra, "-f", "json").json().containsKey("rbd"));

        result(cluster.removePool(extra));
        assertFalse(site.ceph("osd", "pool", "ls").out().lines().anyMatch(extra::equals));
        assertEquals("pool '" + extra + "' does not exist", failure(Errno.ENOENT, cluster.removePool(extra)).getMessage());
        assertEquals("pool '" + extra + "' does not exist",
                failure(Errno.ENOENT, cluster.listImages(PoolNamespace.of(extra))).getMessage());
    }

    @Test
    void namespacesMatchRbdNamespaceLs() {
        result(cluster.createNamespace(new PoolNamespace(pool, "ns1")));
        site.rbd("namespace", "create", pool + "/ns2");
        List<String> rbdSays = site.rbd("namespace", "ls", pool, "--format", "json").jsonArray().stream()
                .map(o -> ((JsonObject) o).getString("name")).toList();
        assertEquals(Set.copyOf(rbdSays), Set.copyOf(result(cluster.listNamespaces(pool))));
        assertTrue(rbdSays.containsAll(List.of("ns1", "ns2")));
        failure(Errno.EEXIST, cluster.createNamespace(new PoolNamespace(pool, "ns1")));

        result(cluster.createImage(ImageSpec.of(pool, "ns1", "inside"), ImageOptions.of(4 * MiB)));
        assertEquals(List.of("inside"), site.rbd("ls", pool + "/ns1", "--format", "json").jsonArray().getList());
        assertEquals(List.of(), site.rbd("ls", pool, "--format", "json").jsonArray().getList().stream()
                .filter("inside"::equals).toList());
        failure(Errno.EBUSY, cluster.removeNamespace(new PoolNamespace(pool, "ns1")));
        result(cluster.removeImage(ImageSpec.of(pool, "ns1", "inside")));

        result(cluster.removeNamespace(new PoolNamespace(pool, "ns1")));
        result(cluster.removeNamespace(new PoolNamespace(pool, "ns2")));
        assertTrue(site.rbd("namespace", "ls", pool, "--format", "json").jsonArray().isEmpty());
        assertEquals("namespace '" + pool + "/ns1' does not exist",
                failure(Errno.ENOENT, cluster.removeNamespace(new PoolNamespace(pool, "ns1"))).getMessage());
    }

    @Test
    void imagesAreCreatedAsRbdInfoShowsThem() {
        ImageSpec spec = image("info");
        Set<ImageFeature> features = Set.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK,
                ImageFeature.OBJECT_MAP, ImageFeature.FAST_DIFF);
        result(cluster.createImage(spec, new ImageOptions(40 * MiB, 20, features, null)));
        JsonObject info = site.rbd("info", pool + "/info", "--format", "json").json();

        Image image = result(cluster.openImage(spec));
        ImageInfo ours = result(image.info());
        assertEquals(info.getString("name"), ours.name());
        assertEquals(info.getString("id"), ours.id());
        assertEquals(info.getLong("size"), ours.size());
        assertEquals(info.getInteger("order"), ours.order());
        assertEquals(info.getLong("objects"), ours.objectCount());
        assertEquals(info.getString("block_name_prefix"), ours.blockNamePrefix());
        assertEquals(Set.copyOf(info.getJsonArray("features").getList()),
                ours.features().stream().map(ImageFeature::featureName).collect(Collectors.toSet()));
        assertEquals(info.getJsonArray("flags").size(), ours.flags().size());
        assertNull(ours.dataPool());
        assertEquals(0, ours.snapshotCount());
        result(image.close());

        List<ImageEntry> listed = result(cluster.listImages(PoolNamespace.of(pool)));
        assertTrue(listed.contains(new ImageEntry("info", info.getString("id"))));
        assertEquals("librbd: rbd image " + spec.name() + " already exists",
                failure(Errno.EEXIST, cluster.createImage(spec, ImageOptions.of(MiB))).getMessage());

        result(cluster.renameImage(spec, "renamed"));
        assertEquals(info.getString("id"), site.rbd("info", pool + "/renamed", "--format", "json").json().getString("id"));
        Image byId = result(cluster.openImageById(PoolNamespace.of(pool), info.getString("id")));
        assertEquals("renamed", byId.spec().name());
        result(byId.close());

        result(cluster.removeImage(image("renamed")));
        assertEquals(2, site.tool("rbd", "info", pool + "/renamed").exit());
        assertEquals("image " + image("renamed") + " does not exist",
                failure(Errno.ENOENT, cluster.openImage(image("renamed"))).getMessage());
        failure(Errno.ENOENT, cluster.removeImage(image("renamed")));
    }

    @Test
    void imagesInADataPoolShowItInRbdInfo() {
        String data = CephClusters.unique("data");
        result(cluster.createPool(data));
        result(cluster.initPool(data));
        ImageSpec spec = image("withdata");
        result(cluster.createImage(spec, new ImageOptions(8 * MiB, 22, ImageFeature.defaults(), data)));
        assertEquals(data, site.rbd("info", pool + "/withdata", "--format", "json").json().getString("data_pool"));
        Image image = result(cluster.openImage(spec));
        assertEquals(data, result(image.info()).dataPool());
        result(image.close());
        result(cluster.removeImage(spec));
        result(cluster.removePool(data));
        assertEquals("data pool 'nope' does not exist", failure(Errno.ENOENT, cluster.createImage(image("nodata"),
                new ImageOptions(MiB, 22, ImageFeature.defaults(), "nope"))).getMessage());
    }

    @Test
    void writesAreWhatRbdExportReadsAndDiscardsReadAsZeros(@TempDir Path tmp) throws Exception {
        ImageSpec spec = image("io");
        result(cluster.createImage(spec, ImageOptions.of(16 * MiB)));
        Image image = result(cluster.openImage(spec));
        byte[] data = new byte[256 * 1024];
        new Random(7).nextBytes(data);
        long offset = 5 * MiB + 4096;
        result(image.write(offset, Buffer.buffer(data)));
        result(image.flush());
        assertArrayEquals(data, result(image.read(offset, data.length)).getBytes());

        Path exported = tmp.resolve("io.raw");
        site.rbd("export", pool + "/io", exported.toString());
        byte[] whole = Files.readAllBytes(exported);
        assertEquals(16 * MiB, whole.length);
        assertArrayEquals(data, java.util.Arrays.copyOfRange(whole, (int) offset, (int) offset + data.length));
        assertEquals(0, whole[0]);

        result(image.discard(offset, 64 * 1024));
        assertArrayEquals(new byte[64 * 1024], result(image.read(offset, 64 * 1024)).getBytes());
        result(image.resize(32 * MiB));
        assertEquals(32 * MiB, site.rbd("info", pool + "/io", "--format", "json").json().getLong("size"));
        result(image.close());
        result(cluster.removeImage(spec));
    }

    @Test
    void snapshotsAndDiffsMatchRbdSnapLsAndRbdDiff() {
        ImageSpec spec = image("snaps");
        result(cluster.createImage(spec, ImageOptions.of(16 * MiB)));
        Image image = result(cluster.openImage(spec));
        result(image.write(0, Buffer.buffer(new byte[] {1, 2, 3})));
        long s1 = result(image.createSnap("s1"));
        result(image.write(8 * MiB, Buffer.buffer(new byte[4096]).setByte(0, (byte) 9)));
        result(image.write(12 * MiB, Buffer.buffer(new byte[] {7})));
        result(image.flush());
        long s2 = result(image.createSnap("s2"));
        result(image.protectSnap("s2"));

        JsonArray rbdSnaps = site.rbd("snap", "ls", pool + "/snaps", "--format", "json").jsonArray();
        List<SnapInfo> ours = result(image.listSnaps());
        assertEquals(List.of(s1, s2), ours.stream().map(SnapInfo::id).toList());
        for (int i = 0; i < ours.size(); i++) {
            JsonObject theirs = rbdSnaps.getJsonObject(i);
            assertEquals(theirs.getLong("id"), ours.get(i).id());
            assertEquals(theirs.getString("name"), ours.get(i).name());
            assertEquals(theirs.getLong("size"), ours.get(i).size());
            assertEquals(Boolean.parseBoolean(theirs.getString("protected")), ours.get(i).isProtected());
            assertEquals(SnapNamespace.USER, ours.get(i).namespace());
        }
        assertEquals(2, result(image.info()).snapshotCount());
        assertEquals("snapshot 's1' already exists", failure(Errno.EEXIST, image.createSnap("s1")).getMessage());
        assertEquals("snapshot 's2' is protected from removal", failure(Errno.EBUSY, image.removeSnap("s2")).getMessage());

        Set<DiffExtent> rbdDiff = new HashSet<>();
        for (Object o : site.rbd("diff", "--from-snap", "s1", pool + "/snaps", "--format", "json").jsonArray()) {
            JsonObject e = (JsonObject) o;
            rbdDiff.add(new DiffExtent(e.getLong("offset"), e.getLong("length"), e.getString("exists").equals("true")));
        }
        Set<DiffExtent> ourDiff = Set.copyOf(result(image.diff(s1, 0, 16 * MiB, false)));
        assertEquals(rbdDiff, ourDiff);
        assertFalse(ourDiff.isEmpty());

        Image atS1 = result(cluster.openImageAtSnap(PoolNamespace.of(pool), result(image.info()).id(), s1));
        assertEquals(s1, atS1.snapId());
        assertArrayEquals(new byte[] {1, 2, 3}, result(atS1.read(0, 3)).getBytes());
        assertArrayEquals(new byte[1], result(atS1.read(12 * MiB, 1)).getBytes());
        failure(Errno.EROFS, atS1.write(0, Buffer.buffer(new byte[1])));
        result(atS1.close());

        result(image.unprotectSnap("s2"));
        result(image.removeSnapById(s2));
        result(image.rollbackSnap("s1"));
        assertArrayEquals(new byte[1], result(image.read(12 * MiB, 1)).getBytes());
        result(image.close());
        assertEquals("image has snapshots - these must be deleted with 'rbd snap purge' before the image can be removed.",
                failure(Errno.ENOTEMPTY, cluster.removeImage(spec)).getMessage());
        site.rbd("snap", "purge", pool + "/snaps");
        result(cluster.removeImage(spec));
    }

    @Test
    void featuresAndTheExclusiveLock() {
        ImageSpec spec = image("lock");
        result(cluster.createImage(spec, ImageOptions.of(4 * MiB)));
        Image image = result(cluster.openImage(spec));
        result(image.updateFeatures(Set.of(ImageFeature.FAST_DIFF, ImageFeature.OBJECT_MAP), false));
        assertFalse(site.rbd("info", pool + "/lock", "--format", "json").json().getJsonArray("features")
                .contains("object-map"));
        result(image.lockAcquire());
        List<String> owners = result(image.lockOwners());
        assertEquals(1, owners.size());
        result(image.lockRelease());
        result(image.close());
        result(cluster.removeImage(spec));
    }

    @Test
    void omapIsRealRadosOmap(@TempDir Path tmp) throws Exception {
        PoolNamespace where = PoolNamespace.of(pool);
        result(cluster.omapSet(where, "kv", Map.of("alpha", "1", "beta", "{\"x\": 2}")));
        Path value = tmp.resolve("beta");
        site.rados("-p", pool, "getomapval", "kv", "beta", value.toString());
        assertEquals("{\"x\": 2}", Files.readString(value));
        assertEquals(List.of("alpha", "beta"), site.rados("-p", pool, "listomapkeys", "kv").out().lines().toList());

        site.rados("-p", pool, "setomapval", "kv", "gamma", "from-rados");
        assertEquals(Map.of("alpha", "1", "beta", "{\"x\": 2}", "gamma", "from-rados"), result(cluster.omapGet(where, "kv")));

        result(cluster.omapRemove(where, "kv", Set.of("alpha", "gamma")));
        assertEquals(List.of("beta"), site.rados("-p", pool, "listomapkeys", "kv").out().lines().toList());
        assertEquals(Map.of(), result(cluster.omapGet(where, "no-such-object")));

        Map<String, String> many = new java.util.TreeMap<>();
        for (int i = 0; i < 1200; i++) {
            many.put(String.format("k%05d", i), "v" + i);
        }
        result(cluster.omapSet(where, "big", many));
        assertEquals(many, result(cluster.omapGet(where, "big")));

        result(cluster.removeObject(where, "kv"));
        assertFalse(site.rados("-p", pool, "ls").out().lines().anyMatch("kv"::equals));
        result(cluster.removeObject(where, "kv"));
    }

    @Test
    void configKeysAreTheMonitorsConfigKeyStore() {
        String prefix = CephClusters.unique("mirrorhost/it") + "/";
        result(cluster.configKeySet(prefix + "one", "1"));
        assertEquals("1", site.ceph("config-key", "get", prefix + "one").out());
        site.ceph("config-key", "set", prefix + "two", "zwei");
        assertEquals(Optional.of("zwei"), result(cluster.configKeyGet(prefix + "two")));
        assertEquals(Map.of(prefix + "one", "1", prefix + "two", "zwei"), result(cluster.configKeyList(prefix)));
        result(cluster.configKeyRemove(prefix + "one"));
        assertEquals(2, site.tool("ceph", "config-key", "get", prefix + "one").exit());
        assertEquals(Optional.empty(), result(cluster.configKeyGet(prefix + "one")));
        result(cluster.configKeyRemove(prefix + "one"));
    }

    @Test
    void watchersHearRadosNotify() {
        PoolNamespace where = PoolNamespace.of(pool);
        site.rados("-p", pool, "create", "bell");
        List<Buffer> heard = new CopyOnWriteArrayList<>();
        Watch watch = result(cluster.watch(where, "bell", heard::add));
        site.rados("-p", pool, "notify", "bell", "from-rados");
        result(cluster.notify(where, "bell", Buffer.buffer("from-us")));
        Await.until(Duration.ofSeconds(20), () -> "notifications, got " + heard, () -> heard.size() == 2);
        // rados notify sends its message encoded as a Ceph string: u32 little-endian length, then the bytes.
        assertEquals(Buffer.buffer().appendIntLE(10).appendString("from-rados"), heard.get(0));
        assertEquals(Buffer.buffer("from-us"), heard.get(1));
        result(watch.close());
        site.rados("-p", pool, "notify", "bell", "after-close");
        assertEquals(2, heard.size());
        failure(Errno.ENOENT, cluster.watch(where, "no-such-bell", b -> { }));
    }

    @Test
    void imageUpdateWatchFiresOnAResizeByRealRbd() {
        ImageSpec spec = image("watched");
        result(cluster.createImage(spec, ImageOptions.of(4 * MiB)));
        Image image = result(cluster.openImage(spec));
        List<String> updates = new CopyOnWriteArrayList<>();
        Watch watch = result(image.updateWatch(() -> updates.add("update")));
        site.rbd("resize", "--size", "8M", pool + "/watched");
        Await.until(Duration.ofSeconds(20), () -> "an update notification", () -> !updates.isEmpty());
        assertEquals(8 * MiB, result(image.info()).size());
        result(watch.close());
        result(image.close());
        result(cluster.removeImage(spec));
    }
}
