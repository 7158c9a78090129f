package io.mirrorhost.rbd.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.rbd.testing.Await;
import io.mirrorhost.rbd.testing.RbdModuleFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** rbd removes an image whose import failed: so does a host killed (SIGKILL) half-way, when it starts again. */
class ImportCrashTest {
    private static final long SIZE = 1L << 30;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void anImportCutShortBySigkillIsRemovedAtRestartAndARetrySucceeds() throws Exception {
        Path store = dir.resolve("store");
        // one byte in each 4 MiB object: 256 durable writes, seconds of work to cut short
        Path source = dir.resolve("source.img");
        try (RandomAccessFile file = new RandomAccessFile(source.toFile(), "rw")) {
            file.setLength(SIZE);
            for (long offset = 0; offset < SIZE; offset += 4L << 20) {
                file.seek(offset);
                file.write(7);
            }
        }
        try (RbdModuleFixture rbd = new RbdModuleFixture(store)) {
            rbd.pool("data");
        }

        Path stderr = dir.resolve("child.err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ImportCrashWorker.class.getName(), store.toString(),
                source.toString()).redirectError(stderr.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            if (!"CREATED".equals(line)) {
                child.destroyForcibly();
                fail("child said " + line + "\n" + Files.readString(stderr));
            }
            // SIGKILL on Linux
            child.toHandle().destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child killed");
            assertEquals(null, out.readLine(), "killed before the import finished");
        }

        try (RbdModuleFixture rbd = new RbdModuleFixture(store)) {
            assertEquals("", rbd.rbd("ls").arg("pool-spec", "data").run().stdout(), "the half import is gone");
            assertEquals(0, rbd.rbd("import").arg("path-name", source.toString())
                    .arg("dest-image-spec", "data/imported").flag("no-progress").run().code());
            assertEquals("imported\n", rbd.rbd("ls").arg("pool-spec", "data").run().stdout());
            Image image = Await.result(rbd.cluster.openImage(ImageSpec.of("data", "", "imported")));
            try {
                assertEquals(SIZE, Await.result(image.info()).size());
                for (long offset = 0; offset < SIZE; offset += 4L << 20) {
                    assertEquals(7, Await.result(image.read(offset, 2)).getByte(0), "byte at " + offset);
                }
            } finally {
                Await.result(image.close());
            }
        }
    }
}
