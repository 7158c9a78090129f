package io.mirrorhost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

/** The real rbd-mirror daemon of one site, run with it/ceph/rbd-mirror.sh. */
record RbdMirrorDaemon(CephSite local, CephSite peer) {

    private static Path script() {
        String dir = System.getenv("MIRRORHOST_IT_CEPH_DIR");
        return (dir != null ? Path.of(dir) : Path.of("ceph")).resolve("rbd-mirror.sh").toAbsolutePath();
    }

    void start() {
        CephSite.Result r = CephSite.exec(List.of(script().toString(), "start", local.name(), local.dir().toString(),
                peer.name(), peer.dir().toString()));
        assertEquals(0, r.exit(), () -> "rbd-mirror.sh start failed: " + r.err());
    }

    void stop() {
        CephSite.exec(List.of(script().toString(), "stop", local.name(), local.dir().toString()));
    }
}
