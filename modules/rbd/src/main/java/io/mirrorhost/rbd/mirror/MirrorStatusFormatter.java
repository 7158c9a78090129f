package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.MirrorSnapshotState;
import io.mirrorhost.api.format.JsonWriter;
import io.mirrorhost.api.format.TreeWriter;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code rbd mirror image status} and {@code rbd mirror pool status} output ({@code execute_status} in
 * MirrorImage.cc and MirrorPool.cc, 16.2). Pure: everything shown comes in the arguments.
 */
public final class MirrorStatusFormatter {

    /**
     * One image's status as shown.
     *
     * @param service         the daemon replaying it, or null
     * @param mirrorSnapshots the image's primary (or demoted primary) mirror-snapshots, for a primary
     *                        snapshot-mode image; empty otherwise
     */
    public record ImageStatus(String name, String globalId, SiteStatuses sites, Map<String, String> peerNames,
                              MirrorService service, List<SnapInfo> mirrorSnapshots) {
        public ImageStatus {
            peerNames = Map.copyOf(peerNames);
            mirrorSnapshots = List.copyOf(mirrorSnapshots);
        }
    }

    /**
     * A pool's summary and, with {@code --verbose}, its daemons and images.
     *
     * @param states counts of images by state, as the cluster summarises them
     * @param images null without {@code --verbose}
     */
    public record PoolStatus(Map<MirrorImageStatusState, Integer> states, MirrorDaemons.Report daemons,
                             List<ImageStatus> images) {
        MirrorHealth imageHealth() {
            return MirrorHealth.ofImages(states);
        }

        MirrorHealth health() {
            return imageHealth().worst(daemons.daemonHealth());
        }

        int total() {
            return states.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** rbd keeps the counts in a std::map keyed by the state's number. */
        Map<MirrorImageStatusState, Integer> ordered() {
            return new java.util.TreeMap<>(states);
        }
    }

    private final ZoneId zone;

    public MirrorStatusFormatter(ZoneId zone) {
        this.zone = zone;
    }

    // --- mirror image status ---

    public String imagePlain(ImageStatus image) {
        StringBuilder out = new StringBuilder();
        imageBlock(out, image);
        if (!image.mirrorSnapshots().isEmpty()) {
            out.append("  snapshots:\n");
            boolean first = true;
            for (SnapInfo snap : image.mirrorSnapshots()) {
                if (!first) {
                    out.append('\n');
                }
                first = false;
                out.append("    ").append(snap.id()).append(' ').append(snap.name()).append(" (")
                        .append(demoted(snap) ? "demoted " : "")
                        .append("peer_uuids:[").append(String.join(",", new TreeSet<>(snap.mirror().mirrorPeerUuids())))
                        .append("])");
            }
            out.append('\n');
        }
        return out.toString();
    }

    public String imageJson(ImageStatus image, boolean pretty) {
        return imageStructured(image, new JsonWriter(pretty));
    }

    /** JSON or XML, as the writer writes. */
    public String imageStructured(ImageStatus image, TreeWriter json) {
        imageObject(json, image);
        return json.finish();
    }

    // --- mirror pool status ---

    public String poolPlain(PoolStatus pool) {
        StringBuilder out = new StringBuilder();
        out.append("health: ").append(pool.health()).append('\n');
        out.append("daemon health: ").append(pool.daemons().daemonHealth()).append('\n');
        out.append("image health: ").append(pool.imageHealth()).append('\n');
        out.append("images: ").append(pool.total()).append(" total\n");
        pool.ordered().forEach((state, count) ->
                out.append("    ").append(count).append(' ').append(state.label()).append('\n'));
        if (pool.images() == null) {
            return out.toString();
        }
        out.append("\nDAEMONS\n");
        if (pool.daemons().services().isEmpty()) {
            out.append("  none\n");
        }
        for (MirrorService service : pool.daemons().services()) {
            out.append("service ").append(service.serviceId()).append(":\n")
                    .append("  instance_id: ").append(service.instanceId()).append('\n')
                    .append("  client_id: ").append(service.clientId()).append('\n')
                    .append("  hostname: ").append(service.hostname()).append('\n')
                    .append("  version: ").append(service.cephVersion()).append('\n')
                    .append("  leader: ").append(service.leader()).append('\n')
                    .append("  health: ").append(service.health()).append('\n');
            if (!service.callouts().isEmpty()) {
                // rbd streams a std::list<std::string>: comma-separated, no brackets (seen on 16.2.15)
                out.append("  callouts: ").append(String.join(",", service.callouts())).append('\n');
            }
            out.append('\n');
        }
        out.append('\n');
        // rbd starts every image with a newline, so the heading has none of its own
        out.append("IMAGES");
        for (ImageStatus image : pool.images()) {
            out.append('\n');
            imageBlock(out, image);
        }
        return out.toString();
    }

    public String poolJson(PoolStatus pool, boolean pretty) {
        return poolStructured(pool, new JsonWriter(pretty));
    }

    /** JSON or XML, as the writer writes. */
    public String poolStructured(PoolStatus pool, TreeWriter json) {
        json.openObject("status").openObject("summary")
                .string("health", pool.health().name())
                .string("daemon_health", pool.daemons().daemonHealth().name())
                .string("image_health", pool.imageHealth().name())
                .openObject("states");
        pool.ordered().forEach((state, count) -> json.number(state.label(), count));
        json.close().close();
        if (pool.images() != null) {
            json.openArray("daemons");
            for (MirrorService service : pool.daemons().services()) {
                json.openObject("daemon")
                        .string("service_id", service.serviceId())
                        .string("instance_id", service.instanceId())
                        .string("client_id", service.clientId())
                        .string("hostname", service.hostname())
                        .string("ceph_version", service.cephVersion())
                        .bool("leader", service.leader())
                        .string("health", service.health().name());
                if (!service.callouts().isEmpty()) {
                    json.openArray("callouts");
                    service.callouts().forEach(c -> json.string("callout", c));
                    json.close();
                }
                json.close();
            }
            json.close();
            json.openArray("images");
            pool.images().forEach(image -> imageObject(json, image));
            json.close();
        }
        return json.close().finish();
    }

    // --- shared ---

    private void imageBlock(StringBuilder out, ImageStatus image) {
        out.append(image.name()).append(":\n");
        out.append("  global_id:   ").append(image.globalId()).append('\n');
        image.sites().local().ifPresent(local -> {
            out.append("  state:       ").append(SiteStatuses.state(local)).append('\n');
            out.append("  description: ").append(local.description()).append('\n');
            if (image.service() != null) {
                out.append("  service:     ").append(image.service().description()).append('\n');
            }
            out.append("  last_update: ").append(SiteStatuses.timestr(local.lastUpdate(), zone)).append('\n');
        });
        if (!image.sites().peers().isEmpty()) {
            out.append("  peer_sites:\n");
            boolean first = true;
            for (MirrorImageSiteStatus site : image.sites().peers()) {
                if (!first) {
                    out.append('\n');
                }
                first = false;
                out.append("    name: ").append(image.peerNames().getOrDefault(site.mirrorUuid(), site.mirrorUuid()))
                        .append('\n')
                        .append("    state: ").append(SiteStatuses.state(site)).append('\n')
                        .append("    description: ").append(site.description()).append('\n')
                        .append("    last_update: ").append(SiteStatuses.timestr(site.lastUpdate(), zone)).append('\n');
            }
        }
    }

    private void imageObject(TreeWriter json, ImageStatus image) {
        json.openObject("image").string("name", image.name()).string("global_id", image.globalId());
        image.sites().local().ifPresent(local -> {
            json.string("state", SiteStatuses.state(local)).string("description", local.description());
            if (image.service() != null) {
                MirrorService service = image.service();
                json.openObject("daemon_service")
                        .string("service_id", service.serviceId())
                        .string("instance_id", service.instanceId())
                        .string("daemon_id", service.clientId())
                        .string("hostname", service.hostname())
                        .close();
            }
            json.string("last_update", SiteStatuses.timestr(local.lastUpdate(), zone));
        });
        if (!image.sites().peers().isEmpty()) {
            json.openArray("peer_sites");
            for (MirrorImageSiteStatus site : image.sites().peers()) {
                json.openObject("peer_site")
                        .string("site_name", image.peerNames().getOrDefault(site.mirrorUuid(), ""))
                        .string("mirror_uuids", site.mirrorUuid())
                        .string("state", SiteStatuses.state(site))
                        .string("description", site.description())
                        .string("last_update", SiteStatuses.timestr(site.lastUpdate(), zone))
                        .close();
            }
            json.close();
        }
        if (!image.mirrorSnapshots().isEmpty()) {
            json.openArray("snapshots");
            for (SnapInfo snap : image.mirrorSnapshots()) {
                json.openObject("snapshot").unsigned("id", snap.id()).string("name", snap.name())
                        .bool("demoted", demoted(snap)).openArray("mirror_peer_uuids");
                new TreeSet<>(snap.mirror().mirrorPeerUuids()).forEach(uuid -> json.string("peer_uuid", uuid));
                json.close().close();
            }
            json.close();
        }
        json.close();
    }

    private static boolean demoted(SnapInfo snap) {
        return snap.mirror().state() == MirrorSnapshotState.PRIMARY_DEMOTED;
    }
}
