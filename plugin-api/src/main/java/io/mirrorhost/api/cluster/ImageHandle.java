package io.mirrorhost.api.cluster;

import io.vertx.core.Future;

/**
 * The handle itself: the image and point (head or snapshot) it was opened on, the image's header
 * as it reads now, and closing it, which whoever opened the handle does once when done.
 */
public interface ImageHandle {

    ImageSpec spec();

    /** The snapshot this handle reads, or null for the head. */
    Long snapId();

    Future<ImageInfo> info();

    Future<Void> close();
}
