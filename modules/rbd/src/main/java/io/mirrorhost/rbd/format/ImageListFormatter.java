package io.mirrorhost.rbd.format;

import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.api.format.TextTable;
import io.mirrorhost.api.format.TextTable.Align;
import java.util.List;

/** {@code rbd ls} and {@code rbd ls -l}, plain and JSON ({@code action/List.cc}). */
public final class ImageListFormatter {

    private ImageListFormatter() {
    }

    /** A user snapshot of a listed image. */
    public record SnapRow(long id, String name, long size, boolean isProtected) {
    }

    /**
     * An image of the long listing.
     *
     * @param exclusiveLock whether some client holds the image's exclusive lock
     */
    public record ImageRow(String name, String id, long size, boolean exclusiveLock, List<SnapRow> snaps) {
        public ImageRow {
            snaps = List.copyOf(snaps);
        }
    }

    public static String namesPlain(List<String> names) {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            out.append(name).append('\n');
        }
        return out.toString();
    }

    public static String namesStructured(List<String> names, TreeWriter f) {
        f.openArray("images");
        for (String name : names) {
            f.string("name", name);
        }
        f.close();
        return f.finish();
    }

    /** The NAME SIZE PARENT FMT PROT LOCK table; nothing at all for an empty pool. */
    public static String longPlain(List<ImageRow> images) {
        if (images.isEmpty()) {
            return "";
        }
        TextTable table = new TextTable()
                .column("NAME", Align.LEFT, Align.LEFT)
                .column("SIZE", Align.LEFT, Align.RIGHT)
                .column("PARENT", Align.LEFT, Align.LEFT)
                .column("FMT", Align.LEFT, Align.RIGHT)
                .column("PROT", Align.LEFT, Align.LEFT)
                .column("LOCK", Align.LEFT, Align.LEFT);
        for (ImageRow image : images) {
            table.row(image.name(), SizeFormat.bytes(image.size()), "", "2", "",
                    image.exclusiveLock() ? "excl" : "");
            for (SnapRow snap : image.snaps()) {
                table.row(image.name() + "@" + snap.name(), SizeFormat.bytes(snap.size()), "", "2",
                        snap.isProtected() ? "yes" : "", "");
            }
        }
        return table.render();
    }

    public static String longStructured(List<ImageRow> images, TreeWriter f) {
        f.openArray("images");
        for (ImageRow image : images) {
            f.openObject("image");
            f.string("image", image.name());
            f.string("id", image.id());
            f.unsigned("size", image.size());
            f.number("format", 2);
            if (image.exclusiveLock()) {
                f.string("lock_type", "exclusive");
            }
            f.close();
            for (SnapRow snap : image.snaps()) {
                f.openObject("snapshot");
                f.string("image", image.name());
                f.string("id", image.id());
                f.string("snapshot", snap.name());
                f.unsigned("snapshot_id", snap.id());
                f.unsigned("size", snap.size());
                f.number("format", 2);
                f.string("protected", snap.isProtected() ? "true" : "false");
                f.close();
            }
        }
        f.close();
        return f.finish();
    }
}
