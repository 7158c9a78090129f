package io.mirrorhost.rbd.format;

import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.api.format.TextTable;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.format.TextTable.Align;
import java.time.ZoneId;
import java.util.List;
import java.util.TreeSet;

/** {@code rbd snap ls [--all]}, plain and JSON ({@code action/Snap.cc}). */
public final class SnapListFormatter {

    private SnapListFormatter() {
    }

    /** The snapshots rbd lists: user snapshots only, unless {@code --all}. */
    public static List<SnapInfo> shown(List<SnapInfo> snaps, boolean all) {
        return all ? snaps : snaps.stream().filter(s -> s.namespace() == SnapNamespace.USER).toList();
    }

    /**
     * @param imageObjects the image's object count, for the copy progress of non-primary mirror-snapshots
     */
    public static String plain(List<SnapInfo> snaps, boolean all, long imageObjects, ZoneId zone) {
        List<SnapInfo> shown = shown(snaps, all);
        if (shown.isEmpty()) {
            return "";
        }
        TextTable table = new TextTable()
                .column("SNAPID", Align.LEFT, Align.RIGHT)
                .column("NAME", Align.LEFT, Align.LEFT)
                .column("SIZE", Align.LEFT, Align.RIGHT)
                .column("PROTECTED", Align.LEFT, Align.LEFT)
                .column("TIMESTAMP", Align.LEFT, Align.RIGHT);
        if (all) {
            table.column("NAMESPACE", Align.LEFT, Align.LEFT);
        }
        for (SnapInfo snap : shown) {
            String id = Long.toUnsignedString(snap.id());
            String size = SizeFormat.bytes(snap.size());
            String prot = isProtected(snap) ? "yes" : "";
            String time = CTime.format(snap.timestamp(), zone);
            if (all) {
                table.row(id, snap.name(), size, prot, time, namespaceText(snap, imageObjects));
            } else {
                table.row(id, snap.name(), size, prot, time);
            }
        }
        return table.render();
    }

    public static String structured(List<SnapInfo> snaps, boolean all, TreeWriter f, ZoneId zone) {
        f.openArray("snapshots");
        for (SnapInfo snap : shown(snaps, all)) {
            f.openObject("snapshot");
            f.unsigned("id", snap.id());
            f.string("name", snap.name());
            f.unsigned("size", snap.size());
            f.string("protected", isProtected(snap) ? "true" : "false");
            f.string("timestamp", CTime.format(snap.timestamp(), zone));
            if (all) {
                f.openObject("namespace");
                f.string("type", snap.namespace().label());
                MirrorSnapshotInfo mirror = snap.mirror();
                if (snap.namespace() == SnapNamespace.MIRROR && mirror != null) {
                    f.string("state", mirror.state().label());
                    f.openArray("mirror_peer_uuids");
                    for (String uuid : new TreeSet<>(mirror.mirrorPeerUuids())) {
                        f.string("peer_uuid", uuid);
                    }
                    f.close();
                    f.bool("complete", mirror.complete());
                    if (!mirror.state().isPrimary()) {
                        f.string("primary_mirror_uuid", mirror.primaryMirrorUuid());
                        f.unsigned("primary_snap_id", mirror.primarySnapId());
                        f.unsigned("last_copied_object_number", mirror.lastCopiedObjectNumber());
                    }
                }
                f.close();
            }
            f.close();
        }
        f.close();
        return f.finish();
    }

    /**
     * The NAMESPACE cell: {@code user}, or for a mirror-snapshot
     * {@code mirror (primary peer_uuids:[a,b])} /
     * {@code mirror (non-primary peer_uuids:[] <mirror uuid>:<snap id> 40% copied)}.
     */
    public static String namespaceText(SnapInfo snap, long imageObjects) {
        MirrorSnapshotInfo mirror = snap.mirror();
        if (snap.namespace() != SnapNamespace.MIRROR || mirror == null) {
            return snap.namespace().label();
        }
        StringBuilder out = new StringBuilder("mirror (").append(mirror.state().label())
                .append(" peer_uuids:[").append(String.join(",", new TreeSet<>(mirror.mirrorPeerUuids())))
                .append("]");
        if (mirror.state() == MirrorSnapshotState.NON_PRIMARY || mirror.state() == MirrorSnapshotState.NON_PRIMARY_DEMOTED) {
            out.append(' ').append(mirror.primaryMirrorUuid()).append(':')
                    .append(Long.toUnsignedString(mirror.primarySnapId())).append(' ');
            if (!mirror.complete()) {
                if (imageObjects > 0) {
                    long progress = Math.min(100, 100 * mirror.lastCopiedObjectNumber() / imageObjects);
                    out.append(progress).append("% ");
                } else {
                    out.append("not ");
                }
            }
            out.append("copied");
        }
        return out.append(')').toString();
    }

    /** Only user snapshots can be protected; rbd reports the others as unprotected. */
    private static boolean isProtected(SnapInfo snap) {
        return snap.namespace() == SnapNamespace.USER && snap.isProtected();
    }
}
