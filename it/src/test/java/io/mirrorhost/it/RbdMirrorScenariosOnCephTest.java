package io.mirrorhost.it;

import io.mirrorhost.api.testing.ScenarioSite;
import io.mirrorhost.rbd.scenario.RbdMirrorScenarios;

/** The rbd module's shared mirroring scenarios on real Ceph (the module's own build runs them on embedded). */
class RbdMirrorScenariosOnCephTest extends RbdMirrorScenarios {
    @Override
    protected ScenarioSite openSite() {
        return CephScenarioSites.siteA();
    }
}
