package io.mirrorhost.status.scenario;

import io.mirrorhost.api.testing.ScenarioSite;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared status scenarios on the embedded backend (it/ runs the same ones on real Ceph). */
class MirrorStatusScenariosOnEmbeddedTest extends MirrorStatusScenarios {
    @TempDir
    Path dir;

    @Override
    protected ScenarioSite openSite() {
        return ScenarioSite.embedded(dir);
    }
}
