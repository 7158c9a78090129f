package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Where {@code rbd mirror pool status} learns about the mirror daemons serving a pool (rbd reads Ceph's
 * service map: {@code service dump} and {@code service status}); {@link ServiceMapDaemons} reads it through the
 * cluster SPI. {@link #NONE} is a site where no daemon reports, as rbd sees it then.
 */
public interface MirrorDaemons {

    /** No daemon reports: daemon health UNKNOWN, no services, no image-to-instance map. */
    MirrorDaemons NONE = where -> Future.succeededFuture(Report.NONE);

    Future<Report> report(PoolNamespace where);

    /**
     * @param services         the daemons, by service id order
     * @param daemonHealth     the overall daemon health ({@code get_daemon_health})
     * @param imageInstanceIds image id to the instance id of the daemon replaying it
     */
    record Report(List<MirrorService> services, MirrorHealth daemonHealth, Map<String, String> imageInstanceIds) {
        public static final Report NONE = new Report(List.of(), MirrorHealth.UNKNOWN, Map.of());

        public Report {
            services = List.copyOf(services);
            imageInstanceIds = Map.copyOf(imageInstanceIds);
        }

        /** The daemon serving an image, or null ({@code get_by_instance_id}). */
        public MirrorService serviceOfInstance(String instanceId) {
            if (instanceId == null || instanceId.isEmpty()) {
                return null;
            }
            return services.stream().filter(s -> s.instanceId().equals(instanceId)).findFirst().orElse(null);
        }
    }
}
