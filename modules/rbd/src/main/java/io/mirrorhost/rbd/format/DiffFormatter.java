package io.mirrorhost.rbd.format;

import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.api.format.TextTable;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.format.TextTable.Align;
import java.util.List;

/** {@code rbd diff}: the Offset Length Type table (nothing when empty) or a JSON extent list. */
public final class DiffFormatter {

    private DiffFormatter() {
    }

    /** The table, or nothing when no extent differs. */
    public static String plain(List<DiffExtent> extents) {
        if (extents.isEmpty()) {
            return "";
        }
        TextTable table = new TextTable()
                .column("Offset", Align.LEFT, Align.LEFT)
                .column("Length", Align.LEFT, Align.LEFT)
                .column("Type", Align.LEFT, Align.LEFT);
        for (DiffExtent e : extents) {
            table.row(Long.toUnsignedString(e.offset()), Long.toUnsignedString(e.length()), e.exists() ? "data" : "zero");
        }
        return table.render();
    }

    public static String structured(List<DiffExtent> extents, TreeWriter f) {
        f.openArray("extents");
        for (DiffExtent e : extents) {
            f.openObject("extent");
            f.unsigned("offset", e.offset());
            f.unsigned("length", e.length());
            f.string("exists", e.exists() ? "true" : "false");
            f.close();
        }
        f.close();
        return f.finish();
    }
}
