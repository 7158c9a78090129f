package io.mirrorhost.it;

import static io.mirrorhost.it.Await.result;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Vertx;

/**
 * Both test clusters connected through the ceph backend, with their mirror site names set to the
 * cluster names (what it/ceph/rbd-mirror.sh expects), and helpers to prepare mirrored pools.
 */
final class TwoSites implements AutoCloseable {
    final CephSite siteA = CephSite.a();
    final CephSite siteB = CephSite.b();
    final Vertx vertx = Vertx.vertx();
    final Cluster a;
    final Cluster b;

    TwoSites() {
        a = CephClusters.connect(vertx, siteA);
        b = CephClusters.connect(vertx, siteB);
        result(a.mirrorSiteNameSet(siteA.name()));
        result(b.mirrorSiteNameSet(siteB.name()));
    }

    /** Creates and initialises {@code pool} on both sites with mirror mode {@code image}. */
    void mirroredPool(String pool) {
        for (Cluster c : new Cluster[] {a, b}) {
            result(c.createPool(pool));
            result(c.initPool(pool));
            result(c.mirrorModeSet(PoolNamespace.of(pool), MirrorMode.IMAGE));
        }
    }

    /** Peers the pool of both sites the way the docs do it: bootstrap token of A imported on B, rx-tx. */
    void bootstrap(String pool) {
        String token = result(a.mirrorPeerBootstrapCreate(pool));
        result(b.mirrorPeerBootstrapImport(pool, MirrorPeerDirection.RX_TX, token));
    }

    @Override
    public void close() {
        result(a.close());
        result(b.close());
        result(vertx.close());
    }
}
