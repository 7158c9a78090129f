package io.mirrorhost.embedded.net;

import static io.mirrorhost.embedded.net.Await.failure;
import static io.mirrorhost.embedded.net.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.embedded.EmbeddedCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image holding the exclusive lock over a connection that is lost and comes back. */
class LockAcrossReconnectTest {
    private static final ImageSpec DISK = ImageSpec.of("rbd", "", "disk");

    @TempDir
    Path dir;
    private Vertx vertx;
    private EmbeddedCluster backing;
    private ClusterServer server;
    private Cluster remote;
    private Image image;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        backing = EmbeddedCluster.open(vertx, dir.resolve("cluster"));
        String key = result(new AuthRegistry(backing).getOrCreate(AuthRegistry.ADMIN_CLIENT, Set.of(Capability.ADMIN))).key();
        result(backing.createPool("rbd"));
        result(backing.createImage(DISK, ImageOptions.of(1 << 20)));
        server = result(ClusterServer.start(vertx, backing, backing::asClient, "127.0.0.1", 0, TlsSettings.DISABLED));
        remote = result(RemoteCluster.connect(vertx, RemoteClusterOptions.of(server.address(), AuthRegistry.ADMIN_CLIENT, key)));
        image = result(remote.openImage(DISK));
        result(image.lockAcquire());
        assertEquals(1, result(image.lockOwners()).size());
    }

    @AfterEach
    void tearDown() {
        result(remote.close());
        result(server.close());
        result(backing.close());
        result(vertx.close());
    }

    private void restartServer() {
        int port = server.port();
        result(server.close());
        server = Await.restartOnSamePort(() -> ClusterServer.start(vertx, backing, backing::asClient, "127.0.0.1", port,
                TlsSettings.DISABLED));
        // A call can still go out on the old connection before the client sees it close (and fail
        // with ESHUTDOWN); the scenarios start once a call has gone through a new connection.
        Await.until("the client to reconnect", this::aCallGoesThrough);
    }

    private boolean aCallGoesThrough() {
        try {
            result(remote.listPools());
            return true;
        } catch (ClusterException e) {
            if (e.errno() != Errno.ESHUTDOWN) {
                throw e;
            }
            return false;
        }
    }

    @Test
    void theLockIsTakenAgainWithTheReopenedImage() {
        restartServer();
        result(image.write(0, Buffer.buffer("after reconnect")));
        assertEquals(1, result(image.lockOwners()).size());
        Image other = result(backing.openImage(DISK));
        assertEquals(Errno.EROFS, failure(other.lockAcquire()).errno(), "the reconnected client holds the lock again");
        result(other.close());
    }

    @Test
    void aLockTakenByAnotherClientMeanwhileIsReportedLost() {
        restartServer();
        Image other = result(backing.openImage(DISK));
        result(other.lockAcquire());

        ClusterException lost = failure(image.write(0, Buffer.buffer("x")));
        assertEquals(Errno.EROFS, lost.errno());
        assertTrue(lost.getMessage().startsWith("lost the exclusive lock of rbd/disk with the connection to "
                + server.address() + " and could not take it again: "), lost.getMessage());
        result(other.close());
        result(image.write(0, Buffer.buffer("once free again")));
    }
}
