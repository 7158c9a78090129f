package io.mirrorhost.rbd.format;

import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.api.format.TextTable;
import io.mirrorhost.api.format.TextTable.Align;
import java.util.List;

/** {@code rbd du}: the NAME PROVISIONED USED table with its {@code <TOTAL>} row, or JSON ({@code action/DiskUsage.cc}). */
public final class DiskUsageFormatter {

    private DiskUsageFormatter() {
    }

    /** One line: an image head ({@code snapshot} empty) or one of its snapshots. */
    public record Row(String image, String id, String snapshot, long snapshotId, long provisioned, long used) {
        String fullName() {
            return snapshot.isEmpty() ? image : image + "@" + snapshot;
        }
    }

    /**
     * @param counted how many rows count in the totals (with --merge-snapshots, more than are shown)
     * @param poolHasImages rbd prints nothing at all for a pool without images
     */
    public static String plain(List<Row> rows, long totalProvisioned, long totalUsed, int counted, boolean poolHasImages) {
        if (!poolHasImages) {
            return "";
        }
        TextTable table = new TextTable()
                .column("NAME", Align.LEFT, Align.LEFT)
                .column("PROVISIONED", Align.LEFT, Align.RIGHT)
                .column("USED", Align.LEFT, Align.RIGHT);
        for (Row row : rows) {
            table.row(row.fullName(), SizeFormat.bytes(row.provisioned()), SizeFormat.bytes(row.used()));
        }
        if (counted > 1) {
            table.row("<TOTAL>", SizeFormat.bytes(totalProvisioned), SizeFormat.bytes(totalUsed));
        }
        return table.render();
    }

    /** @param wholePool whether the totals are printed (rbd leaves them out for one image) */
    public static String structured(List<Row> rows, long totalProvisioned, long totalUsed, boolean wholePool,
                                    TreeWriter f) {
        f.openObject("stats");
        f.openArray("images");
        for (Row row : rows) {
            f.openObject("image");
            f.string("name", row.image());
            f.string("id", row.id());
            if (!row.snapshot().isEmpty()) {
                f.string("snapshot", row.snapshot());
                f.unsigned("snapshot_id", row.snapshotId());
            }
            f.unsigned("provisioned_size", row.provisioned());
            f.unsigned("used_size", row.used());
            f.close();
        }
        f.close();
        if (wholePool) {
            f.unsigned("total_provisioned_size", totalProvisioned);
            f.unsigned("total_used_size", totalUsed);
        }
        f.close();
        return f.finish();
    }
}
