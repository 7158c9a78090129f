package io.mirrorhost.host.ha;

import static io.mirrorhost.api.testing.Deadlines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.testing.Deadlines;
import io.mirrorhost.host.Main;
import io.mirrorhost.host.testing.TestSites;
import io.mirrorhost.host.testing.TestSites.Api;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three host processes of one site (conf/site-a.conf, site-a-2.conf, site-a-3.conf as a site ships
 * them, each connected to the site's embedded cluster with mon_host) under a schedule of 1m: SIGKILL
 * of the leader, another instance leads and takes the next due snapshot; no due snapshot is missed
 * or taken twice. The storage is served by the test JVM, as {@code bin/mirrorhost cluster} would.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LeaderFailoverProcessTest {
    private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/api/v1/");
    private static final String ADMIN_KEY = "test-admin-key-0123456789";
    private static final String INTERVAL_PREFIX = "mirror snapshot schedule";

    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();
    private Cluster storage;
    private int storagePort;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final ImageSpec image = new ImageSpec(PoolNamespace.of("rbd"), "busy");

    private record Instance(String name, Process process, Api api, List<String> output) {
    }

    @BeforeEach
    void serveStorage() throws IOException {
        storagePort = freePort();
        ClusterProvider embedded = ServiceLoader.load(ClusterProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("embedded")).findFirst().orElseThrow();
        storage = await(embedded.connect(vertx, Map.of("data_dir", dir.resolve("cluster").toString(),
                "listen_address", "127.0.0.1", "listen_port", Integer.toString(storagePort), "key", ADMIN_KEY)));
        await(storage.createPool("rbd"));
        await(storage.initPool("rbd"));
        await(storage.mirrorModeSet(PoolNamespace.of("rbd"), MirrorMode.IMAGE));
        await(storage.mirrorPeerSiteAdd("rbd", "site-b", "client.remote", MirrorPeerDirection.RX_TX));
        await(storage.createImage(image, ImageOptions.of(8L << 20)));
        Image opened = await(storage.openImage(image));
        try {
            await(opened.mirrorEnable(MirrorImageMode.SNAPSHOT));
        } finally {
            await(opened.close());
        }
    }

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
        await(storage.close());
        await(vertx.close());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The confs of three instances of site-a, named by their files, all on the site's cluster and Hazelcast members. */
    private List<Path> siteConfs() throws IOException {
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        String members = String.join(", ", ports.stream().map(port -> "127.0.0.1:" + port).toList());
        List<Path> confs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path conf = dir.resolve(i == 0 ? "site-a.conf" : "site-a-" + (i + 1) + ".conf");
            Files.writeString(conf, String.join("\n",
                    "[global]", "site_name = site-a", "backend = embedded",
                    "[host]", "listen_address = 127.0.0.1", "listen_port = 0", "api_key = " + TestSites.API_KEY,
                    "[embedded]", "mon_host = 127.0.0.1:" + storagePort, "key = " + ADMIN_KEY,
                    "[hazelcast]", "members = " + members, "port = " + ports.get(i), ""));
            confs.add(conf);
        }
        return confs;
    }

    private Instance launch(Path conf) throws Exception {
        String name = conf.getFileName().toString().replace(".conf", "");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // Hazelcast's Java 17 module flags, as bin/mirrorhost passes them (this JVM got them from surefire)
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-Djava.net")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.logFile=System.out", Main.class.getName(), "--conf", conf.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(process);
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("read failed: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        Deadlines.until(Duration.ofSeconds(90), () -> name + " to serve; output: " + output,
                () -> output.stream().anyMatch(line -> SERVING.matcher(line).find()));
        Matcher serving = output.stream().map(SERVING::matcher).filter(Matcher::find).findFirst().orElseThrow();
        Instance instance = new Instance(name, process, new Api(Integer.parseInt(serving.group(1))), output);
        instances.put(name, instance);
        return instance;
    }

    private static JsonObject mgrStat(Instance instance) {
        try {
            return new JsonObject(instance.api().command("mgr stat", Map.of(), "json").stdout());
        } catch (Exception e) {
            return new JsonObject();
        }
    }

    /** Every live instance names the same leader, one other than {@code not}, with the others standing by. */
    private Instance agreedLeader(List<Instance> live, Optional<String> not) {
        Deadlines.until(Duration.ofSeconds(60), () -> "one leader agreed by " + live.stream().map(Instance::name).toList(),
                () -> {
                    List<JsonObject> stats = live.stream().map(LeaderFailoverProcessTest::mgrStat).toList();
                    return stats.stream().distinct().count() == 1 && stats.get(0).getBoolean("available", false)
                            && stats.get(0).getInteger("num_standby") == live.size() - 1
                            && !not.equals(Optional.of(stats.get(0).getString("active_name")));
                });
        return instances.get(mgrStat(live.get(0)).getString("active_name"));
    }

    /** The minutes (UTC, truncated) at which the image's mirror-snapshots were taken, in order. */
    private List<Instant> snapshotMinutes() {
        Image opened = await(storage.openImage(image));
        try {
            return await(opened.listSnaps()).stream().filter(s -> s.namespace() == SnapNamespace.MIRROR)
                    .map(SnapInfo::timestamp).map(t -> t.truncatedTo(ChronoUnit.MINUTES)).toList();
        } finally {
            await(opened.close());
        }
    }

    private List<Instant> snapshotTimes() {
        Image opened = await(storage.openImage(image));
        try {
            return await(opened.listSnaps()).stream().filter(s -> s.namespace() == SnapNamespace.MIRROR)
                    .map(SnapInfo::timestamp).toList();
        } finally {
            await(opened.close());
        }
    }

    /** Taken within 5 s after a minute mark: a run due then, not one taken when the schedule was added. */
    private static boolean atAMinuteMark(Instant taken) {
        return Duration.between(taken.truncatedTo(ChronoUnit.MINUTES), taken).compareTo(Duration.ofSeconds(5)) < 0;
    }

    @Test
    void theScheduleGoesOnInAnotherInstanceWhenTheLeaderIsKilled() throws Exception {
        List<Instance> live = new ArrayList<>();
        for (Path conf : siteConfs()) {
            live.add(launch(conf));
        }
        Instance leader = agreedLeader(live, Optional.empty());
        assertEquals(0, leader.api().command(INTERVAL_PREFIX + " add", Map.of("pool", "rbd", "interval", "1m")).code());
        // the first run at a minute mark (one may be taken when the schedule is added), then the kill, well
        // before the next: a survivor takes the next due run
        Deadlines.until(Duration.ofSeconds(150), () -> "the leader to take a run due at a minute mark",
                () -> snapshotTimes().stream().anyMatch(LeaderFailoverProcessTest::atAMinuteMark));
        Instant firstDue = snapshotTimes().stream().filter(LeaderFailoverProcessTest::atAMinuteMark).findFirst()
                .orElseThrow().truncatedTo(ChronoUnit.MINUTES);

        long killed = System.nanoTime();
        leader.process().destroyForcibly();
        live.remove(leader);
        Instance next = agreedLeader(live, Optional.of(leader.name()));
        long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertNotEquals(leader.name(), next.name());

        Instant lastDue = firstDue.plus(Duration.ofMinutes(1));
        Deadlines.until(Duration.ofSeconds(150), () -> "the new leader to take the runs due until " + lastDue,
                () -> snapshotMinutes().contains(lastDue));
        List<Instant> minutes = snapshotMinutes();
        for (Instant due = firstDue; !due.isAfter(lastDue); due = due.plus(Duration.ofMinutes(1))) {
            Instant minute = due;
            assertEquals(1, minutes.stream().filter(minute::equals).count(), "the run due at " + due + " taken once, in "
                    + snapshotTimes());
        }
        assertEquals(minutes.size(), minutes.stream().distinct().count(), "no run taken twice: " + snapshotTimes());
        System.out.println("LeaderFailoverProcessTest: " + leader.name() + " killed, " + next.name()
                + " agreed leader by every survivor after " + failoverMillis + " ms");
    }
}
