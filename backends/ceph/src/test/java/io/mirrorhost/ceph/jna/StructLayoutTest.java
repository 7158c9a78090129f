package io.mirrorhost.ceph.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks every struct we bind against the real {@code librbd.h}: a small C program compiled with gcc
 * prints {@code sizeof} and {@code offsetof} of each field, and JNA's layout must match exactly; it also
 * prints the enum constants and flag bits we rely on.
 * Needs gcc and the librbd-dev headers ({@code apt-get install librbd-dev}); skipped without them.
 */
class StructLayoutTest {
    static final Path HEADER = Path.of("/usr/include/rbd/librbd.h");

    /** C struct name, its JNA twin, and the fields to compare (C name = Java name). */
    record Binding(String cType, Supplier<NativeStruct> jna, List<String> fields) {
    }

    static final List<Binding> BINDINGS = List.of(
            new Binding("rbd_image_info_t", RbdImageInfo::new,
                    List.of("size", "obj_size", "num_objs", "order", "block_name_prefix", "parent_pool", "parent_name")),
            new Binding("rbd_image_spec_t", RbdImageSpec::new, List.of("id", "name")),
            new Binding("rbd_snap_info_t", RbdSnapInfo::new, List.of("id", "size", "name")),
            new Binding("rbd_mirror_image_info_t", RbdMirrorImageInfo::new, List.of("global_id", "state", "primary")),
            new Binding("rbd_mirror_image_site_status_t", RbdMirrorImageSiteStatus::new,
                    List.of("mirror_uuid", "state", "description", "last_update", "up")),
            new Binding("rbd_mirror_image_global_status_t", RbdMirrorImageGlobalStatus::new,
                    List.of("name", "info", "site_statuses_count", "site_statuses")),
            new Binding("rbd_mirror_peer_site_t", RbdMirrorPeerSite::new,
                    List.of("uuid", "direction", "site_name", "mirror_uuid", "client_name", "last_seen")),
            new Binding("rbd_snap_mirror_namespace_t", RbdSnapMirrorNamespace::new,
                    List.of("state", "mirror_peer_uuids_count", "mirror_peer_uuids", "complete", "primary_mirror_uuid",
                            "primary_snap_id", "last_copied_object_number")),
            new Binding("struct timespec", Timespec::new, List.of("tv_sec", "tv_nsec")));

    /** librbd's enum constants and the value our mapping assumes (the SPI enums' ordinals, LibRbd's constants). */
    static final Map<String, Integer> ENUMS = enums();

    private static Map<String, Integer> enums() {
        Map<String, Integer> e = new LinkedHashMap<>();
        e.put("RBD_MIRROR_MODE_DISABLED", MirrorMode.DISABLED.ordinal());
        e.put("RBD_MIRROR_MODE_IMAGE", MirrorMode.IMAGE.ordinal());
        e.put("RBD_MIRROR_MODE_POOL", MirrorMode.POOL.ordinal());
        e.put("RBD_MIRROR_IMAGE_MODE_JOURNAL", MirrorImageMode.JOURNAL.ordinal());
        e.put("RBD_MIRROR_IMAGE_MODE_SNAPSHOT", MirrorImageMode.SNAPSHOT.ordinal());
        e.put("RBD_MIRROR_IMAGE_DISABLING", MirrorImageState.DISABLING.ordinal());
        e.put("RBD_MIRROR_IMAGE_ENABLED", MirrorImageState.ENABLED.ordinal());
        e.put("RBD_MIRROR_IMAGE_DISABLED", MirrorImageState.DISABLED.ordinal());
        for (MirrorImageStatusState state : MirrorImageStatusState.values()) {
            e.put("MIRROR_IMAGE_STATUS_STATE_" + state.name(), state.ordinal());
        }
        for (SnapNamespace ns : SnapNamespace.values()) {
            e.put("RBD_SNAP_NAMESPACE_TYPE_" + ns.name(), ns.ordinal());
        }
        for (MirrorSnapshotState state : MirrorSnapshotState.values()) {
            e.put("RBD_SNAP_MIRROR_STATE_" + state.name(), state.ordinal());
        }
        e.put("RBD_MIRROR_PEER_DIRECTION_RX", LibRbd.RBD_MIRROR_PEER_DIRECTION_RX);
        e.put("RBD_MIRROR_PEER_DIRECTION_TX", LibRbd.RBD_MIRROR_PEER_DIRECTION_TX);
        e.put("RBD_MIRROR_PEER_DIRECTION_RX_TX", LibRbd.RBD_MIRROR_PEER_DIRECTION_RX_TX);
        e.put("RBD_IMAGE_OPTION_FORMAT", LibRbd.RBD_IMAGE_OPTION_FORMAT);
        e.put("RBD_IMAGE_OPTION_FEATURES", LibRbd.RBD_IMAGE_OPTION_FEATURES);
        e.put("RBD_IMAGE_OPTION_ORDER", LibRbd.RBD_IMAGE_OPTION_ORDER);
        e.put("RBD_IMAGE_OPTION_DATA_POOL", LibRbd.RBD_IMAGE_OPTION_DATA_POOL);
        e.put("RBD_LOCK_MODE_EXCLUSIVE", LibRbd.RBD_LOCK_MODE_EXCLUSIVE);
        e.put("RBD_FLAG_OBJECT_MAP_INVALID", (int) LibRbd.RBD_FLAG_OBJECT_MAP_INVALID);
        e.put("RBD_FLAG_FAST_DIFF_INVALID", (int) LibRbd.RBD_FLAG_FAST_DIFF_INVALID);
        for (ImageFeature f : ImageFeature.values()) {
            e.put("RBD_FEATURE_" + f.name(), (int) f.bit());
        }
        return e;
    }

    static Map<String, Long> native_;

    @BeforeAll
    static void compileAndRun(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isReadable(HEADER), "librbd-dev is not installed (no " + HEADER + ")");
        assumeTrue(onPath("gcc"), "gcc is not installed");
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <time.h>\n"
                + "#include <rbd/librbd.h>\nint main(void) {\n");
        for (Binding b : BINDINGS) {
            c.append("  printf(\"%s sizeof %zu\\n\", \"").append(b.cType()).append("\", sizeof(").append(b.cType())
                    .append("));\n");
            for (String f : b.fields()) {
                c.append("  printf(\"%s ").append(f).append(" %zu\\n\", \"").append(b.cType()).append("\", offsetof(")
                        .append(b.cType()).append(", ").append(f).append("));\n");
            }
        }
        for (Map.Entry<String, Integer> e : ENUMS.entrySet()) {
            c.append("  printf(\"enum ").append(e.getKey()).append(" %d\\n\", (int) ").append(e.getKey()).append(");\n");
        }
        c.append("  return 0;\n}\n");
        Path source = dir.resolve("layout.c");
        Files.writeString(source, c);
        Path exe = dir.resolve("layout");
        run(List.of("gcc", "-Wno-deprecated-declarations", "-o", exe.toString(), source.toString()));
        native_ = new LinkedHashMap<>();
        for (String line : run(List.of(exe.toString())).split("\n")) {
            int last = line.lastIndexOf(' ');
            native_.put(line.substring(0, last), Long.parseLong(line.substring(last + 1)));
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), command + " failed:\n" + text);
        return text;
    }

    @Test
    void everyBoundStructMatchesTheHeaderExactly() {
        for (Binding b : BINDINGS) {
            NativeStruct s = b.jna().get();
            assertEquals(native_.get(b.cType() + " sizeof"), (long) s.size(), "sizeof(" + b.cType() + ")");
            for (String f : b.fields()) {
                assertEquals(native_.get(b.cType() + " " + f), (long) s.offsetOf(f), "offsetof(" + b.cType() + ", " + f + ")");
            }
        }
    }

    @Test
    void enumValuesAndFlagsAreLibrbds() {
        for (Map.Entry<String, Integer> e : ENUMS.entrySet()) {
            assertEquals(native_.get("enum " + e.getKey()), (long) e.getValue(), e.getKey());
        }
    }

    @Test
    void theNestedInfoOfAGlobalStatusHasTheLayoutOfTheStandaloneStruct() {
        assertEquals(native_.get("rbd_mirror_image_info_t sizeof"), (long) new RbdMirrorImageInfo.ByValue().size());
    }
}
