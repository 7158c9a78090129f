package io.mirrorhost.rbd.format;

import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.api.format.TextTable;
import io.mirrorhost.api.format.TextTable.Align;
import java.util.List;

/** Name-only listings: {@code rbd namespace ls} (a NAME table) and {@code pool ls} (one name a line). */
public final class NameListFormatter {

    private NameListFormatter() {
    }

    /** {@code rbd namespace ls}: a NAME table, nothing when there is none. */
    public static String namespacesPlain(List<String> sortedNames) {
        if (sortedNames.isEmpty()) {
            return "";
        }
        TextTable table = new TextTable().column("NAME", Align.LEFT, Align.LEFT);
        sortedNames.forEach(table::row);
        return table.render();
    }

    public static String namespacesStructured(List<String> sortedNames, TreeWriter f) {
        f.openArray("namespaces");
        for (String name : sortedNames) {
            f.openObject("namespace");
            f.string("name", name);
            f.close();
        }
        f.close();
        return f.finish();
    }

    /** {@code ceph osd pool ls}: one name a line. */
    public static String poolsPlain(List<String> names) {
        StringBuilder out = new StringBuilder();
        names.forEach(n -> out.append(n).append('\n'));
        return out.toString();
    }

    /** {@code ceph osd pool ls --format json}: an array of names. */
    public static String poolsStructured(List<String> names, TreeWriter f) {
        f.openArray("pools");
        names.forEach(n -> f.string("pool", n));
        f.close();
        return f.finish();
    }
}
