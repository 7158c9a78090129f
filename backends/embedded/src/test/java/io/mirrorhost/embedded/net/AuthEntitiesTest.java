package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.failure;
import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.AuthEntity;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth database as {@code ceph auth get-or-create|get|ls|rm} see it, on a real embedded cluster
 * served over loopback: an admin connection manages clients, and the clients it creates connect with
 * their keys and get exactly their capability.
 */
class AuthEntitiesTest {
    private static final PoolNamespace RBD = PoolNamespace.of("rbd");
    private static final ImageSpec DISK = new ImageSpec(RBD, "disk");
    private static final Map<String, String> READ_ONLY = Map.of("mon", "profile rbd", "osd", "profile rbd-read-only");

    @TempDir
    Path dir;
    private Vertx vertx;
    private EmbeddedCluster backing;
    private ClusterServer server;
    private String adminKey;
    private Cluster admin;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        open();
        result(backing.createPool("rbd"));
        result(backing.createImage(DISK, ImageOptions.of(1 << 20)));
    }

    private void open() throws Exception {
        backing = EmbeddedCluster.open(vertx, dir.resolve("cluster"));
        adminKey = adminKey == null ? Handshake.newKey() : adminKey;
        result(new AuthRegistry(backing).ensure(AuthRegistry.ADMIN_CLIENT, adminKey, Set.of(Capability.ADMIN)));
        server = result(ClusterServer.start(vertx, backing, backing::asClient, "127.0.0.1", 0, TlsSettings.DISABLED));
        admin = connect(AuthRegistry.ADMIN_CLIENT, adminKey);
    }

    private void close() {
        result(admin.close());
        result(server.close());
        result(backing.close());
    }

    @AfterEach
    void tearDown() {
        close();
        result(vertx.close());
    }

    private Cluster connect(String client, String key) {
        return result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(), client, key)));
    }

    private static ClusterException refused(io.vertx.core.Future<?> call, Errno errno) {
        ClusterException e = failure(call);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }

    /** The call got past the capability check: it succeeded, or the cluster refused it for another reason. */
    private static void assertAllowed(io.vertx.core.Future<?> call) {
        try {
            result(call);
        } catch (ClusterException e) {
            assertNotEquals(Errno.EACCES, e.errno(), e.getMessage());
        }
    }

    @Test
    void getOrCreateMakesAClientOnceAndChecksTheCapsGivenAfterwards() {
        AuthEntity created = result(admin.authGetOrCreate("client.ro", READ_ONLY));
        assertEquals("client.ro", created.entity());
        assertEquals(READ_ONLY, created.caps());
        assertTrue(Base64.getDecoder().decode(created.key()).length >= 16, "at least 128 random bits");

        assertEquals(created.key(), result(admin.authGetOrCreate("client.ro", READ_ONLY)).key());
        assertEquals(created.key(), result(admin.authGetOrCreate("client.ro", Map.of())).key(), "no caps: nothing to compare");
        assertEquals(created.key(), result(admin.authGetOrCreate("client.ro", Map.of("mon", "profile rbd"))).key());
        assertEquals("key for client.ro exists but cap osd does not match", refused(admin.authGetOrCreate("client.ro",
                Map.of("mon", "profile rbd", "osd", "profile rbd")), Errno.EINVAL).getMessage());
        assertEquals("key for client.ro exists but cap mgr does not match", refused(admin.authGetOrCreate("client.ro",
                Map.of("mon", "profile rbd", "osd", "profile rbd-read-only", "mgr", "profile rbd")), Errno.EINVAL).getMessage());
        assertEquals("key for client.ro exists but cap mon does not match",
                refused(admin.authGetOrCreate("client.ro", Map.of("mon", "allow *")), Errno.EINVAL).getMessage());
        assertEquals(created, result(admin.authGet("client.ro")));
    }

    @Test
    void concurrentGetOrCreatesOfOneNewClientHandOutOneKey() {
        List<io.vertx.core.Future<AuthEntity>> calls = new java.util.ArrayList<>();
        Cluster second = connect(AuthRegistry.ADMIN_CLIENT, adminKey);
        for (int i = 0; i < 16; i++) {
            calls.add((i % 2 == 0 ? admin : second).authGetOrCreate("client.racy", READ_ONLY));
        }
        Set<String> keys = new java.util.HashSet<>();
        calls.forEach(call -> keys.add(result(call).key()));
        assertEquals(Set.of(result(admin.authGet("client.racy")).key()), keys);
        result(second.close());
    }

    @Test
    void aCreatedReadOnlyClientReadsButCannotWriteNorSeeKeys() {
        AuthEntity ro = result(admin.authGetOrCreate("client.ro", READ_ONLY));
        Cluster viewer = connect("client.ro", ro.key());
        assertEquals(List.of("rbd"), result(viewer.listPools()).stream().map(p -> p.name()).toList());
        Image image = result(viewer.openImage(DISK));
        assertEquals(1 << 20, result(image.read(0, 1 << 20)).length());
        assertEquals(Errno.EACCES, failure(image.write(0, Buffer.buffer("x"))).errno());
        result(image.close());
        refused(viewer.createImage(new ImageSpec(RBD, "mine"), ImageOptions.of(1024)), Errno.EACCES);
        refused(viewer.authList(), Errno.EACCES);
        refused(viewer.authGet("client.admin"), Errno.EACCES);
        refused(viewer.authGetOrCreate("client.mine", Map.of("mon", "allow *", "osd", "allow *")), Errno.EACCES);
        refused(viewer.authRemove("client.ro"), Errno.EACCES);
        result(viewer.close());
    }

    @Test
    void peerAndAdminProfilesGetTheirCapabilities() {
        AuthEntity peer = result(admin.authGetOrCreate("client.peer",
                Map.of("mon", "profile rbd-mirror-peer", "osd", "profile rbd")));
        Cluster asPeer = connect("client.peer", peer.key());
        assertAllowed(asPeer.serviceDaemonRegister("rbd-mirror", "4242", Map.of()));
        assertAllowed(asPeer.mirrorPeerPing("rbd", "site-b", "uuid-b"));
        refused(asPeer.createPool("nope"), Errno.EACCES);
        result(asPeer.close());

        AuthEntity ops = result(admin.authGetOrCreate("client.ops", Map.of("mon", "allow *", "osd", "allow *")));
        Cluster asOps = connect("client.ops", ops.key());
        result(asOps.createPool("theirs"));
        assertEquals("refusing to remove client.ops: this client is connected as it",
                refused(asOps.authRemove("client.ops"), Errno.EBUSY).getMessage());
        result(asOps.close());
    }

    @Test
    void unmappableCapsAndBadNamesAreRefusedAndStoreNothing() {
        ClusterException readWrite = refused(admin.authGetOrCreate("client.rw",
                Map.of("mon", "profile rbd", "osd", "profile rbd")), Errno.EINVAL);
        assertTrue(readWrite.getMessage().startsWith("cannot map caps mon 'profile rbd' osd 'profile rbd' of client.rw"),
                readWrite.getMessage());
        assertEquals("failed to find client.rw in keyring", refused(admin.authGet("client.rw"), Errno.ENOENT).getMessage());
        refused(admin.authGetOrCreate("client.none", Map.of()), Errno.EINVAL);
        assertEquals("unknown cap type 'foo'",
                refused(admin.authGetOrCreate("client.x", Map.of("foo", "allow r")), Errno.EINVAL).getMessage());
        assertEquals("bad entity name", refused(admin.authGetOrCreate("foo", READ_ONLY), Errno.EINVAL).getMessage());
        assertEquals("invalid client name 'client.a b': the embedded cluster has only clients, named client.<name> "
                + "with letters, digits, '.', '_' or '-'",
                refused(admin.authGetOrCreate("client.a b", READ_ONLY), Errno.EINVAL).getMessage());
        refused(admin.authGetOrCreate("osd.0", READ_ONLY), Errno.EINVAL);
        assertEquals("invalid entity_auth foo", refused(admin.authGet("foo"), Errno.EINVAL).getMessage());
        assertEquals("failed to find osd.0 in keyring", refused(admin.authGet("osd.0"), Errno.ENOENT).getMessage());
        assertEquals("bad entity name", refused(admin.authRemove("foo"), Errno.EINVAL).getMessage());
        assertEquals(List.of("client.admin"), result(admin.authList()).stream().map(AuthEntity::entity).toList());
    }

    @Test
    void listShowsEveryClientWithItsCapsAndRemovalLocksAClientOut() {
        AuthEntity ro = result(admin.authGetOrCreate("client.ro", READ_ONLY));
        result(new AuthRegistry(backing).getOrCreate(AuthRegistry.MIRROR_PEER_CLIENT, Set.of(Capability.RBD_MIRROR_PEER)));
        List<AuthEntity> all = result(admin.authList());
        assertEquals(List.of("client.admin", "client.rbd-mirror-peer", "client.ro"),
                all.stream().map(AuthEntity::entity).toList());
        assertEquals(new AuthEntity("client.admin", adminKey, new java.util.TreeMap<>(Map.of("mds", "allow *",
                "mgr", "allow *", "mon", "allow *", "osd", "allow *"))), all.get(0));
        assertEquals(Map.of("mon", "profile rbd-mirror-peer", "osd", "profile rbd"), all.get(1).caps(),
                "a client made by peer bootstrap shows the caps Ceph's bootstrap gives it");
        String peerKey = all.get(1).key();
        assertEquals(peerKey, result(admin.authGetOrCreate(AuthRegistry.MIRROR_PEER_CLIENT,
                Map.of("mon", "profile rbd-mirror-peer", "osd", "profile rbd"))).key(), "the guide's manual peer step");

        Cluster viewer = connect("client.ro", ro.key());
        result(viewer.close());
        assertTrue(result(admin.authRemove("client.ro")));
        assertFalse(result(admin.authRemove("client.ro")), "gone already: not an error, as ceph auth rm");
        refused(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(), "client.ro", ro.key())),
                Errno.EACCES);
        assertTrue(refused(admin.authRemove("client.admin"), Errno.EBUSY).getMessage()
                .startsWith("refusing to remove client.admin: this site's hosts authenticate with it"));
        assertEquals(2, result(admin.authList()).size());
    }

    @Test
    void clientsSurviveARestartOfTheCluster() throws Exception {
        AuthEntity ro = result(admin.authGetOrCreate("client.ro", READ_ONLY));
        close();
        open();
        assertEquals(ro, result(admin.authGet("client.ro")));
        Cluster viewer = connect("client.ro", ro.key());
        assertEquals(1, result(viewer.listImages(RBD)).size());
        result(viewer.close());
        AuthEntity again = result(admin.authGetOrCreate("client.ro", READ_ONLY));
        assertEquals(ro.key(), again.key());
        assertNotEquals(ro.key(), result(admin.authGetOrCreate("client.ro2", READ_ONLY)).key());
    }
}
