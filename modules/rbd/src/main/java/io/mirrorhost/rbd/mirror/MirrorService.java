package io.mirrorhost.rbd.mirror;

import java.util.List;

/**
 * One mirror daemon as {@code rbd mirror pool status --verbose} lists it ({@code MirrorService} in rbd's
 * {@code MirrorDaemonServiceInfo.h}), from the service map's metadata and the daemon's status for the pool.
 */
public record MirrorService(String serviceId, String instanceId, String clientId, String hostname,
                            String cephVersion, boolean leader, MirrorHealth health, List<String> callouts) {

    public MirrorService {
        callouts = List.copyOf(callouts);
    }

    /** {@code CLIENT on HOST}, the {@code service:} line of an image's status. */
    public String description() {
        String description = !clientId.isEmpty() ? clientId : serviceId;
        return hostname.isEmpty() ? description : description + " on " + hostname;
    }
}
