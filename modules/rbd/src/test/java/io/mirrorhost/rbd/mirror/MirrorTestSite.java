package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ImageSpec;

/**
 * One site the mirror command tests run against. Tests arrange and check state through the cluster SPI
 * only, except for the few things below that the SPI cannot reach; {@link FakeMirrorSite} implements them
 * over the in-memory fake, and a backend's implementation (see {@link MirrorTestSites}) runs the same tests
 * on that backend.
 */
interface MirrorTestSite {

    Cluster cluster();

    /** The cluster name of the site's conf ({@code site-a}); librbd refuses it as a peer's site name. */
    String clusterName();

    /** Lets this site reach {@code other} with a bootstrap token {@code other} created. */
    void reach(MirrorTestSite other);

    /**
     * Makes the (mirrored) image a non-primary copy replaying a primary on another site, as it is on the
     * secondary site of a pair (librbd's NON_PRIMARY promotion state): promoting it needs {@code --force}.
     * A real pair of sites gets there by enabling mirroring on the other site and letting it replay.
     */
    void replicaOfARemotePrimary(ImageSpec image);

    /** Whether the image carries the resync request {@code rbd mirror image resync} leaves for the daemon. */
    boolean resyncRequested(ImageSpec image);

    /** How many image handles are open: every command must close what it opened. */
    int openImageHandles();
}
