package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ImageSpec;

/** A {@link MirrorTestSite} over {@link FakeMirrorCluster}. */
final class FakeMirrorSite implements MirrorTestSite {
    final FakeMirrorCluster fake;
    private final Cluster cluster;

    FakeMirrorSite(FakeMirrorCluster fake) {
        this.fake = fake;
        this.cluster = fake.asCluster();
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public String clusterName() {
        return fake.clusterName;
    }

    @Override
    public void reach(MirrorTestSite other) {
        FakeMirrorCluster remote = ((FakeMirrorSite) other).fake;
        fake.reachable.put(remote.fsid, remote);
    }

    @Override
    public void replicaOfARemotePrimary(ImageSpec image) {
        FakeMirrorImage fake = image(image);
        fake.primary = false;
        fake.remotePrimary = true;
    }

    @Override
    public boolean resyncRequested(ImageSpec image) {
        return image(image).resyncRequested;
    }

    @Override
    public int openImageHandles() {
        return fake.pools.values().stream().flatMap(p -> p.namespaces.values().stream())
                .flatMap(ns -> ns.images.values().stream()).mapToInt(i -> i.openHandles).sum();
    }

    private FakeMirrorImage image(ImageSpec spec) {
        return fake.namespace(spec.poolNamespace()).images.get(spec.name());
    }
}
