package io.mirrorhost.ceph;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.DiffExtent;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.ceph.jna.LibRbd;
import io.mirrorhost.ceph.jna.RbdSnapInfo;
import io.mirrorhost.ceph.jna.RbdSnapMirrorNamespace;
import io.mirrorhost.ceph.jna.Timespec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Snapshot listing with namespaces, diffs and mirror-snapshot peers of an open image (blocking calls). */
final class Snapshots {
    private static final LibRbd RBD = LibRbd.INSTANCE;

    private Snapshots() {
    }

    /** Every snapshot of every namespace, oldest first. */
    static List<SnapInfo> list(Pointer image) {
        int max = 16;
        while (true) {
            RbdSnapInfo[] snaps = (RbdSnapInfo[]) new RbdSnapInfo().toArray(max);
            IntByReference count = new IntByReference(max);
            int rc = RBD.rbd_snap_list(image, snaps, count);
            if (rc == -Errno.ERANGE.code()) {
                max = Math.max(count.getValue(), max * 2) + 1;
                continue;
            }
            CephErrors.check(rc, "list snapshots");
            List<SnapInfo> list = new ArrayList<>();
            try {
                for (int i = 0; i < rc; i++) {
                    list.add(describe(image, snaps[i].id, snaps[i].size, NativeText.string(snaps[i].name)));
                }
            } finally {
                RBD.rbd_snap_list_end(snaps);
            }
            list.sort(Comparator.comparingLong(SnapInfo::id));
            return list;
        }
    }

    private static SnapInfo describe(Pointer image, long id, long size, String name) {
        Timespec timestamp = new Timespec();
        CephErrors.check(RBD.rbd_snap_get_timestamp(image, id, timestamp), "get the timestamp of snapshot id " + id);
        IntByReference type = new IntByReference();
        CephErrors.check(RBD.rbd_snap_get_namespace_type(image, id, type), "get the namespace of snapshot id " + id);
        SnapNamespace namespace = MirrorEnums.snapNamespace(type.getValue());
        boolean isProtected = false;
        if (namespace == SnapNamespace.USER) {
            IntByReference flag = new IntByReference();
            CephErrors.check(RBD.rbd_snap_is_protected(image, name, flag), "check protection of snapshot '" + name + "'");
            isProtected = flag.getValue() != 0;
        }
        MirrorSnapshotInfo mirror = namespace == SnapNamespace.MIRROR ? mirrorNamespace(image, id) : null;
        return new SnapInfo(id, name, size, timestamp.toInstant(), namespace, isProtected, mirror);
    }

    /** The mirror-snapshot fields ({@code rbd_snap_get_mirror_namespace}); librbd does not expose snap seqs. */
    static MirrorSnapshotInfo mirrorNamespace(Pointer image, long id) {
        RbdSnapMirrorNamespace ns = new RbdSnapMirrorNamespace();
        CephErrors.check(RBD.rbd_snap_get_mirror_namespace(image, id, ns, ns.size()),
                "get the mirror namespace of snapshot id " + id);
        try {
            return new MirrorSnapshotInfo(MirrorEnums.snapshotState(ns.state), ns.complete != 0,
                    new LinkedHashSet<>(NativeText.packed(ns.mirror_peer_uuids, ns.mirror_peer_uuids_count)),
                    NativeText.string(ns.primary_mirror_uuid), ns.primary_snap_id, ns.last_copied_object_number,
                    Map.of());
        } finally {
            RBD.rbd_snap_mirror_namespace_cleanup(ns, ns.size());
        }
    }

    static long idOf(Pointer image, String name) {
        LongByReference id = new LongByReference();
        CephErrors.check(RBD.rbd_snap_get_id(image, name, id), errno -> errno == Errno.ENOENT
                ? "snapshot '" + name + "' does not exist" : CephErrors.failed("look up snapshot '" + name + "'", errno));
        return id.getValue();
    }

    /**
     * {@code rbd_diff_iterate2} from a user snapshot (or the beginning) to the handle's point. librbd 16.2
     * takes the start as a user-snapshot name, so a diff from a mirror-snapshot is rbd-mirror's business.
     */
    static List<DiffExtent> diff(Pointer image, ImageSpec spec, Long fromSnapId, long offset, long length,
                                 boolean wholeObject) {
        String fromName = null;
        if (fromSnapId != null) {
            SnapInfo from = list(image).stream().filter(s -> s.id() == fromSnapId).findFirst()
                    .orElseThrow(() -> ClusterException.notFound("snapshot id " + fromSnapId + " does not exist"));
            if (from.namespace() != SnapNamespace.USER) {
                throw CephErrors.unsupported("a diff from a " + from.namespace().label() + " snapshot");
            }
            fromName = from.name();
        }
        List<DiffExtent> extents = new ArrayList<>();
        LibRbd.DiffCallback callback = (off, len, exists, arg) -> {
            extents.add(new DiffExtent(off, len, exists != 0));
            return 0;
        };
        CephErrors.check(RBD.rbd_diff_iterate2(image, fromName, offset, length, (byte) 1, (byte) (wholeObject ? 1 : 0),
                callback, null), errno -> CephErrors.failed("diff image " + spec, errno));
        return extents;
    }

    /**
     * Unlinks a peer from a primary mirror-snapshot with cls_rbd's {@code mirror_image_snapshot_unlink_peer}
     * on the image header; librbd has no public call for it (rbd-mirror uses an internal request).
     * Then notifies the header as librbd does, so open handles (this one included) refresh.
     */
    static void unlinkPeer(Pointer image, Pointer io, long snapId, String peerUuid) {
        SnapInfo snap = list(image).stream().filter(s -> s.id() == snapId).findFirst()
                .orElseThrow(() -> ClusterException.notFound("snapshot id " + snapId + " does not exist"));
        if (snap.mirror() == null || !snap.mirror().state().isPrimary()) {
            throw ClusterException.invalid("snapshot id " + snapId + " is not a primary mirror snapshot");
        }
        if (!snap.mirror().mirrorPeerUuids().contains(peerUuid)) {
            throw ClusterException.notFound("peer " + peerUuid + " is not linked to snapshot id " + snapId);
        }
        byte[] id = new byte[64];
        CephErrors.check(RBD.rbd_get_id(image, id, id.length), "get the image id");
        String header = "rbd_header." + NativeText.cString(id);
        ObjectStore.exec(io, header, "rbd", "mirror_image_snapshot_unlink_peer", unlinkPeerInput(snapId, peerUuid));
        ObjectStore.notifyHeaderUpdate(io, header);
    }

    /** cls_rbd's encoding: snapid_t as little-endian u64, then the string as u32 length plus bytes. */
    static byte[] unlinkPeerInput(long snapId, String peerUuid) {
        byte[] uuid = peerUuid.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + uuid.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(snapId).putInt(uuid.length).put(uuid);
        return b.array();
    }
}
