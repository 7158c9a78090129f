package io.mirrorhost.ceph;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.ceph.jna.LibRbd;
import io.mirrorhost.ceph.jna.RbdMirrorImageGlobalStatus;
import io.mirrorhost.ceph.jna.RbdMirrorImageInfo;
import io.mirrorhost.ceph.jna.RbdMirrorImageSiteStatus;
import io.mirrorhost.ceph.jna.RbdMirrorPeerSite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pool- and namespace-level mirroring calls of librbd (blocking; run on the Ceph executor). */
final class PoolMirroring {
    private static final LibRbd RBD = LibRbd.INSTANCE;
    private static final int PAGE = 256;

    private PoolMirroring() {
    }

    static MirrorMode modeGet(Pointer io, String where) {
        IntByReference mode = new IntByReference();
        CephErrors.check(RBD.rbd_mirror_mode_get(io, mode), "get the mirror mode of " + where);
        return MirrorEnums.mode(mode.getValue());
    }

    static void modeSet(Pointer io, String where, MirrorMode mode) {
        CephErrors.check(RBD.rbd_mirror_mode_set(io, MirrorEnums.mode(mode)), errno -> java.util.Objects
                .requireNonNullElseGet(LibrbdLogTexts.modeSet(mode, errno),
                        () -> CephErrors.failed("set the mirror mode of " + where + " to " + mode.label(), errno)));
    }

    static String uuid(Pointer io, String pool) {
        return NativeText.cString(NativeText.fill((buf, len) -> RBD.rbd_mirror_uuid_get(io, buf, len), 64,
                "get the mirror uuid of pool '" + pool + "'"));
    }

    static String siteNameGet(Pointer cluster) {
        return NativeText.cString(NativeText.fill((buf, len) -> RBD.rbd_mirror_site_name_get(cluster, buf, len), 256,
                "get the mirror site name"));
    }

    static void siteNameSet(Pointer cluster, String name) {
        CephErrors.check(RBD.rbd_mirror_site_name_set(cluster, name), "set the mirror site name to '" + name + "'");
    }

    static String bootstrapCreate(Pointer io, String pool) {
        return NativeText.cString(NativeText.fill((buf, len) -> RBD.rbd_mirror_peer_bootstrap_create(io, buf, len),
                4096, "create a bootstrap token for pool '" + pool + "'"));
    }

    static void bootstrapImport(Pointer io, String pool, MirrorPeerDirection direction, String token) {
        CephErrors.check(RBD.rbd_mirror_peer_bootstrap_import(io, MirrorEnums.direction(direction), token.trim()),
                errno -> switch (errno) {
                    case EINVAL -> "cannot import the bootstrap token into pool '" + pool
                            + "': the token is invalid or names this cluster: " + errno.describe();
                    default -> CephErrors.failed("import the bootstrap token into pool '" + pool + "'", errno);
                });
    }

    static String peerAdd(Pointer io, String pool, String siteName, String clientName, MirrorPeerDirection direction) {
        byte[] uuid = new byte[64];
        CephErrors.check(RBD.rbd_mirror_peer_site_add(io, uuid, uuid.length, MirrorEnums.direction(direction),
                siteName, clientName), errno -> switch (errno) {
                    case EEXIST -> "peer " + clientName + "@" + siteName + " already exists in pool '" + pool + "'";
                    default -> CephErrors.failed("add peer " + clientName + "@" + siteName + " to pool '" + pool + "'",
                            errno);
                });
        return NativeText.cString(uuid);
    }

    static void peerRemove(Pointer io, String pool, String uuid) {
        CephErrors.check(RBD.rbd_mirror_peer_site_remove(io, uuid), errno -> errno == Errno.ENOENT
                ? "peer " + uuid + " does not exist in pool '" + pool + "'"
                : CephErrors.failed("remove peer " + uuid + " from pool '" + pool + "'", errno));
    }

    /** One of librbd's {@code rbd_mirror_peer_site_set_*} calls, named {@code what} in errors. */
    static void peerSet(String what, int result, String pool, String uuid) {
        CephErrors.check(result, errno -> errno == Errno.ENOENT
                ? "peer " + uuid + " does not exist in pool '" + pool + "'"
                : CephErrors.failed("set the " + what + " of peer " + uuid + " in pool '" + pool + "'", errno));
    }

    static List<MirrorPeer> peerList(Pointer io, String pool) {
        int max = 16;
        while (true) {
            RbdMirrorPeerSite[] peers = (RbdMirrorPeerSite[]) new RbdMirrorPeerSite().toArray(max);
            IntByReference count = new IntByReference(max);
            int rc = RBD.rbd_mirror_peer_site_list(io, peers, count);
            if (rc == -Errno.ERANGE.code()) {
                max = Math.max(count.getValue(), max * 2);
                continue;
            }
            CephErrors.check(rc, "list the peers of pool '" + pool + "'");
            List<MirrorPeer> list = new ArrayList<>();
            for (int i = 0; i < count.getValue(); i++) {
                RbdMirrorPeerSite p = peers[i];
                list.add(new MirrorPeer(NativeText.string(p.uuid), MirrorEnums.direction(p.direction),
                        NativeText.string(p.site_name), NativeText.string(p.mirror_uuid),
                        NativeText.string(p.client_name), p.last_seen == 0 ? null : Instant.ofEpochSecond(p.last_seen)));
            }
            RBD.rbd_mirror_peer_site_list_cleanup(peers, count.getValue());
            return list;
        }
    }

    static Map<String, String> peerAttributes(Pointer io, String pool, String uuid) {
        long keyLen = 256;
        long valueLen = 1024;
        for (int attempt = 0; attempt < 8; attempt++) {
            byte[] keys = new byte[(int) keyLen];
            byte[] values = new byte[(int) valueLen];
            LongByReference maxKey = new LongByReference(keyLen);
            LongByReference maxValue = new LongByReference(valueLen);
            LongByReference count = new LongByReference();
            int rc = RBD.rbd_mirror_peer_site_get_attributes(io, uuid, keys, maxKey, values, maxValue, count);
            if (rc == -Errno.ERANGE.code()) {
                keyLen = Math.max(maxKey.getValue(), keyLen * 2);
                valueLen = Math.max(maxValue.getValue(), valueLen * 2);
                continue;
            }
            if (rc == -Errno.ENOENT.code()) {
                return Map.of();
            }
            CephErrors.check(rc, "get the attributes of peer " + uuid + " of pool '" + pool + "'");
            List<String> k = NativeText.cStrings(keys);
            List<String> v = NativeText.cStrings(values);
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 0; i < count.getValue() && i < k.size(); i++) {
                attributes.put(k.get(i), i < v.size() ? v.get(i) : "");
            }
            return attributes;
        }
        throw new ClusterException(Errno.ERANGE, "cannot get the attributes of peer " + uuid + ": they keep growing");
    }

    static void setPeerAttributes(Pointer io, String pool, String uuid, Map<String, String> attributes) {
        List<String> keys = new ArrayList<>(attributes.keySet());
        List<String> values = new ArrayList<>(attributes.values());
        CephErrors.check(RBD.rbd_mirror_peer_site_set_attributes(io, uuid, NativeText.joined(keys),
                NativeText.joined(values), keys.size()), errno -> errno == Errno.ENOENT
                ? "peer " + uuid + " does not exist in pool '" + pool + "'"
                : CephErrors.failed("set the attributes of peer " + uuid + " of pool '" + pool + "'", errno));
    }

    /** Every mirror-enabled image by id ({@code rbd_mirror_image_info_list}, paged). */
    static Map<String, MirrorImageInfo> imageInfoList(Pointer io, String where) {
        Map<String, MirrorImageInfo> images = new LinkedHashMap<>();
        String startId = "";
        while (true) {
            Pointer[] ids = new Pointer[PAGE];
            int[] modes = new int[PAGE];
            RbdMirrorImageInfo[] infos = (RbdMirrorImageInfo[]) new RbdMirrorImageInfo().toArray(PAGE);
            LongByReference count = new LongByReference();
            CephErrors.check(RBD.rbd_mirror_image_info_list(io, null, startId, PAGE, ids, modes, infos, count),
                    "list the mirrored images of " + where);
            int n = (int) count.getValue();
            for (int i = 0; i < n; i++) {
                String id = NativeText.string(ids[i]);
                images.put(id, info(infos[i], modes[i]));
                startId = id;
            }
            RBD.rbd_mirror_image_info_list_cleanup(ids, infos, n);
            if (n < PAGE) {
                return images;
            }
        }
    }

    static MirrorImageInfo info(RbdMirrorImageInfo info, int mode) {
        return new MirrorImageInfo(NativeText.string(info.global_id), MirrorEnums.imageState(info.state),
                MirrorEnums.imageMode(mode), info.primary != 0);
    }

    /** Every mirror-enabled image with the statuses of every site ({@code rbd_mirror_image_global_status_list}). */
    static List<MirrorImageGlobalStatus> globalStatusList(Pointer io, String where) {
        Map<String, MirrorImageInfo> modes = imageInfoList(io, where);
        List<MirrorImageGlobalStatus> list = new ArrayList<>();
        String startId = "";
        while (true) {
            Pointer[] ids = new Pointer[PAGE];
            RbdMirrorImageGlobalStatus[] statuses =
                    (RbdMirrorImageGlobalStatus[]) new RbdMirrorImageGlobalStatus().toArray(PAGE);
            LongByReference count = new LongByReference();
            CephErrors.check(RBD.rbd_mirror_image_global_status_list(io, startId, PAGE, ids, statuses, count),
                    "list the mirror statuses of " + where);
            int n = (int) count.getValue();
            for (int i = 0; i < n; i++) {
                String id = NativeText.string(ids[i]);
                MirrorImageInfo known = modes.get(id);
                list.add(globalStatus(statuses[i], id, known == null ? 1 : known.mode().ordinal()));
                startId = id;
            }
            RBD.rbd_mirror_image_global_status_list_cleanup(ids, statuses, n);
            if (n < PAGE) {
                return list;
            }
        }
    }

    static MirrorImageGlobalStatus globalStatus(RbdMirrorImageGlobalStatus status, String imageId, int mode) {
        List<MirrorImageSiteStatus> sites = new ArrayList<>();
        for (RbdMirrorImageSiteStatus site : status.siteStatuses()) {
            sites.add(new MirrorImageSiteStatus(NativeText.string(site.mirror_uuid),
                    MirrorEnums.statusState(site.state), NativeText.string(site.description),
                    Instant.ofEpochSecond(site.last_update), site.up != 0));
        }
        return new MirrorImageGlobalStatus(NativeText.string(status.name), imageId, info(status.info, mode), sites);
    }

    /** Image counts by local replay state ({@code rbd_mirror_image_status_summary}). */
    static Map<MirrorImageStatusState, Integer> statusSummary(Pointer io, String where) {
        int max = 16;
        int[] states = new int[max];
        int[] counts = new int[max];
        LongByReference len = new LongByReference(max);
        CephErrors.check(RBD.rbd_mirror_image_status_summary(io, states, counts, len),
                "summarise the mirror statuses of " + where);
        Map<MirrorImageStatusState, Integer> summary = new EnumMap<>(MirrorImageStatusState.class);
        for (int i = 0; i < len.getValue(); i++) {
            summary.merge(MirrorEnums.statusState(states[i]), counts[i], Integer::sum);
        }
        return summary;
    }
}
