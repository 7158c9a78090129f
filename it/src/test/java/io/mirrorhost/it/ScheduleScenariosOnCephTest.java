package io.mirrorhost.it;

import io.mirrorhost.api.testing.ScenarioSite;
import io.mirrorhost.schedule.scenario.ScheduleScenarios;

/**
 * The mirror-snapshot-schedule module's shared scenarios on real Ceph (the module's own build runs them
 * on embedded); the schedules they store are in the omap objects the real manager's rbd_support reads.
 */
class ScheduleScenariosOnCephTest extends ScheduleScenarios {
    @Override
    protected ScenarioSite openSite() {
        return CephScenarioSites.siteA();
    }
}
