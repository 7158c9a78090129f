package io.mirrorhost.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PeerConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CephSettingsTest {
    @TempDir
    Path dir;

    private Path file(String name) throws Exception {
        return Files.writeString(dir.resolve(name), "[global]\n");
    }

    @Test
    void readsConfKeyringAndClientWithRelativePathsFromTheSiteConfsDirectory() throws Exception {
        file("site-a.conf");
        file("site-a.client.admin.keyring");
        CephSettings s = CephSettings.parse(Map.of("conf", "site-a.conf", "keyring", "site-a.client.admin.keyring",
                "client", "client.admin", "conf_dir", dir.toString()));
        assertEquals(dir.resolve("site-a.conf"), s.confFile());
        assertEquals(Map.of("keyring", dir.resolve("site-a.client.admin.keyring").toString()), s.options());
        assertEquals("client.admin", s.client());
        assertEquals(CephSettings.DEFAULT_WORKER_THREADS, s.workerThreads());
    }

    @Test
    void clientDefaultsToClientAdmin() throws Exception {
        Path conf = file("c.conf");
        assertEquals("client.admin", CephSettings.parse(Map.of("conf", conf.toString())).client());
    }

    @Test
    void badSettingsAreNamed() throws Exception {
        ClusterException missing = assertThrows(ClusterException.class, () -> CephSettings.parse(Map.of()));
        assertEquals(Errno.EINVAL, missing.errno());
        assertEquals("[ceph] needs conf: the path of the cluster's ceph.conf", missing.getMessage());

        ClusterException absent = assertThrows(ClusterException.class,
                () -> CephSettings.parse(Map.of("conf", dir.resolve("nope.conf").toString())));
        assertEquals(Errno.ENOENT, absent.errno());
        assertEquals("[ceph] conf file " + dir.resolve("nope.conf") + " does not exist or is not readable",
                absent.getMessage());

        Path conf = file("c.conf");
        assertEquals(Errno.ENOENT, assertThrows(ClusterException.class, () -> CephSettings.parse(
                Map.of("conf", conf.toString(), "keyring", dir.resolve("none").toString()))).errno());
        assertEquals("invalid client name 'admin': expected client.<id>", assertThrows(ClusterException.class,
                () -> CephSettings.parse(Map.of("conf", conf.toString(), "client", "admin"))).getMessage());
        assertEquals("invalid [ceph] worker_threads '0': expected 1-64", assertThrows(ClusterException.class,
                () -> CephSettings.parse(Map.of("conf", conf.toString(), "worker_threads", "0"))).getMessage());
    }

    @Test
    void peersConnectWithMonHostAndKeyOnly() {
        CephSettings s = CephSettings.forPeer(new PeerConnection("site-b", "client.rbd-mirror-peer",
                "[v2:127.0.0.1:3300/0,v1:127.0.0.1:3301/0]", "AQAAAA=="));
        assertNull(s.confFile());
        assertEquals("client.rbd-mirror-peer", s.client());
        assertEquals(Map.of("mon_host", "[v2:127.0.0.1:3300/0,v1:127.0.0.1:3301/0]", "key", "AQAAAA=="), s.options());
        assertEquals("no key given for client.x to connect to the cluster at 1.2.3.4", assertThrows(
                ClusterException.class, () -> CephSettings.forPeer(new PeerConnection("b", "client.x", "1.2.3.4", "")))
                .getMessage());
        assertEquals(Errno.EINVAL, assertThrows(ClusterException.class,
                () -> CephSettings.forPeer(new PeerConnection("b", "client.x", "", "k"))).errno());
    }
}
