package io.mirrorhost.rbd.mirror;

import static io.mirrorhost.rbd.mirror.MirrorHarness.POOL;
import static io.mirrorhost.rbd.mirror.MirrorHarness.assertOk;
import static io.mirrorhost.rbd.mirror.MirrorHarness.await;

import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.ServiceDaemon;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code mirror pool status --verbose} and {@code mirror image status} with the daemons read from the
 * cluster's service map ({@link ServiceMapDaemons}), in the shapes of the captured rbd 16.2.15 output.
 */
class ServiceMapStatusCommandsTest {
    private static final Instant T1 = Instant.parse("2026-11-25T11:24:12Z");

    private final FakeMirrorCluster fake = new FakeMirrorCluster("aaaaaaaa-1111-4111-8111-aaaaaaaa1111", "site-b",
            "127.0.0.1:6792");
    private final MirrorHarness rbd = new MirrorHarness(new FakeMirrorSite(fake));
    private final ImageSpec image;

    ServiceMapStatusCommandsTest() {
        rbd.createPool(POOL);
        image = rbd.createImage("image-1", ImageFeature.defaults());
        rbd.setSiteName("site-b");
        assertOk(rbd.run("mirror pool enable", POOL, "image"), "");
        assertOk(rbd.run("mirror image enable", "image-pool/image-1", "journal"), "Mirroring enabled\n");
        rbd.daemons = new ServiceMapDaemons(() -> rbd.cluster);
    }

    @AfterEach
    void close() throws Exception {
        rbd.close();
    }

    private long poolId() {
        return await(rbd.cluster.listPools()).stream().filter(p -> p.name().equals(POOL)).findFirst().orElseThrow().id();
    }

    private void daemonReporting(JsonObject callouts, boolean leader) {
        JsonObject pool = new JsonObject().put("callouts", callouts).put("image_assigned_count", 1)
                .put("instance_id", "14839").put("name", POOL);
        if (leader) {
            pool.put("leader", true);
        }
        fake.serviceDaemons.add(new ServiceDaemon("14837", Map.of("id", "admin", "hostname", "vm",
                "ceph_version_short", "16.2.15", "instance_id", "14837"),
                Map.of("json", new JsonObject().put(Long.toString(poolId()), pool).encode())));
        fake.imageInstanceIds.put(rbd.imageId(image), "14839");
    }

    private String globalId() {
        return rbd.mirrorInfo(image).globalId();
    }

    @Test
    void anUpStatusNamesItsDaemonAndTheVerbosePoolStatusListsIt() {
        daemonReporting(new JsonObject(), true);
        rbd.setStatus(image, new MirrorImageSiteStatus("", MirrorImageStatusState.REPLAYING, "replaying", T1, true));
        assertOk(rbd.run("mirror pool status", POOL, "--verbose"), "health: OK\n"
                + "daemon health: OK\n"
                + "image health: OK\n"
                + "images: 1 total\n"
                + "    1 replaying\n"
                + "\n"
                + "DAEMONS\n"
                + "service 14837:\n"
                + "  instance_id: 14839\n"
                + "  client_id: admin\n"
                + "  hostname: vm\n"
                + "  version: 16.2.15\n"
                + "  leader: true\n"
                + "  health: OK\n"
                + "\n"
                + "\n"
                + "IMAGES\n"
                + "image-1:\n"
                + "  global_id:   " + globalId() + "\n"
                + "  state:       up+replaying\n"
                + "  description: replaying\n"
                + "  service:     admin on vm\n"
                + "  last_update: 2026-11-25 11:24:12\n");
        assertOk(rbd.pretty("mirror pool status", POOL, "--verbose"), "{\n"
                + "    \"summary\": {\n"
                + "        \"health\": \"OK\",\n"
                + "        \"daemon_health\": \"OK\",\n"
                + "        \"image_health\": \"OK\",\n"
                + "        \"states\": {\n"
                + "            \"replaying\": 1\n"
                + "        }\n"
                + "    },\n"
                + "    \"daemons\": [\n"
                + "        {\n"
                + "            \"service_id\": \"14837\",\n"
                + "            \"instance_id\": \"14839\",\n"
                + "            \"client_id\": \"admin\",\n"
                + "            \"hostname\": \"vm\",\n"
                + "            \"ceph_version\": \"16.2.15\",\n"
                + "            \"leader\": true,\n"
                + "            \"health\": \"OK\"\n"
                + "        }\n"
                + "    ],\n"
                + "    \"images\": [\n"
                + "        {\n"
                + "            \"name\": \"image-1\",\n"
                + "            \"global_id\": \"" + globalId() + "\",\n"
                + "            \"state\": \"up+replaying\",\n"
                + "            \"description\": \"replaying\",\n"
                + "            \"daemon_service\": {\n"
                + "                \"service_id\": \"14837\",\n"
                + "                \"instance_id\": \"14839\",\n"
                + "                \"daemon_id\": \"admin\",\n"
                + "                \"hostname\": \"vm\"\n"
                + "            },\n"
                + "            \"last_update\": \"2026-11-25 11:24:12\"\n"
                + "        }\n"
                + "    ]\n"
                + "}\n");
        assertOk(rbd.json("mirror image status", "image-pool/image-1"), "{\"name\":\"image-1\",\"global_id\":\""
                + globalId() + "\",\"state\":\"up+replaying\",\"description\":\"replaying\",\"daemon_service\":"
                + "{\"service_id\":\"14837\",\"instance_id\":\"14839\",\"daemon_id\":\"admin\",\"hostname\":\"vm\"},"
                + "\"last_update\":\"2026-11-25 11:24:12\"}\n");
        assertOk(rbd.run("mirror pool status", POOL), "health: OK\n"
                + "daemon health: OK\n"
                + "image health: OK\n"
                + "images: 1 total\n"
                + "    1 replaying\n");
    }

    @Test
    void aDownStatusHasNoServiceLineEvenWithItsDaemonListed() {
        daemonReporting(new JsonObject(), true);
        rbd.setStatus(image, new MirrorImageSiteStatus("", MirrorImageStatusState.REPLAYING, "replaying", T1, false));
        assertOk(rbd.run("mirror image status", "image-pool/image-1"), "image-1:\n"
                + "  global_id:   " + globalId() + "\n"
                + "  state:       down+replaying\n"
                + "  description: replaying\n"
                + "  last_update: 2026-11-25 11:24:12\n");
    }

    @Test
    void calloutsAndAMissingLeaderShowInTheDaemonsSection() {
        daemonReporting(new JsonObject().put("0", new JsonObject().put("level", "warning")
                .put("text", "unable to connect to remote cluster")).put("1", new JsonObject().put("level", "info")
                .put("text", "unable to access remote pool")), false);
        rbd.setStatus(image, new MirrorImageSiteStatus("", MirrorImageStatusState.REPLAYING, "replaying", T1, true));
        String out = rbd.run("mirror pool status", POOL, "--verbose").stdout();
        String expectedHead = "health: WARNING\n"
                + "daemon health: WARNING\n"
                + "image health: OK\n"
                + "images: 1 total\n"
                + "    1 replaying\n"
                + "\n"
                + "DAEMONS\n"
                + "service 14837:\n"
                + "  instance_id: 14839\n"
                + "  client_id: admin\n"
                + "  hostname: vm\n"
                + "  version: 16.2.15\n"
                + "  leader: false\n"
                + "  health: WARNING\n"
                + "  callouts: unable to connect to remote cluster,unable to access remote pool\n"
                + "\n"
                + "\n"
                + "IMAGES\n";
        org.junit.jupiter.api.Assertions.assertEquals(expectedHead, out.substring(0, expectedHead.length()));
        assertOk(rbd.json("mirror pool status", POOL), "{\"summary\":{\"health\":\"WARNING\","
                + "\"daemon_health\":\"WARNING\",\"image_health\":\"OK\",\"states\":{\"replaying\":1}}}\n");
    }

    @Test
    void aDaemonNotReportingThePoolIsAnErrorForThePool() {
        fake.serviceDaemons.add(new ServiceDaemon("14837", Map.of("id", "admin", "hostname", "vm"), Map.of()));
        assertOk(rbd.run("mirror pool status", POOL), "health: ERROR\n"
                + "daemon health: ERROR\n"
                + "image health: WARNING\n"
                + "images: 1 total\n"
                + "    1 unknown\n");
    }
}
