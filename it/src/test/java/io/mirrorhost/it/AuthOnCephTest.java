package io.mirrorhost.it;

import static io.mirrorhost.it.Await.failure;
import static io.mirrorhost.it.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.AuthEntity;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.rbd.RbdModule;
import io.mirrorhost.rbd.testing.CommandRunner;
import io.mirrorhost.rbd.testing.CommandRunner.Outcome;
import io.mirrorhost.rbd.testing.TestModuleContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code auth get-or-create|get|ls|rm} on real Ceph: the SPI through the monitor, and the rbd module's
 * commands, whose outputs must equal what the real {@code ceph auth} prints for the same entity.
 */
class AuthOnCephTest {
    static final Map<String, String> READ_ONLY = Map.of("mon", "profile rbd", "osd", "profile rbd-read-only");

    static CephSite site;
    static Vertx vertx;
    static Cluster cluster;
    static RbdModule module;
    static CommandRunner runner;

    @BeforeAll
    static void connect() {
        site = CephSite.a();
        vertx = Vertx.vertx();
        cluster = CephClusters.connect(vertx, site);
        module = new RbdModule();
        result(module.start(new TestModuleContext(vertx, cluster, Map.of())));
        runner = new CommandRunner(module, vertx.getOrCreateContext());
    }

    @AfterAll
    static void close() {
        if (module != null) {
            result(module.stop());
        }
        if (cluster != null) {
            result(cluster.close());
        }
        if (vertx != null) {
            result(vertx.close());
        }
    }

    private static CommandRunner.Call auth(String words, String entity, String... caps) {
        CommandRunner.Call call = runner.call("auth " + words).arg("entity", entity);
        for (String word : caps) {
            call.add("caps", word);
        }
        return call;
    }

    @Test
    void theSpiCreatesGetsListsAndRemovesAsTheMonitorDoes() {
        String entity = "client." + CephClusters.unique("mh-auth");
        AuthEntity created = result(cluster.authGetOrCreate(entity, READ_ONLY));
        assertEquals(site.ceph("auth", "print-key", entity).out().trim(), created.key());
        assertEquals(READ_ONLY, created.caps());
        assertEquals(created, result(cluster.authGet(entity)));
        assertEquals(created.key(), result(cluster.authGetOrCreate(entity, Map.of())).key());

        ClusterException mismatch = failure(Errno.EINVAL, cluster.authGetOrCreate(entity, Map.of("osd", "profile rbd")));
        assertEquals("key for " + entity + " exists but cap osd does not match", mismatch.getMessage(),
                "the monitor's words, as the embedded backend gives them");
        ClusterException missing = failure(Errno.ENOENT, cluster.authGet(entity + "-none"));
        assertEquals("failed to find " + entity + "-none in keyring", missing.getMessage());

        assertTrue(result(cluster.authList()).contains(created));
        assertTrue(result(cluster.authList()).stream().anyMatch(e -> e.entity().equals("client.admin")));
        assertTrue(result(cluster.authRemove(entity)));
        assertFalse(result(cluster.authRemove(entity)));
        assertEquals(2, site.tool("ceph", "auth", "get", entity).exit(), "gone from the monitor");
    }

    @Test
    void theCommandsPrintWhatCephAuthPrints() {
        String entity = "client." + CephClusters.unique("mh-cmd");
        Outcome created = auth("get-or-create", entity, "mon", "profile rbd", "osd", "profile rbd-read-only").run();
        assertEquals(0, created.code(), created::toString);
        CephSite.Result again = site.ceph("auth", "get-or-create", entity, "mon", "profile rbd", "osd",
                "profile rbd-read-only");
        assertEquals(again.out(), created.stdout());

        Outcome got = auth("get", entity).run();
        CephSite.Result real = site.ceph("auth", "get", entity);
        assertEquals(real.out(), got.stdout());
        assertEquals(real.err(), got.stderr());

        Outcome json = auth("get", entity).json().run();
        assertEquals(new JsonArray(site.ceph("auth", "get", entity, "--format", "json").out()),
                new JsonArray(json.stdout()));

        CephSite.Result refused = site.tool("ceph", "auth", "get-or-create", entity, "osd", "profile rbd");
        Outcome ours = auth("get-or-create", entity, "osd", "profile rbd").run();
        assertEquals(-refused.exit(), ours.code(), ours::toString);
        assertEquals(refused.err().trim(), ours.stderr());

        assertTrue(runner.call("auth ls").run().stdout().contains(entity + "\n\tkey: "));
        Outcome removed = auth("rm", entity).run();
        assertEquals("updated\n", removed.stderr());
        CephSite.Result removedAgain = site.ceph("auth", "rm", entity);
        assertEquals(removedAgain.err(), auth("rm", entity).run().stderr());
    }
}
