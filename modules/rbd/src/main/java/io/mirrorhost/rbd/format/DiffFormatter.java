package io.mirrorhost.rbd.format;

import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.rbd.format.TextTable.Align;
import java.util.List;

/** {@code rbd diff}: the Offset Length Type table (always with its heading) or a JSON extent list. */
public final class DiffFormatter {

    private DiffFormatter() {
    }

    public static String plain(List<DiffExtent> extents) {
        TextTable table = new TextTable()
                .column("Offset", Align.LEFT, Align.LEFT)
                .column("Length", Align.LEFT, Align.LEFT)
                .column("Type", Align.LEFT, Align.LEFT);
        for (DiffExtent e : extents) {
            table.row(Long.toUnsignedString(e.offset()), Long.toUnsignedString(e.length()), e.exists() ? "data" : "zero");
        }
        return table.render();
    }

    public static String json(List<DiffExtent> extents, boolean pretty) {
        JsonWriter f = new JsonWriter(pretty);
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
