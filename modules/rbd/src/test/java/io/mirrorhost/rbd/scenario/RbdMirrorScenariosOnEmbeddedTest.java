package io.mirrorhost.rbd.scenario;

import io.mirrorhost.api.testing.ScenarioSite;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared mirroring scenarios on the embedded backend (it/ runs the same ones on real Ceph). */
class RbdMirrorScenariosOnEmbeddedTest extends RbdMirrorScenarios {
    @TempDir
    static Path dir;

    @Override
    protected ScenarioSite openSite() {
        return ScenarioSite.embedded(dir);
    }
}
