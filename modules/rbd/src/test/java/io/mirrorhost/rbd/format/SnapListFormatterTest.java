package io.mirrorhost.rbd.format;

import io.mirrorhost.api.format.JsonWriter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Outputs of rbd 16.2.15 captured in it/reference/rbd-outputs.md (snap ls --all of a mirrored image). */
class SnapListFormatterTest {
    private static final String MIRROR_NAME =
            ".mirror.primary.bc0b36b6-74af-4ea5-b0a1-11ba4d8d2022.370ffc7c-998b-4270-8178-8c6fb7b9259e";
    private static final SnapInfo PRIMARY = new SnapInfo(11, MIRROR_NAME, 1L << 30,
            Instant.parse("2026-11-25T11:11:15Z"), SnapNamespace.MIRROR, false, MirrorSnapshotInfo.primary(Set.of(), false));
    private static final SnapInfo USER = new SnapInfo(12, "user-snap", 1L << 30,
            Instant.parse("2026-11-25T11:11:16Z"), SnapNamespace.USER, false, null);

    @Test
    void allNamespacesPlain() {
        assertEquals("SNAPID  NAME                                                                                       "
                + "SIZE   PROTECTED  TIMESTAMP                 NAMESPACE                     \n"
                + "    11  " + MIRROR_NAME + "  1 GiB             Wed Nov 25 11:11:15 2026  mirror (primary peer_uuids:[])\n"
                + "    12  user-snap                                                                                  "
                + "1 GiB             Wed Nov 25 11:11:16 2026  user                          \n",
                SnapListFormatter.plain(List.of(PRIMARY, USER), true, 256, ZoneOffset.UTC));
    }

    @Test
    void userSnapshotsOnlyWithoutAll() {
        assertEquals("SNAPID  NAME       SIZE   PROTECTED  TIMESTAMP               \n"
                        + "    12  user-snap  1 GiB             Wed Nov 25 11:11:16 2026\n",
                SnapListFormatter.plain(List.of(PRIMARY, USER), false, 256, ZoneOffset.UTC));
        assertEquals("", SnapListFormatter.plain(List.of(PRIMARY), false, 256, ZoneOffset.UTC));
        assertEquals("[]\n", SnapListFormatter.structured(List.of(PRIMARY), false, new JsonWriter(false), ZoneOffset.UTC));
    }

    @Test
    void allNamespacesJson() {
        assertEquals("[{\"id\":11,\"name\":\"" + MIRROR_NAME + "\",\"size\":1073741824,\"protected\":\"false\","
                        + "\"timestamp\":\"Wed Nov 25 11:11:15 2026\",\"namespace\":{\"type\":\"mirror\",\"state\":\"primary\","
                        + "\"mirror_peer_uuids\":[],\"complete\":true}},{\"id\":12,\"name\":\"user-snap\",\"size\":1073741824,"
                        + "\"protected\":\"false\",\"timestamp\":\"Wed Nov 25 11:11:16 2026\",\"namespace\":{\"type\":\"user\"}}]\n",
                SnapListFormatter.structured(List.of(PRIMARY, USER), true, new JsonWriter(false), ZoneOffset.UTC));
    }

    @Test
    void nonPrimaryMirrorSnapshotsShowTheirCopyProgress() {
        MirrorSnapshotInfo copying = new MirrorSnapshotInfo(MirrorSnapshotState.NON_PRIMARY, false, Set.of(),
                "5b8a", 4, 100, Map.of());
        SnapInfo snap = new SnapInfo(7, "m", 0, Instant.EPOCH, SnapNamespace.MIRROR, false, copying);
        assertEquals("mirror (non-primary peer_uuids:[] 5b8a:4 39% copied)", SnapListFormatter.namespaceText(snap, 256));
        assertEquals("mirror (non-primary peer_uuids:[] 5b8a:4 not copied)", SnapListFormatter.namespaceText(snap, 0));
        MirrorSnapshotInfo complete = new MirrorSnapshotInfo(MirrorSnapshotState.NON_PRIMARY, true, Set.of(),
                "5b8a", 4, 0, Map.of());
        assertEquals("mirror (non-primary peer_uuids:[] 5b8a:4 copied)", SnapListFormatter.namespaceText(
                new SnapInfo(7, "m", 0, Instant.EPOCH, SnapNamespace.MIRROR, false, complete), 256));
        MirrorSnapshotInfo primary = MirrorSnapshotInfo.primary(Set.of("b-uuid", "a-uuid"), true);
        assertEquals("mirror (demoted peer_uuids:[a-uuid,b-uuid])", SnapListFormatter.namespaceText(
                new SnapInfo(8, "m", 0, Instant.EPOCH, SnapNamespace.MIRROR, false, primary), 256));
        String json = SnapListFormatter.structured(List.of(new SnapInfo(7, "m", 0, Instant.EPOCH, SnapNamespace.MIRROR,
                false, copying)), true, new JsonWriter(false), ZoneOffset.UTC);
        assertEquals("[{\"id\":7,\"name\":\"m\",\"size\":0,\"protected\":\"false\",\"timestamp\":\"\",\"namespace\":"
                + "{\"type\":\"mirror\",\"state\":\"non-primary\",\"mirror_peer_uuids\":[],\"complete\":false,"
                + "\"primary_mirror_uuid\":\"5b8a\",\"primary_snap_id\":4,\"last_copied_object_number\":100}}]\n", json);
    }
}
