package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.failure;
import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.embedded.ClusterMain;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone cluster as a real child JVM: served, killed with SIGKILL, restarted, data kept. */
class ClusterMainProcessTest {
    private static final String EOF = "<end of output>";

    @TempDir
    Path dir;
    private Vertx vertx;
    private Process process;
    private BlockingQueue<String> output;
    private Path conf;
    private int port;
    private final String key = Handshake.newKey();

    @BeforeEach
    void setUp() throws IOException {
        vertx = Vertx.vertx();
        port = FreePort.find();
        conf = dir.resolve("site-a.conf");
        Files.writeString(conf, String.join("\n",
                "[global]",
                "site_name = site-a   # the local site",
                "backend = embedded",
                "",
                "[embedded]",
                "; relative to this file",
                "data_dir = run/cluster",
                "listen_address = 127.0.0.1",
                "listen port = " + port,
                "key = " + key,
                "mon_host = 127.0.0.1:" + port,
                ""));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        result(vertx.close());
    }

    @Test
    void dataSurvivesSigkillAndClientsReconnectToTheRestartedServer() throws Exception {
        start();
        Cluster remote = result(RemoteCluster.connect(vertx, RemoteClusterOptions.of("127.0.0.1:" + port,
                AuthRegistry.ADMIN_CLIENT, key)));
        String fsid = remote.fsid();
        result(remote.createPool("rbd"));
        result(remote.omapSet(PoolNamespace.of("rbd"), "rbd_mirroring", Map.of("mode", "image")));
        result(remote.configKeySet("test/kept", "yes"));
        ImageSpec spec = ImageSpec.of("rbd", "", "disk");
        result(remote.createImage(spec, ImageOptions.of(8 << 20)));
        Image image = result(remote.openImage(spec));
        byte[] data = new byte[1 << 20];
        new java.util.Random(7).nextBytes(data);
        result(image.write(3 << 20, Buffer.buffer(data)));
        result(image.flush());

        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server did not die");
        ClusterException down = failure(remote.listPools());
        assertTrue(down.errno() == Errno.ECONNREFUSED || down.errno() == Errno.ESHUTDOWN, down.getMessage());

        start();
        assertEquals(List.of("rbd"), result(remote.listPools()).stream().map(PoolInfo::name).toList());
        assertEquals(Map.of("mode", "image"), result(remote.omapGet(PoolNamespace.of("rbd"), "rbd_mirroring")));
        assertEquals(Optional.of("yes"), result(remote.configKeyGet("test/kept")));
        assertEquals(fsid, remote.fsid());
        assertArrayEquals(data, result(image.read(3 << 20, 1 << 20)).getBytes(), "flushed writes survive SIGKILL");
        result(image.close());
        assertTrue(Files.isDirectory(dir.resolve("run/cluster")), "data_dir resolves against the conf's directory");
        result(remote.close());
    }

    @Test
    void sigtermStopsCleanly() throws Exception {
        start();
        process.toHandle().destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
        awaitLine("stopped");
    }

    @Test
    void confMistakesAreReportedAndExitNonZero() throws Exception {
        Files.writeString(conf, "[embedded]\ndata_dir = x\n");
        Process bad = javaProcess(ClusterMain.class.getName(), "--conf", conf.toString())
                .redirectErrorStream(true).start();
        String text = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
        assertEquals(22, bad.exitValue(), text);
        assertTrue(text.contains("[embedded] listen_port is missing in " + conf), text);
    }

    private void start() throws Exception {
        process = javaProcess(ClusterMain.class.getName(), "--conf", conf.toString()).redirectErrorStream(true).start();
        output = new LinkedBlockingQueue<>();
        Process started = process;
        BlockingQueue<String> lines = output;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<read failed: " + e + ">");
            }
            lines.add(EOF);
        }, "cluster-main-output");
        reader.setDaemon(true);
        reader.start();
        awaitLine("serving cluster");
    }

    private void awaitLine(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String line = output.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(EOF)) {
                break;
            }
            seen.append(line).append('\n');
            if (line.contains(fragment)) {
                return;
            }
        }
        throw new AssertionError("no line with '" + fragment + "' from the cluster process; output:\n" + seen);
    }

    private static ProcessBuilder javaProcess(String mainClass, String... args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
