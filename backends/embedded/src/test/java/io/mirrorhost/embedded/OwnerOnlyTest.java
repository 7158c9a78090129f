package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store keeps client keys: as Ceph's keyrings, only its owner may read it, whatever the umask. */
class OwnerOnlyTest extends StoreTestBase {
    private String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private void assertOwnerOnly() throws Exception {
        assertEquals("rwx------", mode(dir));
        assertEquals("rwx------", mode(dir.resolve(ClusterStore.OBJECTS_DIR)));
        for (String file : new String[] {"metadata.db", "metadata.db-wal", "metadata.db-shm"}) {
            assertTrue(Files.exists(dir.resolve(file)), file);
            assertEquals("rw-------", mode(dir.resolve(file)), file);
        }
    }

    @Test
    void theStoreAndItsKeysAreTheOwnersAlone() throws Exception {
        Await.result(cluster.authGetOrCreate("client.peer-a", Map.of("mon", "profile rbd-mirror-peer", "osd", "profile rbd")));
        assertOwnerOnly();
    }

    @Test
    void aStoreMadeReadableByOthersIsTightenedWhenOpened() throws Exception {
        Await.result(cluster.close());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String file : new String[] {"metadata.db", "metadata.db-wal", "metadata.db-shm"}) {
            if (Files.exists(dir.resolve(file))) {
                Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        cluster = EmbeddedCluster.open(vertx, dir);
        Await.result(cluster.authGetOrCreate("client.peer-b", Map.of("mon", "profile rbd-mirror-peer", "osd", "profile rbd")));
        assertOwnerOnly();
    }
}
