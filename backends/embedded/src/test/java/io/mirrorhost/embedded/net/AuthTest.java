package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.failure;
import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.JournalPeerClient;
import io.mirrorhost.api.cluster.JournalStatus;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Named clients, keys and capabilities over a real loopback connection. */
class AuthTest {
    private static final PoolNamespace RBD = PoolNamespace.of("rbd");
    private static final ImageSpec DISK = new ImageSpec(RBD, "disk");

    private Vertx vertx;
    private Cluster backing;
    private AuthRegistry registry;
    private ClusterServer server;
    private String adminKey;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        backing = InMemoryCluster.create();
        registry = new AuthRegistry(backing);
        adminKey = result(registry.getOrCreate(AuthRegistry.ADMIN_CLIENT, Set.of(Capability.ADMIN))).key();
        result(backing.createPool("rbd"));
        result(backing.createImage(DISK, ImageOptions.of(1 << 20)));
        server = result(ClusterServer.start(vertx, backing, "127.0.0.1", 0, TlsSettings.DISABLED));
    }

    @AfterEach
    void tearDown() {
        result(server.close());
        result(vertx.close());
    }

    private Future<Cluster> connect(String client, String key) {
        return RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(), client, key));
    }

    @Test
    void manyConnectionsFromPlainThreadsAllCompleteTheHandshake() throws Exception {
        List<java.util.concurrent.CompletableFuture<Void>> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                for (int n = 0; n < 25; n++) {
                    Cluster remote = result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(),
                            AuthRegistry.ADMIN_CLIENT, adminKey).withTimeouts(5000, 5000)));
                    result(remote.close());
                }
            }));
        }
        java.util.concurrent.CompletableFuture.allOf(clients.toArray(new java.util.concurrent.CompletableFuture[0]))
                .get(Await.DEADLINE.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    @Test
    void wrongKeyIsRefusedWithEacces() {
        ClusterException refused = failure(connect(AuthRegistry.ADMIN_CLIENT, Handshake.newKey()));
        assertEquals(Errno.EACCES, refused.errno());
        assertTrue(refused.getMessage().contains("authentication failed"), refused.getMessage());
        assertTrue(refused.getMessage().contains(server.address()), refused.getMessage());
    }

    @Test
    void unknownClientIsRefusedLikeAWrongKey() {
        ClusterException refused = failure(connect("client.nobody", adminKey));
        assertEquals(Errno.EACCES, refused.errno());
        assertTrue(refused.getMessage().contains("client.nobody"), refused.getMessage());
    }

    @Test
    void theKeyNeverCrossesTheWire() {
        RecordingProxy proxy = result(RecordingProxy.start(vertx, server.port()));
        Cluster remote = result(RemoteCluster.connect(vertx,
                RemoteClusterOptions.of("127.0.0.1:" + proxy.port(), AuthRegistry.ADMIN_CLIENT, adminKey)));
        assertEquals(List.of("rbd"), result(remote.listPools()).stream().map(p -> p.name()).toList());
        result(remote.close());

        String traffic = new String(proxy.recorded(), StandardCharsets.ISO_8859_1);
        assertTrue(traffic.contains("client.admin"), "the client name is sent");
        assertFalse(traffic.contains(adminKey), "the key must not be sent");
        byte[] rawKey = Base64.getDecoder().decode(adminKey);
        assertFalse(traffic.contains(new String(rawKey, StandardCharsets.ISO_8859_1)), "nor its bytes");
    }

    @Test
    void readOnlyClientsReadAndWatchButCannotWrite() {
        ClientAuth readOnly = result(registry.create("client.viewer", Set.of(Capability.READ_ONLY)));
        Cluster remote = result(connect("client.viewer", readOnly.key()));
        assertEquals(1, result(remote.listImages(RBD)).size());
        result(result(remote.watch(RBD, "obj", payload -> { })).close());
        Image image = result(remote.openImage(DISK));
        assertEquals(1 << 20, result(image.read(0, 1 << 20)).length());

        ClusterException write = failure(image.write(0, Buffer.buffer("x")));
        assertEquals(Errno.EACCES, write.errno());
        assertEquals("permission denied: client.viewer (caps [read-only]) may not call Image.write", write.getMessage());
        assertEquals(Errno.EACCES, failure(remote.createPool("mine")).errno());
        assertEquals(Errno.EACCES, failure(remote.configKeyGet(AuthRegistry.PREFIX + "client.admin")).errno(),
                "the auth database holds keys: admin only");
        assertEquals(Errno.EACCES, failure(remote.mirrorImageStatusSet(RBD, "g", status())).errno());
        result(image.close());
        result(remote.close());
    }

    @Test
    void mirrorPeersSetStatusesButCannotCreateImages() {
        ClientAuth peer = result(registry.create(AuthRegistry.MIRROR_PEER_CLIENT, Set.of(Capability.RBD_MIRROR_PEER)));
        Cluster remote = result(connect(AuthRegistry.MIRROR_PEER_CLIENT, peer.key()));
        result(remote.mirrorImageStatusSet(RBD, "global-1", status()));
        assertEquals(1, result(backing.mirrorImageGlobalStatusList(RBD)).size());

        ClusterException create = failure(remote.createImage(new ImageSpec(RBD, "x"), ImageOptions.of(1024)));
        assertEquals(Errno.EACCES, create.errno());
        assertTrue(create.getMessage().contains("Cluster.createImage"), create.getMessage());

        Image image = result(remote.openImage(DISK));
        ClusterException unlink = failure(image.mirrorSnapshotUnlinkPeer(99, "peer"));
        assertEquals(Errno.ENOENT, unlink.errno(), "allowed by the caps, refused by the cluster: " + unlink.getMessage());
        // rbd-mirror removes a primary snapshot it unlinked last (UnlinkPeerRequest), as Ceph's profile rbd allows
        ClusterException remove = failure(image.removeSnapById(99));
        assertNotEquals(Errno.EACCES, remove.errno(), "allowed by the caps: " + remove.getMessage());
        assertEquals(Errno.EACCES, failure(image.resize(2048)).errno());
        assertEquals(List.of(), result(image.lockOwners()));
        // its journal replayer registers and commits its own client of the journals it follows
        for (Future<?> call : List.of(
                remote.journalClientRegister(RBD, "j", "uuid", "id", JournalPeerClient.SyncState.SYNCING),
                remote.journalClientUpdate(RBD, "j", "uuid", "id", JournalPeerClient.SyncState.REPLAYING),
                remote.journalClientCommit(RBD, "j", "uuid", new JournalStatus.ObjectPosition(0, 0, 0)),
                remote.journalClientUnregister(RBD, "j", "uuid"), remote.journalRead(RBD, "j", null, 1, 1),
                remote.journalPeerClients(RBD, "j"), remote.journalTags(RBD, "j"))) {
            ClusterException e = failure(call);
            assertNotEquals(Errno.EACCES, e.errno(), "allowed by the caps: " + e.getMessage());
        }
        assertEquals(Errno.EACCES, failure(remote.journalClientDisconnect(RBD, "j", null)).errno());
        result(image.close());
        result(remote.close());
    }

    @Test
    void registryCreatesListsAndRemovesClients() {
        ClientAuth peer = result(registry.create(AuthRegistry.MIRROR_PEER_CLIENT, Set.of(Capability.RBD_MIRROR_PEER)));
        assertTrue(Base64.getDecoder().decode(peer.key()).length >= 16, "at least 128 random bits");
        assertEquals(Errno.EEXIST, failure(registry.create(AuthRegistry.MIRROR_PEER_CLIENT, Set.of(Capability.ADMIN))).errno());
        assertEquals(peer, result(registry.getOrCreate(AuthRegistry.MIRROR_PEER_CLIENT, Set.of(Capability.RBD_MIRROR_PEER))));
        assertEquals(Errno.EINVAL, failure(registry.getOrCreate(AuthRegistry.MIRROR_PEER_CLIENT, Set.of(Capability.ADMIN))).errno());
        assertNotEquals(peer.key(), result(registry.create("client.other", Set.of(Capability.READ_ONLY))).key());
        assertEquals(List.of("client.admin", "client.other", "client.rbd-mirror-peer"),
                result(registry.list()).stream().map(ClientAuth::client).toList());
        assertEquals(Optional.of(peer), result(registry.get(AuthRegistry.MIRROR_PEER_CLIENT)));

        Cluster connected = result(connect(AuthRegistry.MIRROR_PEER_CLIENT, peer.key()));
        result(connected.close());
        result(registry.remove(AuthRegistry.MIRROR_PEER_CLIENT));
        result(registry.remove(AuthRegistry.MIRROR_PEER_CLIENT));
        assertEquals(Errno.EACCES, failure(connect(AuthRegistry.MIRROR_PEER_CLIENT, peer.key())).errno());

        ClusterException badName = failure(registry.create("admin", Set.of(Capability.ADMIN)));
        assertEquals("invalid client name 'admin': expected client.<name> with letters, digits, '.', '_' or '-'",
                badName.getMessage());
        assertEquals(Errno.EINVAL, failure(registry.create("client.nocaps", Set.of())).errno());
    }

    @Test
    void garbageOnTheWireClosesTheConnection() throws Exception {
        NetSocket socket = result(vertx.createNetClient().connect(server.port(), "127.0.0.1"));
        CompletableFuture<Void> closed = new CompletableFuture<>();
        socket.closeHandler(v -> closed.complete(null));
        socket.write(Buffer.buffer().appendInt(-5).appendString("nonsense"));
        closed.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void callsBeforeAuthenticationAreRejected() throws Exception {
        NetSocket socket = result(vertx.createNetClient().connect(server.port(), "127.0.0.1"));
        CompletableFuture<Void> closed = new CompletableFuture<>();
        socket.closeHandler(v -> closed.complete(null));
        var call = Wire.header(Wire.CALL);
        call.put("id", 1).put("target", "cluster").put("m", "listPools").putArray("args");
        socket.write(FrameCodec.encode(Frame.of(call)));
        closed.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static MirrorImageSiteStatus status() {
        return new MirrorImageSiteStatus("", MirrorImageStatusState.REPLAYING, "replaying", Instant.now(), true);
    }
}
