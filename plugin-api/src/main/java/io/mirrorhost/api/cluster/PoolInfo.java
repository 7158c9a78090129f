package io.mirrorhost.api.cluster;

/** A pool: its id (as Ceph numbers pools) and name, and whether {@code rbd pool init} ran on it. */
public record PoolInfo(long id, String name, boolean rbdInitialized) {
}
