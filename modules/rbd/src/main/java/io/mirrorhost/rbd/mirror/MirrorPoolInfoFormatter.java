package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.format.JsonWriter;
import io.mirrorhost.api.format.TreeWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code rbd mirror pool info} output ({@code execute_info} and {@code format_mirror_peers} in MirrorPool.cc, 16.2). */
public final class MirrorPoolInfoFormatter {

    /**
     * @param namespaceLevel whether a namespace was named (then no site name and no peers are shown)
     * @param peers          the pool's peers, in the cluster's order
     * @param attributes     with {@code --all}: each peer's config-key attributes ({@code mon_host}, {@code key})
     *                       by peer uuid; null without {@code --all}
     * @param remoteNamespace a mirrored namespace's remote namespace when it has another name (shown as newer
     *                       rbd shows it; 16.2, which cannot rename, shows none), else null
     */
    public record PoolInfo(MirrorMode mode, String siteName, boolean namespaceLevel, List<MirrorPeer> peers,
                           Map<String, Map<String, String>> attributes, String remoteNamespace) {
        public PoolInfo(MirrorMode mode, String siteName, boolean namespaceLevel, List<MirrorPeer> peers,
                        Map<String, Map<String, String>> attributes) {
            this(mode, siteName, namespaceLevel, peers, attributes, null);
        }

        boolean showsPeers() {
            return mode != MirrorMode.DISABLED && !namespaceLevel;
        }
    }

    private MirrorPoolInfoFormatter() {
    }

    public static String plain(PoolInfo info) {
        StringBuilder out = new StringBuilder("Mode: ").append(info.mode().label()).append('\n');
        if (info.remoteNamespace() != null) {
            out.append("Remote Namespace: ").append(info.remoteNamespace()).append('\n');
        }
        if (!info.showsPeers()) {
            return out.toString();
        }
        out.append("Site Name: ").append(info.siteName()).append("\n\n");
        out.append("Peer Sites: ").append(info.peers().isEmpty() ? "none" : "").append('\n');
        String lastSiteName = info.peers().isEmpty() ? "" : info.peers().get(info.peers().size() - 1).siteName();
        for (MirrorPeer peer : info.peers()) {
            out.append("\nUUID: ").append(peer.uuid()).append('\n');
            out.append("Name: ").append(peer.siteName()).append('\n');
            if (peer.direction() != MirrorPeerDirection.RX_ONLY || !peer.mirrorUuid().isEmpty()) {
                out.append("Mirror UUID: ").append(peer.mirrorUuid()).append('\n');
            }
            out.append("Direction: ").append(peer.direction().label()).append('\n');
            if (peer.direction() != MirrorPeerDirection.TX_ONLY || !peer.clientName().isEmpty()) {
                out.append("Client: ").append(peer.clientName()).append('\n');
            }
            if (info.attributes() != null) {
                Map<String, String> attributes = info.attributes().getOrDefault(peer.uuid(), Map.of());
                out.append("Mon Host: ").append(attributes.getOrDefault("mon_host", "")).append('\n');
                out.append("Key: ").append(attributes.getOrDefault("key", "")).append('\n');
            }
            // rbd separates peers by comparing site names with the last peer's, not positions
            if (!peer.siteName().equals(lastSiteName)) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    public static String json(PoolInfo info, boolean pretty) {
        return structured(info, new JsonWriter(pretty));
    }

    /** JSON or XML, as the writer writes. */
    public static String structured(PoolInfo info, TreeWriter json) {
        json.openObject("mirror").string("mode", info.mode().label());
        if (info.remoteNamespace() != null) {
            json.string("remote_namespace", info.remoteNamespace());
        }
        if (info.showsPeers()) {
            json.string("site_name", info.siteName());
            json.openArray("peers");
            for (MirrorPeer peer : info.peers()) {
                json.openObject("peer")
                        .string("uuid", peer.uuid())
                        .string("direction", peer.direction().label())
                        .string("site_name", peer.siteName())
                        .string("mirror_uuid", peer.mirrorUuid())
                        .string("client_name", peer.clientName());
                if (info.attributes() != null) {
                    new TreeMap<>(info.attributes().getOrDefault(peer.uuid(), Map.of())).forEach(json::string);
                }
                json.close();
            }
            json.close();
        }
        return json.close().finish();
    }
}
