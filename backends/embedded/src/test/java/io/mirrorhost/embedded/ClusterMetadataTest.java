package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterMetadataTest {
    @TempDir
    Path dir;

    Vertx vertx;
    EmbeddedCluster cluster;

    @BeforeEach
    void open() throws Exception {
        vertx = Vertx.vertx();
        cluster = EmbeddedCluster.open(vertx, dir);
    }

    @AfterEach
    void close() {
        Await.result(cluster.close());
        Await.result(vertx.close());
    }

    private void reopen() throws Exception {
        Await.result(cluster.close());
        cluster = EmbeddedCluster.open(vertx, dir);
    }

    @Test
    void fsidIsStableAcrossReopen() throws Exception {
        String fsid = cluster.fsid();
        assertNotNull(fsid);
        reopen();
        assertEquals(fsid, cluster.fsid());
        assertEquals("client.admin", cluster.clientName());
        assertEquals("client.peer", cluster.asClient("client.peer").clientName());
    }

    @Test
    void configKeysSetGetListRemoveAndSurviveReopen() throws Exception {
        Await.result(cluster.configKeySet("mgr/a/x", "1"));
        Await.result(cluster.configKeySet("mgr/a/y", "2"));
        Await.result(cluster.configKeySet("mgr/b/z", "3"));
        Await.result(cluster.configKeySet("mgr/a/x", "one"));
        assertEquals(Optional.of("one"), Await.result(cluster.configKeyGet("mgr/a/x")));
        assertEquals(Optional.empty(), Await.result(cluster.configKeyGet("missing")));
        assertEquals(Map.of("mgr/a/x", "one", "mgr/a/y", "2"), Await.result(cluster.configKeyList("mgr/a/")));
        assertEquals(3, Await.result(cluster.configKeyList("")).size());
        // LIKE wildcards in a prefix are literal characters
        assertEquals(Map.of(), Await.result(cluster.configKeyList("mgr/%")));
        reopen();
        assertEquals(Optional.of("3"), Await.result(cluster.configKeyGet("mgr/b/z")));
        Await.result(cluster.configKeyRemove("mgr/b/z"));
        assertEquals(Optional.empty(), Await.result(cluster.configKeyGet("mgr/b/z")));
        Await.failure(Errno.ENOENT, cluster.configKeyRemove("mgr/b/z"));
        Await.failure(Errno.EINVAL, cluster.configKeySet("", "v"));
    }

    @Test
    void poolsAreNumberedLikeCephAndNeverReuseIds() throws Exception {
        Await.result(cluster.createPool("rbd"));
        Await.result(cluster.createPool("data"));
        assertEquals(List.of(new PoolInfo(1, "rbd", false), new PoolInfo(2, "data", false)),
            Await.result(cluster.listPools()));
        Await.failure(Errno.EEXIST, cluster.createPool("rbd"));
        Await.failure(Errno.EINVAL, cluster.createPool(""));
        Await.result(cluster.initPool("rbd"));
        Await.failure(Errno.ENOENT, cluster.initPool("nope"));
        Await.result(cluster.removePool("data"));
        Await.failure(Errno.ENOENT, cluster.removePool("data"));
        Await.result(cluster.createPool("data2"));
        reopen();
        assertEquals(List.of(new PoolInfo(1, "rbd", true), new PoolInfo(3, "data2", false)),
            Await.result(cluster.listPools()));
    }

    @Test
    void namespacesCreateListRemove() throws Exception {
        Await.result(cluster.createPool("rbd"));
        Await.result(cluster.createNamespace(new PoolNamespace("rbd", "ns1")));
        Await.result(cluster.createNamespace(new PoolNamespace("rbd", "ns0")));
        assertEquals(List.of("ns0", "ns1"), Await.result(cluster.listNamespaces("rbd")));
        Await.failure(Errno.EEXIST, cluster.createNamespace(new PoolNamespace("rbd", "ns1")));
        Await.failure(Errno.ENOENT, cluster.createNamespace(new PoolNamespace("nopool", "ns1")));
        Await.failure(Errno.EINVAL, cluster.createNamespace(PoolNamespace.of("rbd")));
        Await.result(cluster.removeNamespace(new PoolNamespace("rbd", "ns0")));
        Await.failure(Errno.ENOENT, cluster.removeNamespace(new PoolNamespace("rbd", "ns0")));
        reopen();
        assertEquals(List.of("ns1"), Await.result(cluster.listNamespaces("rbd")));
    }

    @Test
    void omapPerPoolAndNamespace() throws Exception {
        Await.result(cluster.createPool("rbd"));
        Await.result(cluster.createNamespace(new PoolNamespace("rbd", "ns")));
        PoolNamespace def = PoolNamespace.of("rbd");
        PoolNamespace ns = new PoolNamespace("rbd", "ns");
        Await.result(cluster.omapSet(def, "obj", Map.of("a", "1", "b", "2")));
        Await.result(cluster.omapSet(ns, "obj", Map.of("a", "other")));
        assertEquals(Map.of("a", "1", "b", "2"), Await.result(cluster.omapGet(def, "obj")));
        assertEquals(Map.of("a", "other"), Await.result(cluster.omapGet(ns, "obj")));
        Await.result(cluster.omapRemove(def, "obj", Set.of("a", "missing")));
        assertEquals(Map.of("b", "2"), Await.result(cluster.omapGet(def, "obj")));
        reopen();
        assertEquals(Map.of("b", "2"), Await.result(cluster.omapGet(def, "obj")));
        Await.result(cluster.removeObject(def, "obj"));
        Await.result(cluster.removeObject(def, "never-existed"));
        assertEquals(Map.of(), Await.result(cluster.omapGet(def, "obj")));
        assertEquals(Map.of("a", "other"), Await.result(cluster.omapGet(ns, "obj")));
        Await.failure(Errno.ENOENT, cluster.omapGet(new PoolNamespace("rbd", "nons"), "obj"));
        Await.failure(Errno.ENOENT, cluster.omapSet(PoolNamespace.of("nopool"), "obj", Map.of("a", "1")));
        // a namespace with omap objects is removable; its objects go with it
        Await.result(cluster.removeNamespace(ns));
        Await.result(cluster.createNamespace(ns));
        assertEquals(Map.of(), Await.result(cluster.omapGet(ns, "obj")));
        assertTrue(Await.result(cluster.listNamespaces("rbd")).contains("ns"));
    }
}
