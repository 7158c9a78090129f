package io.mirrorhost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One cluster started by it/run.sh with it/ceph/cluster.sh: its directory holds NAME.conf and
 * NAME.client.admin.keyring. Runs the real {@code rbd}, {@code rados} and {@code ceph} against it.
 */
record CephSite(String name, Path dir) {
    static final long COMMAND_TIMEOUT_SECONDS = 60;

    static {
        // Load every registered backend now, as the host will later: on a shared machine another build may
        // rewrite a jar in ~/.m2 while these minutes-long tests run, and a class loaded late then fails.
        java.util.ServiceLoader.load(io.mirrorhost.api.cluster.ClusterProvider.class).forEach(p -> { });
    }

    static CephSite fromEnv(String name, String variable) {
        String dir = System.getenv(variable);
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException(variable + " is not set: run these tests with it/run.sh, which starts"
                    + " the Ceph clusters");
        }
        Path path = Path.of(dir);
        if (!Files.isReadable(path.resolve(name + ".conf"))) {
            throw new IllegalStateException(path.resolve(name + ".conf") + " does not exist: is cluster " + name
                    + " running?");
        }
        return new CephSite(name, path);
    }

    static CephSite a() {
        return fromEnv("site-a", "MIRRORHOST_IT_SITE_A_DIR");
    }

    static CephSite b() {
        return fromEnv("site-b", "MIRRORHOST_IT_SITE_B_DIR");
    }

    Path conf() {
        return dir.resolve(name + ".conf");
    }

    Path keyring() {
        return dir.resolve(name + ".client.admin.keyring");
    }

    /** The {@code [ceph]} section of a site conf for this cluster. */
    Map<String, String> settings() {
        return Map.of("conf", conf().toString(), "keyring", keyring().toString(), "client", "client.admin");
    }

    /** What a command printed and how it exited. */
    record Result(int exit, String out, String err, byte[] bytes) {
        JsonObject json() {
            return new JsonObject(out);
        }

        JsonArray jsonArray() {
            return new JsonArray(out);
        }
    }

    Result tool(String tool, String... args) {
        List<String> command = new ArrayList<>(List.of(tool, "-c", conf().toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    /** Runs {@code tool -c CONF args} and asserts it succeeded. */
    Result ok(String tool, String... args) {
        Result r = tool(tool, args);
        assertEquals(0, r.exit(), () -> tool + " " + String.join(" ", args) + " failed: " + r.err());
        return r;
    }

    Result rbd(String... args) {
        return ok("rbd", args);
    }

    Result rados(String... args) {
        return ok("rados", args);
    }

    Result ceph(String... args) {
        return ok("ceph", args);
    }

    static Result exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS), "timed out: " + command);
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
