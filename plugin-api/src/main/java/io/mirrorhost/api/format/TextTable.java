package io.mirrorhost.api.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Ceph's {@code TextTable}: columns sized to their widest cell or heading, two spaces between
 * columns, every cell (the last one too) padded to its column's width, one line per row. The
 * manager's own tables ({@code ceph mgr module ls}) end every cell with one space instead:
 * {@link #cellsEndWithOneSpace()}.
 */
public final class TextTable {
    /** Alignment of a heading or of a column's cells. */
    public enum Align { LEFT, RIGHT }

    private record Column(String heading, Align headingAlign, Align cellAlign) {
    }

    private final List<Column> columns = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();
    private String separator = "  ";
    private String lineEnd = "";

    /** A table whose columns and their alignments are added with {@link #column}. */
    public TextTable() {
    }

    /** A table of left-aligned columns with these headings. */
    public static TextTable leftAligned(String... headings) {
        TextTable table = new TextTable();
        for (String heading : headings) {
            table.column(heading, Align.LEFT, Align.LEFT);
        }
        return table;
    }

    public TextTable column(String heading, Align headingAlign, Align cellAlign) {
        columns.add(new Column(heading, headingAlign, cellAlign));
        return this;
    }

    /** One space after every cell, the last one too, instead of two spaces between columns. */
    public TextTable cellsEndWithOneSpace() {
        separator = " ";
        lineEnd = " ";
        return this;
    }

    public TextTable row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has "
                    + columns.size() + " columns");
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The heading line and every row, each ending with a newline. */
    public String render() {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = columns.get(i).heading().length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        List<String> headings = new ArrayList<>();
        for (Column c : columns) {
            headings.add(c.heading());
        }
        appendLine(out, headings, widths, true);
        for (List<String> row : rows) {
            appendLine(out, row, widths, false);
        }
        return out.toString();
    }

    private void appendLine(StringBuilder out, List<String> cells, int[] widths, boolean heading) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            Column column = columns.get(i);
            out.append(pad(cells.get(i), widths[i], heading ? column.headingAlign() : column.cellAlign()));
        }
        out.append(lineEnd).append('\n');
    }

    private static String pad(String text, int width, Align align) {
        String padding = " ".repeat(width - text.length());
        return align == Align.LEFT ? text + padding : padding + text;
    }
}
