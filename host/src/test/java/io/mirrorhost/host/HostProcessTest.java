package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.host.testing.TestSites;
import io.mirrorhost.host.testing.TestSites.Api;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The host as a real process: started, used over HTTP, stopped with SIGTERM, restarted. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostProcessTest {
    private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/api/v1/");

    @TempDir
    Path dir;
    private final List<Process> started = new CopyOnWriteArrayList<>();

    /** A running host process with its output lines. */
    record HostProcess(Process process, int port, List<String> output, Thread reader) {
    }

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    private HostProcess launch(Path conf, String... jvmOptions) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.logFile=System.out"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(Main.class.getName(), "--conf", conf.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(process);
        List<String> output = new CopyOnWriteArrayList<>();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            Matcher m = SERVING.matcher(line);
            if (m.find()) {
                return new HostProcess(process, Integer.parseInt(m.group(1)), output, reader);
            }
        }
        throw new AssertionError("host did not start; output: " + output);
    }

    private static int stop(HostProcess host) throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close our end of its output
        host.process().toHandle().destroy();
        assertTrue(host.process().waitFor(60, TimeUnit.SECONDS), "host exits after SIGTERM");
        host.reader().join(TimeUnit.SECONDS.toMillis(10));
        return host.process().exitValue();
    }

    @Test
    void sigtermStopsCleanlyAndDisablePersistsAcrossRestart() throws Exception {
        Path conf = TestSites.writeConf(dir, "site-p", 0, "");
        HostProcess first = launch(conf);
        Api api = new Api(first.port());
        JsonObject listing = new JsonObject(api.command("mgr module ls", Map.of(), "json").stdout());
        assertTrue(listing.getJsonArray("enabled_modules").contains("echo"), listing.encode());
        assertEquals(0, api.command("mgr module disable", Map.of("module", "echo")).code());

        assertEquals(0, stop(first), "exit status after SIGTERM");
        assertTrue(first.output().stream().anyMatch(l -> l.contains("module core stopped")), first.output().toString());
        assertTrue(first.output().stream().anyMatch(l -> l.contains("host stopped")), first.output().toString());

        HostProcess second = launch(conf);
        Api again = new Api(second.port());
        JsonObject after = new JsonObject(again.command("mgr module ls", Map.of(), "json").stdout());
        assertFalse(after.getJsonArray("enabled_modules").contains("echo"), after.encode());
        assertEquals(503, again.command("echo", Map.of("text", "x")).status());
        assertEquals(0, stop(second));
    }

    /**
     * Vert.x instantiates every VertxServiceProvider on the class path, so vertx-hazelcast's cluster manager
     * is constructed, loading the four Hazelcast types its class names; nothing else of Hazelcast is loaded,
     * and no Hazelcast instance starts.
     */
    @Test
    void aHostWithNoHazelcastSectionStartsNoHazelcast() throws Exception {
        HostProcess host = launch(TestSites.writeConf(dir, "site-h", 0, ""), "-verbose:class");
        assertTrue(host.output().stream().anyMatch(l -> l.contains("io.vertx.core.impl.VertxImpl")),
                "the class loading is listed");
        List<String> namedByTheClusterManager = List.of("com.hazelcast.cluster.MembershipListener",
                "com.hazelcast.core.LifecycleListener", "com.hazelcast.core.HazelcastInstance",
                "com.hazelcast.config.Config");
        assertEquals(List.of(), host.output().stream().filter(l -> l.contains("com.hazelcast"))
                .filter(l -> namedByTheClusterManager.stream().noneMatch(name -> l.contains(name + " "))).toList());
        assertEquals(0, stop(host));
    }

    @Test
    void badConfExitsWithAClearMessage() throws Exception {
        Path conf = TestSites.writeConf(dir, "site-q", 0, "[global]\nbackend = nosuch");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--conf", conf.toString())
                .redirectErrorStream(true).start();
        started.add(process);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, process.exitValue());
        assertTrue(output.contains("mirrorhost: cannot start: no cluster backend named 'nosuch' (available: memory"),
                output);
    }

    @Test
    void helpPrintsTheUsageAndAnUnknownArgumentIsRefused() throws Exception {
        Process help = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--help").start();
        started.add(help);
        assertTrue(help.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, help.exitValue());
        assertEquals(Main.USAGE, new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        Process unknown = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--colour").start();
        started.add(unknown);
        assertTrue(unknown.waitFor(60, TimeUnit.SECONDS));
        assertEquals(22, unknown.exitValue());
        assertEquals("mirrorhost: unknown argument '--colour'\n" + Main.USAGE,
                new String(unknown.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
