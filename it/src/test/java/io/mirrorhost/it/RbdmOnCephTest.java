package io.mirrorhost.it;

import static io.mirrorhost.it.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.host.Host;
import io.mirrorhost.host.SiteConf;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real host (in-process, backend = ceph) of both sites driven by the real {@code bin/rbdm}, each
 * mirror command's effect and output checked against real {@code rbd} on the same cluster. The host runs
 * the modules of this class path (rbd, mirror-snapshot-schedule, mirror-status; not the replayer: on
 * Ceph, rbd-mirror does the data path).
 */
class RbdmOnCephTest {
    static final Path RBDM = Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("rbdm");

    @TempDir
    static Path dir;
    static CephSite siteA;
    static CephSite siteB;
    static Vertx vertx;
    static Host hostA;
    static Host hostB;
    static Path cliConfDir;
    static String pool;

    @BeforeAll
    static void startHosts() throws IOException {
        siteA = CephSite.a();
        siteB = CephSite.b();
        vertx = Vertx.vertx();
        cliConfDir = Files.createDirectories(dir.resolve("cli"));
        hostA = start(siteA);
        hostB = start(siteB);
        pool = CephClusters.unique("rbdm");
        for (CephSite site : List.of(siteA, siteB)) {
            site.ceph("osd", "pool", "create", pool);
            site.rbd("pool", "init", pool);
        }
    }

    /** Starts a host for the site on a free port and writes the conf bin/rbdm --cluster NAME reads. */
    private static Host start(CephSite site) throws IOException {
        String key = UUID.randomUUID().toString();
        Path hostDir = Files.createDirectories(dir.resolve("host-" + site.name()));
        String common = "[global]\nsite_name = " + site.name() + "\nbackend = ceph\n\n"
                + "[host]\nlisten_address = 127.0.0.1\nlisten_port = %d\napi_key = " + key + "\n\n";
        Path conf = hostDir.resolve(site.name() + ".conf");
        Files.writeString(conf, String.format(common, 0)
                + "[ceph]\nconf = " + site.conf() + "\nkeyring = " + site.keyring() + "\nclient = client.admin\n\n"
                + "[mgr/mirror-snapshot-schedule]\nrefresh_interval = 3\n");
        Host host = result(Host.start(vertx, SiteConf.load(conf)));
        Files.writeString(cliConfDir.resolve(site.name() + ".conf"), String.format(common, host.port()));
        return host;
    }

    @AfterAll
    static void stopHosts() {
        for (Host host : new Host[] {hostA, hostB}) {
            if (host != null) {
                result(host.close());
            }
        }
        if (vertx != null) {
            result(vertx.close());
        }
    }

    private static CephSite.Result rbdm(CephSite site, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "MIRRORHOST_CONF_DIR=" + cliConfDir, RBDM.toString(),
                "--cluster", site.name()));
        command.addAll(List.of(args));
        return CephSite.exec(command);
    }

    private static CephSite.Result rbdmOk(CephSite site, String... args) {
        CephSite.Result r = rbdm(site, args);
        assertEquals(0, r.exit(), () -> "rbdm " + String.join(" ", args) + " failed: " + r.err() + r.out());
        return r;
    }

    @Test
    void mirrorCommandsConfigureRealClustersAndPrintWhatRbdPrints(@TempDir Path tmp) throws IOException {
        rbdmOk(siteA, "mirror", "pool", "enable", pool, "image", "--site-name", "site-a");
        rbdmOk(siteB, "mirror", "pool", "enable", pool, "image", "--site-name", "site-b");
        assertEquals("image", siteA.rbd("mirror", "pool", "info", pool, "--format", "json").json().getString("mode"));
        assertEquals("site-b", siteB.rbd("mirror", "pool", "info", pool, "--format", "json").json()
                .getString("site_name"));

        Path token = tmp.resolve("token");
        Files.writeString(token, rbdmOk(siteA, "mirror", "pool", "peer", "bootstrap", "create", pool).out());
        rbdmOk(siteB, "mirror", "pool", "peer", "bootstrap", "import", pool, token.toString());
        JsonArray peersOnB = siteB.rbd("mirror", "pool", "info", pool, "--format", "json").json().getJsonArray("peers");
        assertEquals("site-a", peersOnB.getJsonObject(0).getString("site_name"));

        for (CephSite site : List.of(siteA, siteB)) {
            assertEquals(site.rbd("mirror", "pool", "info", pool).out(), rbdmOk(site, "mirror", "pool", "info", pool).out());
            assertEquals(site.rbd("mirror", "pool", "info", pool, "--format", "json").json(),
                    new JsonObject(rbdmOk(site, "mirror", "pool", "info", pool, "--format", "json").out()));
        }

        siteA.rbd("create", "--size", "8M", pool + "/vol");
        rbdmOk(siteA, "mirror", "image", "enable", pool + "/vol", "snapshot");
        JsonObject mirroring = siteA.rbd("info", pool + "/vol", "--format", "json").json().getJsonObject("mirroring");
        assertEquals("snapshot", mirroring.getString("mode"));
        assertTrue(mirroring.getBoolean("primary"));

        int before = siteA.rbd("snap", "ls", "--all", pool + "/vol", "--format", "json").jsonArray().size();
        rbdmOk(siteA, "mirror", "image", "snapshot", pool + "/vol");
        assertEquals(before + 1, siteA.rbd("snap", "ls", "--all", pool + "/vol", "--format", "json").jsonArray().size());

        assertEquals(siteA.rbd("mirror", "image", "status", pool + "/vol").out(),
                rbdmOk(siteA, "mirror", "image", "status", pool + "/vol").out());
        assertEquals(siteA.rbd("mirror", "pool", "status", pool, "--verbose").out(),
                rbdmOk(siteA, "mirror", "pool", "status", pool, "--verbose").out());

        rbdmOk(siteA, "mirror", "image", "demote", pool + "/vol");
        assertFalse(siteA.rbd("info", pool + "/vol", "--format", "json").json().getJsonObject("mirroring")
                .getBoolean("primary"));
        rbdmOk(siteA, "mirror", "image", "promote", pool + "/vol");
        assertTrue(siteA.rbd("info", pool + "/vol", "--format", "json").json().getJsonObject("mirroring")
                .getBoolean("primary"));
    }

    @Test
    void peerPoolAndImageLifecycleCommandsChangeRealClustersAsRbdWould(@TempDir Path tmp) throws IOException {
        String p = CephClusters.unique("rbdm-life");
        siteA.ceph("osd", "pool", "create", p);
        siteA.rbd("pool", "init", p);
        rbdmOk(siteA, "mirror", "pool", "enable", p, "image");

        Path keyFile = Files.writeString(tmp.resolve("key"), "AQDFyQZrp6UVBBAA6V5Sb4SDnRaUfAR9P+quWg==");
        rbdmOk(siteA, "mirror", "pool", "peer", "add", p, "client.remote@far-away", "--remote-mon-host",
                "127.0.0.1:1", "--remote-key-file", keyFile.toString());
        JsonObject peer = siteA.rbd("mirror", "pool", "info", p, "--all", "--format", "json").json()
                .getJsonArray("peers").getJsonObject(0);
        assertEquals("far-away", peer.getString("site_name"));
        assertEquals("client.remote", peer.getString("client_name"));
        assertEquals("127.0.0.1:1", peer.getString("mon_host"));
        assertEquals("AQDFyQZrp6UVBBAA6V5Sb4SDnRaUfAR9P+quWg==", peer.getString("key"));
        String uuid = peer.getString("uuid");
        rbdmOk(siteA, "mirror", "pool", "peer", "set", p, uuid, "mon-host", "127.0.0.1:2");
        peer = siteA.rbd("mirror", "pool", "info", p, "--all", "--format", "json").json().getJsonArray("peers")
                .getJsonObject(0);
        assertEquals("127.0.0.1:2", peer.getString("mon_host"));
        // site-name, client and direction: the SPI has no calls for them yet, so rbdm refuses (see the report)

        siteA.rbd("create", "--size", "4M", p + "/one");
        siteA.rbd("create", "--size", "4M", p + "/two");
        rbdmOk(siteA, "mirror", "image", "enable", p + "/one", "snapshot");
        rbdmOk(siteA, "mirror", "image", "enable", p + "/two", "snapshot");
        assertEquals(siteA.rbd("mirror", "image", "status", p + "/two").out(),
                rbdmOk(siteA, "mirror", "image", "status", p + "/two").out());

        rbdmOk(siteA, "mirror", "pool", "demote", p);
        for (String image : List.of("one", "two")) {
            assertFalse(siteA.rbd("info", p + "/" + image, "--format", "json").json().getJsonObject("mirroring")
                    .getBoolean("primary"), image);
        }
        rbdmOk(siteA, "mirror", "image", "resync", p + "/one");
        assertTrue(siteA.rbd("image-meta", "list", p + "/one", "--format", "json").out().contains("resync_requested"));
        rbdmOk(siteA, "mirror", "pool", "promote", p, "--force");
        assertTrue(siteA.rbd("info", p + "/two", "--format", "json").json().getJsonObject("mirroring")
                .getBoolean("primary"));

        rbdmOk(siteA, "mirror", "image", "disable", p + "/two", "--force");
        assertFalse(siteA.rbd("info", p + "/two", "--format", "json").json().containsKey("mirroring"));

        rbdmOk(siteA, "mirror", "snapshot", "schedule", "add", "--pool", p, "--image", "one", "2h");
        assertEquals(1, siteA.rados("-p", p, "listomapkeys", "rbd_mirror_snapshot_schedule").out().lines().count());
        rbdmOk(siteA, "mirror", "snapshot", "schedule", "remove", "--pool", p, "--image", "one", "2h");
        assertEquals(0, siteA.rados("-p", p, "listomapkeys", "rbd_mirror_snapshot_schedule").out().lines().count());

        rbdmOk(siteA, "mirror", "pool", "peer", "remove", p, uuid);
        assertTrue(siteA.rbd("mirror", "pool", "info", p, "--format", "json").json().getJsonArray("peers").isEmpty());
        CephSite.Result refused = rbdm(siteA, "mirror", "pool", "disable", p);
        CephSite.Result rbdRefused = siteA.tool("rbd", "mirror", "pool", "disable", p);
        assertEquals(rbdRefused.exit(), refused.exit(), refused.err());
        String librbdSays = rbdRefused.err().lines().filter(l -> l.contains(" librbd::"))
                .map(l -> l.substring(l.indexOf("librbd::"))).findFirst().orElseThrow();
        assertTrue(refused.err().contains(librbdSays), () -> "rbd: " + rbdRefused.err() + "rbdm: " + refused.err());
        rbdmOk(siteA, "mirror", "image", "disable", p + "/one", "--force");
        rbdmOk(siteA, "mirror", "pool", "disable", p);
        assertEquals("disabled", siteA.rbd("mirror", "pool", "info", p, "--format", "json").json().getString("mode"));
    }

    @Test
    void statusesReportedByRealRbdMirrorPrintAsRbdPrintsThem(@TempDir Path tmp) throws IOException {
        String replPool = CephClusters.unique("rbdm-status");
        for (CephSite site : List.of(siteA, siteB)) {
            site.ceph("osd", "pool", "create", replPool);
            site.rbd("pool", "init", replPool);
            site.rbd("mirror", "pool", "enable", replPool, "image", "--site-name", site.name());
        }
        Path token = tmp.resolve("token");
        Files.writeString(token, siteA.rbd("mirror", "pool", "peer", "bootstrap", "create", replPool).out());
        siteB.rbd("mirror", "pool", "peer", "bootstrap", "import", replPool, token.toString());
        RbdMirrorDaemon daemonB = new RbdMirrorDaemon(siteB, siteA);
        daemonB.start();
        try {
            siteA.rbd("create", "--size", "4M", replPool + "/seen");
            rbdmOk(siteA, "mirror", "image", "enable", replPool + "/seen", "snapshot");
            Await.until(Duration.ofSeconds(90), () -> "site-b's rbd-mirror to replay " + replPool + "/seen",
                    () -> siteA.rbd("mirror", "image", "status", replPool + "/seen").out().contains("up+replaying"));
            String[] imageStatus = {"mirror", "image", "status", replPool + "/seen"};
            String[] poolStatus = {"mirror", "pool", "status", replPool, "--verbose"};
            // site-a: no local daemon; site-b's status of the image shows under peer sites, as rbd shows it
            sameOutput(siteA, imageStatus);
            sameOutput(siteA, poolStatus);
            // site-b runs the daemon: rbd reads it from the mgr's service map (the "service: admin on vm" line,
            // daemon_service, the DAEMONS section and daemon health), and so do we
            for (String[] command : List.of(imageStatus, poolStatus)) {
                sameOutput(siteB, command);
                sameOutput(siteB, withArgs(command, "--format", "json"));
                sameOutput(siteB, withArgs(command, "--format", "json", "--pretty-format"));
            }
            sameOutput(siteB, new String[] {"mirror", "pool", "status", replPool});
        } finally {
            daemonB.stop();
        }
    }

    @Test
    void aDaemonRegisteredThroughLibradosIsInTheManagersServiceMap() {
        io.mirrorhost.api.cluster.Cluster client = CephClusters.connect(vertx, siteA);
        try {
            String service = CephClusters.unique("mirrorhost-it");
            result(client.serviceDaemonRegister(service, "probe", java.util.Map.of("id", "probe")));
            result(client.serviceDaemonUpdateStatus(java.util.Map.of("json", "{\"3\":{\"leader\":true}}")));
            Await.until(Duration.ofSeconds(60), () -> "the manager to list " + service + " with its status",
                    () -> result(client.serviceDaemonList(service)).stream().anyMatch(d -> d.name().equals("probe")
                            && !d.status().isEmpty()));
            io.mirrorhost.api.cluster.ServiceDaemon probe = result(client.serviceDaemonList(service)).get(0);
            assertEquals("probe", probe.metadata().get("id"));
            assertEquals(java.util.Map.of("json", "{\"3\":{\"leader\":true}}"), probe.status());
            JsonObject dump = siteA.ceph("service", "dump", "-f", "json").json();
            assertEquals("probe", dump.getJsonObject("services").getJsonObject(service).getJsonObject("daemons")
                    .getJsonObject("probe").getJsonObject("metadata").getString("id"), "as ceph service dump shows it");
            assertEquals(probe.metadata().get("hostname"), dump.getJsonObject("services").getJsonObject(service)
                    .getJsonObject("daemons").getJsonObject("probe").getJsonObject("metadata").getString("hostname"));
            // on Ceph the real rbd-mirror is the rbd-mirror daemon: a host's replayer stays out of the map
            Await.failure(io.mirrorhost.api.Errno.EOPNOTSUPP,
                    client.serviceDaemonRegister("rbd-mirror", "4100", java.util.Map.of()));
        } finally {
            result(client.close());
        }
    }

    /** Refusals of image create, rename and rm: librbd's reason and rbd's lines, as real rbd prints them. */
    @Test
    void imageRefusalsPrintWhatRbdPrints() throws IOException, InterruptedException {
        String p = CephClusters.unique("rbdm-names");
        siteA.ceph("osd", "pool", "create", p);
        siteA.rbd("pool", "init", p);
        siteA.rbd("create", "--size", "8M", p + "/one");
        siteA.rbd("create", "--size", "8M", p + "/two");
        sameRefusal("create", "--size", "8M", p + "/one");
        sameRefusal("rename", p + "/one", p + "/two");
        sameRefusal("rename", p + "/one", p + "/one");
        sameRefusal("rename", p + "/nope", p + "/three");

        // another client has the image open: rbd watch, until it reads a line
        Process watcher = new ProcessBuilder("rbd", "-c", siteA.conf().toString(), "watch", p + "/two")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Await.until(Duration.ofSeconds(30), () -> "rbd watch to open " + p + "/two", () -> !siteA.rbd("status",
                    p + "/two", "--format", "json").json().getJsonArray("watchers").isEmpty());
            sameRefusal("rm", p + "/two");
        } finally {
            watcher.getOutputStream().write('\n');
            watcher.getOutputStream().close();
            assertTrue(watcher.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "rbd watch ends on a line");
        }
        rbdmOk(siteA, "rm", p + "/two");
        assertEquals("one\n", siteA.rbd("ls", p).out());
    }

    private static void sameRefusal(String... command) {
        CephSite.Result rbd = siteA.tool("rbd", command);
        CephSite.Result ours = rbdm(siteA, command);
        String what = String.join(" ", command) + "\nrbd:\n" + rbd.err() + "rbdm:\n" + ours.err();
        assertTrue(rbd.exit() != 0, what);
        assertEquals(rbd.exit(), ours.exit(), what);
        assertEquals(stderrLines(rbd.err()), stderrLines(ours.err()), what);
    }

    /** One entry of librbd's log: time, thread and level, then the line (with the request's address). */
    private static final Pattern LOG_ENTRY = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+[+-]\\d{4} [0-9a-f]+ +-?\\d+ ([^\\n]*)\\n");

    /**
     * Standard error's lines, sorted, without librbd's log prefix and request address, progress carriage
     * returns and blank lines: rbd writes its messages piece by piece and librbd logs from its own thread,
     * so its entries land anywhere, even inside one of rbd's lines ({@code rbd: rename error: <entry>(2) ...}).
     */
    private static List<String> stderrLines(String stderr) {
        List<String> lines = new ArrayList<>();
        Matcher entry = LOG_ENTRY.matcher(stderr);
        while (entry.find()) {
            lines.add(entry.group(1).replaceFirst("^(librbd\\S*: )0x[0-9a-f]+ ", "$1"));
        }
        entry.replaceAll("").replace("\r", "").lines().filter(l -> !l.isEmpty()).forEach(lines::add);
        return lines.stream().sorted().toList();
    }

    private static String[] withArgs(String[] command, String... more) {
        String[] all = java.util.Arrays.copyOf(command, command.length + more.length);
        System.arraycopy(more, 0, all, command.length, more.length);
        return all;
    }

    private static void sameOutput(CephSite site, String[] command) {
        AtomicReference<String> diff = new AtomicReference<>();
        // rbd-mirror rewrites its status every 30 s (last_update, rates in the description): compare two
        // reads that saw the same one
        Await.until(Duration.ofSeconds(40), () -> site.name() + " " + String.join(" ", command)
                + " differs from rbd:\n" + diff.get(), () -> {
                    String rbd = site.rbd(command).out();
                    String ours = rbdmOk(site, command).out();
                    diff.set("rbd:\n" + rbd + "rbdm:\n" + ours);
                    return rbd.equals(ours);
                });
    }

    @Test
    void theScheduleModuleSnapshotsRealImagesOnSchedule() {
        String schedPool = CephClusters.unique("rbdm-sched");
        siteA.ceph("osd", "pool", "create", schedPool);
        siteA.rbd("pool", "init", schedPool);
        siteA.rbd("mirror", "pool", "enable", schedPool, "image");
        siteA.rbd("mirror", "pool", "peer", "add", schedPool, "client.rbd-mirror-peer@site-b");
        siteA.rbd("create", "--size", "4M", schedPool + "/tick");
        siteA.rbd("mirror", "image", "enable", schedPool + "/tick", "snapshot");

        rbdmOk(siteA, "mirror", "snapshot", "schedule", "add", "--pool", schedPool, "1m");
        String poolId = siteA.ceph("osd", "pool", "stats", schedPool, "-f", "json").jsonArray().getJsonObject(0)
                .getValue("pool_id").toString();
        assertEquals(List.of(poolId), siteA.rados("-p", schedPool, "listomapkeys", "rbd_mirror_snapshot_schedule")
                .out().lines().toList());
        assertTrue(rbdmOk(siteA, "mirror", "snapshot", "schedule", "ls", "--pool", schedPool).out().contains("1m"));

        int before = mirrorSnapshots(schedPool + "/tick");
        Await.until(Duration.ofSeconds(150), () -> "a scheduled mirror-snapshot of " + schedPool + "/tick",
                () -> mirrorSnapshots(schedPool + "/tick") > before);
    }

    private static int mirrorSnapshots(String image) {
        return (int) siteA.rbd("snap", "ls", "--all", image, "--format", "json").jsonArray().stream()
                .map(JsonObject.class::cast).filter(s -> s.getJsonObject("namespace").getString("type").equals("mirror"))
                .count();
    }
}
