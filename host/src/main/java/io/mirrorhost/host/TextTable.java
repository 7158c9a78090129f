package io.mirrorhost.host;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table as Ceph's {@code TextTable} prints it: a heading row, then one row per entry, every
 * cell left-aligned and padded to its column's width and followed by one space.
 */
final class TextTable {
    private final List<String> headings;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... headings) {
        this.headings = List.of(headings);
    }

    TextTable row(String... cells) {
        if (cells.length != headings.size()) {
            throw new IllegalArgumentException("expected " + headings.size() + " cells, got " + cells.length);
        }
        rows.add(List.of(cells));
        return this;
    }

    @Override
    public String toString() {
        int[] widths = new int[headings.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headings.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, headings, widths);
        rows.forEach(row -> appendRow(out, row, widths));
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells, int[] widths) {
        for (int c = 0; c < widths.length; c++) {
            out.append(cells.get(c)).append(" ".repeat(widths[c] - cells.get(c).length())).append(' ');
        }
        out.append('\n');
    }
}
