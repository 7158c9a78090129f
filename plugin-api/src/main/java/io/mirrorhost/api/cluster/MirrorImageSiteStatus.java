package io.mirrorhost.api.cluster;

import java.time.Instant;

/**
 * The status one site's daemon reports for an image ({@code rbd_mirror_image_site_status_t}).
 *
 * @param mirrorUuid  empty for the local site, else the peer site's mirror uuid
 * @param up          whether the reporting daemon is alive
 * @param description free text or JSON, as rbd-mirror writes it
 */
public record MirrorImageSiteStatus(String mirrorUuid, MirrorImageStatusState state, String description,
                                    Instant lastUpdate, boolean up) {
}
