package io.mirrorhost.rbd.format;

import io.mirrorhost.api.format.JsonWriter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Outputs of rbd 16.2.15 captured in it/reference/rbd-outputs.md ("info with mirroring enabled"). */
class ImageInfoFormatterTest {
    private static final Instant CREATED = Instant.parse("2026-11-25T11:11:15Z");

    private static ImageInfo info(String name, String id, Set<ImageFeature> features, String dataPool, long snaps) {
        return new ImageInfo(name, id, 1L << 30, 22, features, Set.of(), dataPool, snaps, CREATED, CREATED, CREATED);
    }

    private static final Set<ImageFeature> DEFAULTS = ImageFeature.defaults();

    @Test
    void snapshotMirroredImage() {
        ImageInfoFormatter.View view = new ImageInfoFormatter.View(info("mirror-snap", "1301a774e986", DEFAULTS, null, 1),
                "", false, new MirrorImageInfo("bc0b36b6-74af-4ea5-b0a1-11ba4d8d2022", MirrorImageState.ENABLED,
                MirrorImageMode.SNAPSHOT, true));
        assertEquals("rbd image 'mirror-snap':\n"
                + "\tsize 1 GiB in 256 objects\n"
                + "\torder 22 (4 MiB objects)\n"
                + "\tsnapshot_count: 1\n"
                + "\tid: 1301a774e986\n"
                + "\tblock_name_prefix: rbd_data.1301a774e986\n"
                + "\tformat: 2\n"
                + "\tfeatures: layering, exclusive-lock, object-map, fast-diff, deep-flatten\n"
                + "\top_features: \n"
                + "\tflags: \n"
                + "\tcreate_timestamp: Wed Nov 25 11:11:15 2026\n"
                + "\taccess_timestamp: Wed Nov 25 11:11:15 2026\n"
                + "\tmodify_timestamp: Wed Nov 25 11:11:15 2026\n"
                + "\tmirroring state: enabled\n"
                + "\tmirroring mode: snapshot\n"
                + "\tmirroring global id: bc0b36b6-74af-4ea5-b0a1-11ba4d8d2022\n"
                + "\tmirroring primary: true\n", ImageInfoFormatter.plain(view, ZoneOffset.UTC));
        assertEquals("{\n"
                + "    \"name\": \"mirror-snap\",\n"
                + "    \"id\": \"1301a774e986\",\n"
                + "    \"size\": 1073741824,\n"
                + "    \"objects\": 256,\n"
                + "    \"order\": 22,\n"
                + "    \"object_size\": 4194304,\n"
                + "    \"snapshot_count\": 1,\n"
                + "    \"block_name_prefix\": \"rbd_data.1301a774e986\",\n"
                + "    \"format\": 2,\n"
                + "    \"features\": [\n"
                + "        \"layering\",\n"
                + "        \"exclusive-lock\",\n"
                + "        \"object-map\",\n"
                + "        \"fast-diff\",\n"
                + "        \"deep-flatten\"\n"
                + "    ],\n"
                + "    \"op_features\": [],\n"
                + "    \"flags\": [],\n"
                + "    \"create_timestamp\": \"Wed Nov 25 11:11:15 2026\",\n"
                + "    \"access_timestamp\": \"Wed Nov 25 11:11:15 2026\",\n"
                + "    \"modify_timestamp\": \"Wed Nov 25 11:11:15 2026\",\n"
                + "    \"mirroring\": {\n"
                + "        \"mode\": \"snapshot\",\n"
                + "        \"state\": \"enabled\",\n"
                + "        \"global_id\": \"bc0b36b6-74af-4ea5-b0a1-11ba4d8d2022\",\n"
                + "        \"primary\": true\n"
                + "    }\n"
                + "}\n", ImageInfoFormatter.structured(view, new JsonWriter(true), ZoneOffset.UTC));
    }

    @Test
    void journalImageNotMirroredShowsOnlyTheState() {
        Set<ImageFeature> features = EnumSet.of(ImageFeature.EXCLUSIVE_LOCK, ImageFeature.JOURNALING);
        ImageInfoFormatter.View view = new ImageInfoFormatter.View(info("image-3", "11c12ab032c2", features, null, 0),
                "", false, null);
        String plain = ImageInfoFormatter.plain(view, ZoneOffset.UTC);
        assertEquals(true, plain.endsWith("\tfeatures: exclusive-lock, journaling\n\top_features: \n\tflags: \n"
                + "\tcreate_timestamp: Wed Nov 25 11:11:15 2026\n\taccess_timestamp: Wed Nov 25 11:11:15 2026\n"
                + "\tmodify_timestamp: Wed Nov 25 11:11:15 2026\n\tjournal: 11c12ab032c2\n\tmirroring state: disabled\n"),
                plain);
        String json = ImageInfoFormatter.structured(view, new JsonWriter(false), ZoneOffset.UTC);
        assertEquals(true, json.endsWith(",\"journal\":\"11c12ab032c2\",\"mirroring\":{\"mode\":\"journal\","
                + "\"state\":\"disabled\"}}\n"), json);
    }

    @Test
    void journalMirroredImageAndSnapshotAndDataPool() {
        Set<ImageFeature> features = EnumSet.of(ImageFeature.LAYERING, ImageFeature.EXCLUSIVE_LOCK,
                ImageFeature.OBJECT_MAP, ImageFeature.FAST_DIFF, ImageFeature.DEEP_FLATTEN, ImageFeature.JOURNALING);
        ImageInfoFormatter.View view = new ImageInfoFormatter.View(info("img", "abc", features, "data", 2),
                "snap-1", true, new MirrorImageInfo("g", MirrorImageState.ENABLED, MirrorImageMode.JOURNAL, false));
        String plain = ImageInfoFormatter.plain(view, ZoneOffset.UTC);
        assertEquals(true, plain.contains("\tid: abc\n\tdata_pool: data\n\tblock_name_prefix: rbd_data.abc\n"), plain);
        assertEquals(true, plain.endsWith("\tprotected: True\n\tjournal: abc\n\tmirroring state: enabled\n"
                + "\tmirroring mode: journal\n\tmirroring global id: g\n\tmirroring primary: false\n"), plain);
        String json = ImageInfoFormatter.structured(view, new JsonWriter(false), ZoneOffset.UTC);
        assertEquals(true, json.contains(",\"snapshot_count\":2,\"data_pool\":\"data\",\"block_name_prefix\""), json);
        assertEquals(true, json.endsWith(",\"protected\":\"true\",\"journal\":\"abc\",\"mirroring\":{\"mode\":\"journal\","
                + "\"state\":\"enabled\",\"global_id\":\"g\",\"primary\":false}}\n"), json);
    }
}
