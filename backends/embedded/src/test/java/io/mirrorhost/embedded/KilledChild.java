package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The crash tests' child process: a worker {@code main} that prints {@code READY}, then one line per
 * acknowledged operation, and {@code DONE} if it ever finishes. {@link #runAndKill} lets it acknowledge
 * a number of operations, SIGKILLs it and returns every line it printed after READY, the ones written
 * after the last one read included.
 */
final class KilledChild {
    private KilledChild() {
    }

    static List<String> runAndKill(Class<?> worker, Path stderr, int acks, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), worker.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    queue.add(line);
                }
            } catch (Exception ignored) {
                // the pipe closes when the child dies
            }
            queue.add("EOF");
        });
        reader.start();
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lines.size() <= acks) {
            String line = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals("EOF")) {
                child.destroyForcibly();
                fail("child " + String.join(" ", args) + " ended early: " + lines + "\n" + Files.readString(stderr));
            }
            lines.add(line);
        }
        // SIGKILL on Linux; through the handle, as Process.destroyForcibly also closes our end of the pipe
        // and loses the acknowledgements the child wrote after the last one we read
        child.toHandle().destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child died");
        reader.join(TimeUnit.SECONDS.toMillis(30));
        queue.drainTo(lines);
        lines.remove("EOF");
        assertEquals("READY", lines.get(0));
        assertFalse(lines.contains("DONE"), "the child was killed before finishing");
        return lines.subList(1, lines.size());
    }
}
