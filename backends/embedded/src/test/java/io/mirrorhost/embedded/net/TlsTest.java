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
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with self-signed certificates made by keytool and openssl in the test. */
class TlsTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private Cluster backing;
    private String key;
    private ClusterServer server;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        backing = InMemoryCluster.create();
        key = result(new AuthRegistry(backing).getOrCreate(AuthRegistry.ADMIN_CLIENT, Set.of(Capability.ADMIN))).key();
        result(backing.createPool("rbd"));
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            result(server.close());
        }
        result(vertx.close());
    }

    @Test
    void pemCertificateServesTlsClientsThatTrustIt() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile.toString(), "-out",
                cert.toString(), "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        TlsSettings serverTls = TlsSettings.fromSettings(Map.of("tls", "true", "tls_cert", "cert.pem", "tls_key", "key.pem"), dir);
        server = result(ClusterServer.start(vertx, backing, "127.0.0.1", 0, serverTls));

        Cluster remote = result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(),
                AuthRegistry.ADMIN_CLIENT, key, TlsSettings.fromSettings(Map.of("tls", "true", "tls_ca", cert.toString()), null))));
        assertEquals("rbd", result(remote.listPools()).get(0).name());
        result(remote.close());

        ClusterException plain = failure(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(),
                AuthRegistry.ADMIN_CLIENT, key).withTimeouts(2000, 1500)));
        assertTrue(plain.errno() == Errno.ETIMEDOUT || plain.errno() == Errno.ECONNREFUSED, plain.errno().toString());
        assertTrue(plain.getMessage().contains(server.address()), plain.getMessage());
    }

    @Test
    void pkcs12KeystoreServesTlsAndUntrustedOrPlainEndsFail() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.pem");
        run("keytool", "-genkeypair", "-alias", "cluster", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "secret1", "-keypass", "secret1");
        run("keytool", "-exportcert", "-rfc", "-alias", "cluster", "-keystore", keystore.toString(),
                "-storepass", "secret1", "-file", cert.toString());
        server = result(ClusterServer.start(vertx, backing, "127.0.0.1", 0, TlsSettings.fromSettings(Map.of("tls", "true",
                "tls_keystore", keystore.toString(), "tls_keystore_password", "secret1"), null)));

        Cluster remote = result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(),
                AuthRegistry.ADMIN_CLIENT, key, TlsSettings.clientTrusting(cert))));
        assertEquals(1, result(remote.listPools()).size());
        result(remote.close());

        Path other = dir.resolve("other.p12");
        Path otherCert = dir.resolve("other.pem");
        run("keytool", "-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", other.toString(), "-storepass", "secret2", "-keypass", "secret2");
        run("keytool", "-exportcert", "-rfc", "-alias", "other", "-keystore", other.toString(),
                "-storepass", "secret2", "-file", otherCert.toString());
        ClusterException untrusted = failure(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(),
                AuthRegistry.ADMIN_CLIENT, key, TlsSettings.clientTrusting(otherCert)).withTimeouts(5000, 5000)));
        assertEquals(Errno.ECONNREFUSED, untrusted.errno(), untrusted.getMessage());

        ClusterServer plainServer = result(ClusterServer.start(vertx, backing, "127.0.0.1", 0, TlsSettings.DISABLED));
        ClusterException tlsToPlain = failure(RemoteCluster.connect(vertx, RemoteClusterOptions.of(plainServer.address(),
                AuthRegistry.ADMIN_CLIENT, key, TlsSettings.clientTrusting(cert)).withTimeouts(5000, 5000)));
        assertTrue(tlsToPlain.getMessage().contains(plainServer.address()), tlsToPlain.getMessage());
        result(plainServer.close());
    }

    @Test
    void peersReachATlsSiteThroughATlsMonHostAndTheirPeerTlsCa() throws Exception {
        Path cert = dir.resolve("site-a.pem");
        Path keyFile = dir.resolve("site-a.key");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile.toString(), "-out",
                cert.toString(), "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1");
        server = result(ClusterServer.start(vertx, backing, "127.0.0.1", 0,
                TlsSettings.fromSettings(Map.of("tls", "true", "tls_cert", cert.toString(), "tls_key", keyFile.toString()), null)));
        String monHost = result(server.advertise(backing, null));
        assertEquals("tls://" + server.address(), monHost);

        ClusterProvider siteB = embeddedProvider();
        Cluster siteBCluster = result(siteB.connect(vertx, Map.of("data_dir", "b", "conf_dir", dir.toString(),
                "peer_tls_ca", "site-a.pem")));
        Cluster peer = result(siteB.connectPeer(vertx, new PeerConnection("site-a", AuthRegistry.ADMIN_CLIENT, monHost, key)));
        assertEquals(backing.fsid(), peer.fsid());
        assertEquals(1, result(peer.listPools()).size());
        result(peer.close());

        // a bootstrap import reaches the tls:// mon_host of the token with the same trust
        io.mirrorhost.embedded.EmbeddedCluster siteA = io.mirrorhost.embedded.EmbeddedCluster.open(vertx, dir.resolve("a"));
        result(new AuthRegistry(siteA).ensure(AuthRegistry.ADMIN_CLIENT, key, java.util.Set.of(Capability.ADMIN)));
        ClusterServer siteAServer = result(ClusterServer.start(vertx, siteA, siteA::asClient, "127.0.0.1", 0,
                TlsSettings.fromSettings(Map.of("tls", "true", "tls_cert", cert.toString(), "tls_key", keyFile.toString()), null)));
        assertTrue(result(siteAServer.advertise(siteA, null)).startsWith("tls://"));
        var image = io.mirrorhost.api.cluster.PoolNamespace.of("image-pool");
        for (Cluster site : List.of(siteA, siteBCluster)) {
            result(site.createPool("image-pool"));
            result(site.mirrorModeSet(image, io.mirrorhost.api.cluster.MirrorMode.IMAGE));
        }
        String token = result(siteA.mirrorPeerBootstrapCreate("image-pool"));
        result(siteBCluster.mirrorPeerBootstrapImport("image-pool", io.mirrorhost.api.cluster.MirrorPeerDirection.RX_ONLY,
                token));
        assertEquals(siteA.fsid(), result(siteBCluster.mirrorPeerSiteList("image-pool")).get(0).siteName());
        result(siteAServer.close());
        result(siteA.close());
        result(siteBCluster.close());

        ClusterProvider untrusting = embeddedProvider();
        ClusterException untrusted = failure(untrusting.connectPeer(vertx,
                new PeerConnection("site-a", AuthRegistry.ADMIN_CLIENT, monHost, key)));
        assertEquals(Errno.ECONNREFUSED, untrusted.errno());
        assertTrue(untrusted.getMessage().startsWith("TLS handshake with the cluster at " + server.address() + " failed"),
                untrusted.getMessage());
    }

    private static ClusterProvider embeddedProvider() {
        return ServiceLoader.load(ClusterProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("embedded")).findFirst().orElseThrow();
    }

    @Test
    void missingCertificateFilesAreNamed() {
        ClusterException missing = failure(ClusterServer.start(vertx, backing, "127.0.0.1", 0,
                TlsSettings.fromSettings(Map.of("tls", "true", "tls_cert", "nope.pem", "tls_key", "nope.key"), dir)));
        assertEquals("tls_cert file " + dir.resolve("nope.pem") + " does not exist or is not readable", missing.getMessage());
        ClusterException incomplete = failure(ClusterServer.start(vertx, backing, "127.0.0.1", 0,
                TlsSettings.fromSettings(Map.of("tls", "true"), dir)));
        assertEquals(Errno.EINVAL, incomplete.errno());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + command[0]);
        assertEquals(0, process.exitValue(), command[0] + " failed: " + output);
    }
}
