package io.mirrorhost.it;

import io.mirrorhost.api.testing.ScenarioSite;
import io.mirrorhost.status.scenario.MirrorStatusScenarios;

/**
 * The mirror-status module's shared scenarios on real Ceph (the module's own build runs them on embedded),
 * with no rbd-mirror running for their pools.
 */
class MirrorStatusScenariosOnCephTest extends MirrorStatusScenarios {
    @Override
    protected ScenarioSite openSite() {
        return CephScenarioSites.siteA();
    }
}
