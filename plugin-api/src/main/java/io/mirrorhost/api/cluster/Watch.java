package io.mirrorhost.api.cluster;

import io.vertx.core.Future;

/** A registered watch on an object or image; close it to stop receiving notifications. */
public interface Watch {
    Future<Void> close();
}
