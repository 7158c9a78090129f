package io.mirrorhost.api.cluster;

/**
 * Mirroring of one image ({@code rbd_mirror_image_info_t} plus its mode): the global id shared by
 * all copies of the image, its state and whether this copy is the primary.
 */
public record MirrorImageInfo(String globalId, MirrorImageState state, MirrorImageMode mode, boolean primary) {
}
