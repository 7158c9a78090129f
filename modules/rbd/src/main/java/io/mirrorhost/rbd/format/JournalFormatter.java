package io.mirrorhost.rbd.format;

import io.mirrorhost.api.cluster.JournalInfo;
import io.mirrorhost.api.cluster.JournalStatus;
import io.mirrorhost.api.format.TreeWriter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code rbd journal info} and {@code rbd journal status} as rbd 16.2 prints them
 * ({@code tools/rbd/action/Journal.cc}; a client's line is cls_journal's {@code operator<<(Client)}).
 */
public final class JournalFormatter {

    private JournalFormatter() {
    }

    public static String info(JournalInfo info, TreeWriter f) {
        String header = "journal." + info.journalId();
        String prefix = "journal_data." + info.poolId() + "." + info.journalId() + ".";
        if (f != null) {
            f.openObject("journal").string("journal_id", info.journalId()).string("header_oid", header)
                    .string("object_oid_prefix", prefix).number("order", info.order())
                    .number("splay_width", info.splayWidth());
            if (info.objectPool() != null) {
                f.string("object_pool", info.objectPool());
            }
            return f.close().finish();
        }
        StringBuilder out = new StringBuilder("rbd journal '" + info.journalId() + "':\n")
                .append("\theader_oid: ").append(header).append('\n')
                .append("\tobject_oid_prefix: ").append(prefix).append('\n')
                .append("\torder: ").append(info.order()).append(" (").append(SizeFormat.bytes(1L << info.order()))
                .append(" objects)\n")
                .append("\tsplay_width: ").append(info.splayWidth()).append('\n');
        if (info.objectPool() != null) {
            out.append("\tobject_pool: ").append(info.objectPool()).append('\n');
        }
        return out.toString();
    }

    public static String status(JournalStatus status, TreeWriter f) {
        if (f != null) {
            f.openObject("status").unsigned("minimum_set", status.minimumSet()).unsigned("active_set", status.activeSet())
                    .openArray("registered_clients");
            for (JournalStatus.JournalClient c : status.clients()) {
                f.openObject("client").string("id", c.id()).string("data", "").openObject("commit_position")
                        .openArray("object_positions");
                for (JournalStatus.ObjectPosition p : c.commitPosition()) {
                    f.openObject("object_position").unsigned("object_number", p.objectNumber())
                            .unsigned("tag_tid", p.tagTid()).unsigned("entry_tid", p.entryTid()).close();
                }
                f.close().close().string("state", state(c)).close();
            }
            return f.close().close().finish();
        }
        StringBuilder out = new StringBuilder()
                .append("minimum_set: ").append(status.minimumSet()).append('\n')
                .append("active_set: ").append(status.activeSet()).append('\n')
                .append("registered clients: \n");
        for (JournalStatus.JournalClient c : status.clients()) {
            out.append('\t').append(client(c)).append('\n');
        }
        return out.toString();
    }

    /** cls_journal's {@code operator<<(const Client&)}. */
    static String client(JournalStatus.JournalClient c) {
        return "[id=" + c.id() + ", commit_position=[positions=[" + positions(c.commitPosition()) + "]], state="
                + state(c) + "]";
    }

    private static String positions(List<JournalStatus.ObjectPosition> positions) {
        return positions.stream().map(p -> "[object_number=" + p.objectNumber() + ", tag_tid=" + p.tagTid()
                + ", entry_tid=" + p.entryTid() + "]").collect(Collectors.joining(", "));
    }

    private static String state(JournalStatus.JournalClient c) {
        return c.connected() ? "connected" : "disconnected";
    }
}
