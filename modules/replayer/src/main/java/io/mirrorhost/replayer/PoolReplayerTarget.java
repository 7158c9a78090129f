package io.mirrorhost.replayer;

import io.mirrorhost.api.cluster.MirrorPeer;

/**
 * One pool replayer that should run: a local pool and the peer it pulls from. A warning, when not
 * null, is shown as a callout (for example when a pool has several receiving peers).
 */
public record PoolReplayerTarget(String pool, MirrorPeer peer, String warning) {
}
