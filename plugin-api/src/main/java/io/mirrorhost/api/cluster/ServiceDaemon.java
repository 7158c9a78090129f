package io.mirrorhost.api.cluster;

import java.util.Map;

/**
 * One daemon of a service in the manager's service map, as {@code ceph service dump} and
 * {@code ceph service status} show it.
 *
 * @param name     the daemon's key in the service map (rbd-mirror uses its RADOS instance id)
 * @param metadata what the daemon registered with ({@code rados_service_register}) plus what the
 *                 client library adds ({@code hostname}, {@code ceph_version_short}, ...)
 * @param status   the daemon's last pushed status ({@code rados_service_update_status}); empty if it
 *                 pushed none. rbd-mirror pushes one key, {@code json}.
 */
public record ServiceDaemon(String name, Map<String, String> metadata, Map<String, String> status) {
    public ServiceDaemon {
        metadata = Map.copyOf(metadata);
        status = Map.copyOf(status);
    }
}
