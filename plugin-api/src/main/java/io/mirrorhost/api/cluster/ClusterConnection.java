package io.mirrorhost.api.cluster;

import io.vertx.core.Future;

/**
 * The connection itself: which cluster it reaches and as whom. A module reads these when it
 * reports or logs who it is, and the host (or whoever connected a peer) closes the connection
 * once, when nothing uses it any more.
 */
public interface ClusterConnection {

    /** The cluster's unique id. */
    String fsid();

    /** The client this connection authenticated as ({@code client.admin}). */
    String clientName();

    Future<Void> close();
}
