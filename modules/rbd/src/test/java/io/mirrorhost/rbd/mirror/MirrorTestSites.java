package io.mirrorhost.rbd.mirror;

import java.util.function.BiFunction;

/**
 * Where the mirror command tests get their sites: the in-memory fake by default. To run the same tests on
 * a backend, set {@link #factory} to one that starts a site of that backend (site name, monitor address).
 */
final class MirrorTestSites {
    static BiFunction<String, String, MirrorTestSite> factory = (siteName, monHost) -> new FakeMirrorSite(
            new FakeMirrorCluster(fsidOf(siteName), siteName, monHost));

    private MirrorTestSites() {
    }

    static MirrorTestSite site(String siteName, String monHost) {
        return factory.apply(siteName, monHost);
    }

    private static String fsidOf(String siteName) {
        String hex = String.format("%08x", siteName.hashCode());
        return hex + "-1111-4111-8111-" + hex + "1111";
    }
}
