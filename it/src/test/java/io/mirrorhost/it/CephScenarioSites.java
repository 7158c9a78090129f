package io.mirrorhost.it;

import io.mirrorhost.api.testing.ScenarioSite;
import java.util.Set;

/** The shared module scenarios' site on real Ceph: cluster site-a through the ceph backend. */
final class CephScenarioSites {
    private CephScenarioSites() {
    }

    static ScenarioSite siteA() {
        CephSite site = CephSite.a();
        return ScenarioSite.connect("ceph", site.name(), site.settings(), Set.of());
    }
}
