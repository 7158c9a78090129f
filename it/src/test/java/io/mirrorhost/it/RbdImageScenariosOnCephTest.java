package io.mirrorhost.it;

import io.mirrorhost.api.testing.ScenarioSite;
import io.mirrorhost.rbd.scenario.RbdImageScenarios;

/** The rbd module's shared image scenarios on real Ceph (the module's own build runs them on embedded). */
class RbdImageScenariosOnCephTest extends RbdImageScenarios {
    @Override
    protected ScenarioSite openSite() {
        return CephScenarioSites.siteA();
    }
}
