package io.mirrorhost.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Ceph's {@code TextTable} with left-aligned columns: each column as wide as its widest cell or
 * heading, every cell (the last too) padded to that width, columns separated by two spaces.
 */
final class TextTable {
    static final String COLUMN_SEPARATION = "  ";

    private final List<String> headings;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... headings) {
        this.headings = List.of(headings);
    }

    TextTable row(String... cells) {
        if (cells.length != headings.size()) {
            throw new IllegalArgumentException("expected " + headings.size() + " cells");
        }
        rows.add(List.of(cells));
        return this;
    }

    String render() {
        int[] widths = new int[headings.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headings.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headings, widths);
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(COLUMN_SEPARATION);
            }
            out.append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length()));
        }
        out.append('\n');
    }
}
