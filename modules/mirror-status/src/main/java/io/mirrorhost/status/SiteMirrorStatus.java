package io.mirrorhost.status;

import java.time.Instant;
import java.util.List;

/** Everything the status module last collected for the site, and when. */
public record SiteMirrorStatus(Instant collectedAt, List<NamespaceMirrorStatus> namespaces, String lastError) {

    public SiteMirrorStatus {
        namespaces = List.copyOf(namespaces);
    }

    public static SiteMirrorStatus empty() {
        return new SiteMirrorStatus(null, List.of(), null);
    }

    public Health health() {
        return namespaces.stream().map(NamespaceMirrorStatus::imageHealth).reduce(Health.OK, Health::worst);
    }
}
