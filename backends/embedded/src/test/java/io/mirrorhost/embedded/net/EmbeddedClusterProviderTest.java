package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.failure;
import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.mirrorhost.api.cluster.PeerConnection;
import io.mirrorhost.api.cluster.PoolInfo;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedClusterProviderTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private ClusterProvider provider;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        provider = ServiceLoader.load(ClusterProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("embedded")).findFirst().orElseThrow();
    }

    @AfterEach
    void tearDown() {
        result(vertx.close());
    }

    @Test
    void opensTheStoreInProcessAndKeepsItsData() {
        Map<String, String> settings = Map.of("data_dir", "cluster", "conf_dir", dir.toString());
        Cluster cluster = result(provider.connect(vertx, settings));
        result(cluster.createPool("rbd"));
        String fsid = cluster.fsid();
        result(cluster.close());

        Cluster reopened = result(provider.connect(vertx, settings));
        assertEquals(fsid, reopened.fsid());
        assertEquals("rbd", result(reopened.listPools()).get(0).name());
        result(reopened.close());
    }

    @Test
    void servesTheInProcessClusterToRemoteClientsUntilClosed() {
        int port = FreePort.find();
        String key = Handshake.newKey();
        Cluster served = result(provider.connect(vertx, Map.of("data_dir", dir.resolve("c").toString(),
                "listen_port", String.valueOf(port), "key", key)));
        result(served.createPool("rbd"));
        assertEquals(Optional.of("127.0.0.1:" + port), result(served.configKeyGet(ClusterServer.ADVERTISED_MON_HOST_KEY)));

        Cluster remote = result(provider.connect(vertx, Map.of("mon_host", "127.0.0.1:" + port, "key", key)));
        assertEquals(served.fsid(), remote.fsid());
        assertEquals("rbd", result(remote.listPools()).stream().map(PoolInfo::name).findFirst().orElseThrow());

        Cluster peer = result(provider.connectPeer(vertx, new PeerConnection("site-b", "client.admin",
                "127.0.0.1:" + port, key)));
        assertEquals(served.fsid(), peer.fsid());
        result(peer.close());

        result(served.close());
        ClusterException gone = failure(remote.listPools());
        assertTrue(gone.errno() == Errno.ESHUTDOWN || gone.errno() == Errno.ECONNREFUSED, gone.errno().toString());
        assertTrue(gone.getMessage().contains("127.0.0.1:" + port), gone.getMessage());
        result(remote.close());
    }

    @Test
    void aPortInUseIsRefusedWithEbusyNamingTheAddress() {
        int port = FreePort.find();
        Map<String, String> settings = Map.of("data_dir", dir.resolve("c").toString(), "listen_port",
                String.valueOf(port), "key", Handshake.newKey());
        Cluster first = result(provider.connect(vertx, settings));
        ClusterException busy = failure(provider.connect(vertx, Map.of("data_dir", dir.resolve("d").toString(),
                "listen_port", String.valueOf(port), "key", Handshake.newKey())));
        assertEquals(Errno.EBUSY, busy.errno());
        assertEquals("cannot listen on 127.0.0.1:" + port + ": Address already in use (if `mirrorhost cluster` serves"
                + " this site's data, set mon_host = 127.0.0.1:" + port + " in [embedded] so that the host connects to it)",
                busy.getMessage());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("d")), "the store is not opened when the port is taken");
        result(first.close());
    }

    @Test
    void aPublicAddressIsWhatPeersAreTold() {
        Cluster served = result(provider.connect(vertx, Map.of("data_dir", dir.toString(), "listen_address", "0.0.0.0",
                "listen_port", String.valueOf(FreePort.find()), "public_address", "site-a.example:6791", "key", "k")));
        assertEquals(Optional.of("site-a.example:6791"), result(served.configKeyGet(ClusterServer.ADVERTISED_MON_HOST_KEY)));
        result(served.close());
        ClusterException bad = failure(provider.connect(vertx, Map.of("data_dir", dir.toString(),
                "listen_port", "0", "public_address", "nowhere", "key", "k")));
        assertEquals("invalid [embedded] public_address 'nowhere': expected host:port", bad.getMessage());
    }

    @Test
    void settingsNeverPrintSecrets() {
        EmbeddedSettings settings = EmbeddedSettings.parse(Map.of("data_dir", "/d", "listen_port", "6791",
                "key", "secret-admin-key", "tls", "true", "tls_keystore", "/k.p12", "tls_keystore_password", "secret-pw"));
        assertTrue(!settings.toString().contains("secret"), settings.toString());
        assertTrue(!settings.tls().toString().contains("secret"), settings.tls().toString());
        assertTrue(!RemoteClusterOptions.of("h:1", "client.admin", "secret-key").toString().contains("secret"));
    }

    @Test
    void theMirrorSnapshotLimitIsLibrbdsOptionWithItsMinimum() {
        assertEquals(5, EmbeddedSettings.parse(Map.of("data_dir", "/d")).maxMirroringSnapshots());
        assertEquals(12, EmbeddedSettings.parse(Map.of("data_dir", "/d",
                "rbd_mirroring_max_mirroring_snapshots", " 12")).maxMirroringSnapshots());
        for (String bad : List.of("2", "many", "-1")) {
            ClusterException e = org.junit.jupiter.api.Assertions.assertThrows(ClusterException.class,
                    () -> EmbeddedSettings.parse(Map.of("data_dir", "/d", "rbd_mirroring_max_mirroring_snapshots", bad)));
            assertEquals("invalid [embedded] rbd_mirroring_max_mirroring_snapshots '" + bad
                    + "': expected a whole number of at least 3", e.getMessage());
        }
    }

    @Test
    void settingsMistakesAreNamed() {
        ClusterException neither = failure(provider.connect(vertx, Map.of()));
        assertEquals(Errno.EINVAL, neither.errno());
        assertTrue(neither.getMessage().contains("data_dir"), neither.getMessage());

        ClusterException noKey = failure(provider.connect(vertx, Map.of("mon_host", "127.0.0.1:1")));
        assertTrue(noKey.getMessage().contains("key"), noKey.getMessage());

        ClusterException badPort = failure(provider.connect(vertx, Map.of("data_dir", dir.toString(),
                "listen_port", "http", "key", "k")));
        assertTrue(badPort.getMessage().contains("listen_port 'http'"), badPort.getMessage());

        ClusterException badHost = failure(provider.connectPeer(vertx, new PeerConnection("b", "client.x", "nohost", "k")));
        assertTrue(badHost.getMessage().contains("mon_host 'nohost'"), badHost.getMessage());
    }
}
