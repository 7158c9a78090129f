package io.mirrorhost.rbd.format;

import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** {@code rbd info}, plain and JSON, as rbd 16 ({@code action/Info.cc}) prints an image or a snapshot. */
public final class ImageInfoFormatter {
    /** rbd prints flags in bit order with these names. */
    private static final List<String> FLAG_ORDER = List.of("object map invalid", "fast diff invalid");

    private ImageInfoFormatter() {
    }

    /**
     * @param snapName      the snapshot shown, or empty for the head
     * @param snapProtected whether that snapshot is protected (ignored for the head)
     * @param mirror        the image's mirroring, or null when it is not mirrored or the backend cannot say
     */
    public record View(ImageInfo info, String snapName, boolean snapProtected, MirrorImageInfo mirror) {
        boolean showsSnap() {
            return snapName != null && !snapName.isEmpty();
        }

        boolean journaling() {
            return info.features().contains(ImageFeature.JOURNALING);
        }

        boolean mirroringShown() {
            return journaling() || (mirror != null && mirror.state() != MirrorImageState.DISABLED);
        }

        /** librbd reports journal mode for an image that is not mirrored. */
        MirrorImageMode mirrorMode() {
            return mirror == null || mirror.mode() == null ? MirrorImageMode.JOURNAL : mirror.mode();
        }

        MirrorImageState mirrorState() {
            return mirror == null ? MirrorImageState.DISABLED : mirror.state();
        }
    }

    public static String plain(View view, ZoneId zone) {
        ImageInfo info = view.info();
        StringBuilder out = new StringBuilder();
        out.append("rbd image '").append(info.name()).append("':\n");
        out.append("\tsize ").append(SizeFormat.bytes(info.size())).append(" in ").append(info.objectCount())
                .append(" objects\n");
        out.append("\torder ").append(info.order()).append(" (").append(SizeFormat.bytes(info.objectSize()))
                .append(" objects)\n");
        out.append("\tsnapshot_count: ").append(info.snapshotCount()).append('\n');
        out.append("\tid: ").append(info.id()).append('\n');
        if (hasDataPool(info)) {
            out.append("\tdata_pool: ").append(info.dataPool()).append('\n');
        }
        out.append("\tblock_name_prefix: ").append(info.blockNamePrefix()).append('\n');
        out.append("\tformat: 2\n");
        out.append("\tfeatures: ").append(String.join(", ", featureNames(info))).append('\n');
        out.append("\top_features: \n");
        out.append("\tflags: ").append(String.join(", ", flagNames(info))).append('\n');
        appendTimestamp(out, "create_timestamp", CTime.format(info.createTimestamp(), zone));
        appendTimestamp(out, "access_timestamp", CTime.format(info.accessTimestamp(), zone));
        appendTimestamp(out, "modify_timestamp", CTime.format(info.modifyTimestamp(), zone));
        if (view.showsSnap()) {
            out.append("\tprotected: ").append(view.snapProtected() ? "True" : "False").append('\n');
        }
        if (info.features().contains(ImageFeature.STRIPINGV2)) {
            out.append("\tstripe unit: ").append(SizeFormat.bytes(info.objectSize())).append('\n');
            out.append("\tstripe count: 1\n");
        }
        if (view.journaling()) {
            out.append("\tjournal: ").append(info.id()).append('\n');
        }
        if (view.mirroringShown()) {
            out.append("\tmirroring state: ").append(view.mirrorState().label()).append('\n');
            if (view.mirrorState() != MirrorImageState.DISABLED) {
                MirrorImageInfo mirror = view.mirror();
                out.append("\tmirroring mode: ").append(mirror.mode().label()).append('\n');
                out.append("\tmirroring global id: ").append(mirror.globalId()).append('\n');
                out.append("\tmirroring primary: ").append(mirror.primary()).append('\n');
            }
        }
        return out.toString();
    }

    public static String structured(View view, TreeWriter f, ZoneId zone) {
        ImageInfo info = view.info();
        f.openObject("image");
        f.string("name", info.name());
        f.string("id", info.id());
        f.unsigned("size", info.size());
        f.unsigned("objects", info.objectCount());
        f.number("order", info.order());
        f.unsigned("object_size", info.objectSize());
        f.number("snapshot_count", info.snapshotCount());
        if (hasDataPool(info)) {
            f.string("data_pool", info.dataPool());
        }
        f.string("block_name_prefix", info.blockNamePrefix());
        f.number("format", 2);
        f.openArray("features");
        for (String name : featureNames(info)) {
            f.string("feature", name);
        }
        f.close();
        f.openArray("op_features");
        f.close();
        f.openArray("flags");
        for (String name : flagNames(info)) {
            f.string("flag", name);
        }
        f.close();
        jsonTimestamp(f, "create_timestamp", CTime.format(info.createTimestamp(), zone));
        jsonTimestamp(f, "access_timestamp", CTime.format(info.accessTimestamp(), zone));
        jsonTimestamp(f, "modify_timestamp", CTime.format(info.modifyTimestamp(), zone));
        if (view.showsSnap()) {
            f.string("protected", view.snapProtected() ? "true" : "false");
        }
        if (info.features().contains(ImageFeature.STRIPINGV2)) {
            f.unsigned("stripe_unit", info.objectSize());
            f.unsigned("stripe_count", 1);
        }
        if (view.journaling()) {
            f.string("journal", info.id());
        }
        if (view.mirroringShown()) {
            f.openObject("mirroring");
            f.string("mode", view.mirrorMode().label());
            f.string("state", view.mirrorState().label());
            if (view.mirrorState() != MirrorImageState.DISABLED) {
                f.string("global_id", view.mirror().globalId());
                f.bool("primary", view.mirror().primary());
            }
            f.close();
        }
        f.close();
        return f.finish();
    }

    /** Feature names in librbd's bit order, as rbd prints them. */
    public static List<String> featureNames(ImageInfo info) {
        List<String> names = new ArrayList<>();
        for (ImageFeature feature : ImageFeature.values()) {
            if (info.features().contains(feature)) {
                names.add(feature.featureName());
            }
        }
        return names;
    }

    private static List<String> flagNames(ImageInfo info) {
        List<String> names = new ArrayList<>();
        for (String flag : FLAG_ORDER) {
            if (info.flags().contains(flag)) {
                names.add(flag);
            }
        }
        for (String flag : info.flags()) {
            if (!FLAG_ORDER.contains(flag)) {
                names.add(flag);
            }
        }
        return names;
    }

    private static boolean hasDataPool(ImageInfo info) {
        return info.dataPool() != null && !info.dataPool().isEmpty();
    }

    private static void appendTimestamp(StringBuilder out, String name, String value) {
        if (!value.isEmpty()) {
            out.append('\t').append(name).append(": ").append(value).append('\n');
        }
    }

    private static void jsonTimestamp(TreeWriter f, String name, String value) {
        if (!value.isEmpty()) {
            f.string(name, value);
        }
    }
}
