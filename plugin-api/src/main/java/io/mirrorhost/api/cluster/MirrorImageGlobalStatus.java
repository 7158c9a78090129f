package io.mirrorhost.api.cluster;

import java.util.List;

/** An image's mirroring and the statuses of every site ({@code rbd_mirror_image_global_status_t}). */
public record MirrorImageGlobalStatus(String name, String imageId, MirrorImageInfo info,
                                      List<MirrorImageSiteStatus> siteStatuses) {
    public MirrorImageGlobalStatus {
        siteStatuses = List.copyOf(siteStatuses);
    }
}
