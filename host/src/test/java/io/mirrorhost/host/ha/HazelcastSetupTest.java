package io.mirrorhost.host.ha;

import static io.mirrorhost.api.testing.Deadlines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import io.mirrorhost.api.testing.Deadlines;
import io.mirrorhost.host.Host;
import io.mirrorhost.host.SiteConf;
import io.mirrorhost.host.testing.TestSites;
import io.mirrorhost.host.testing.TestSites.Api;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Host instances whose confs have a [hazelcast] section form one cluster with one event bus and one leader. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HazelcastSetupTest {
    @TempDir
    Path dir;
    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<Host> hosts = new ArrayList<>();

    @AfterEach
    void stop() {
        hosts.forEach(host -> await(host.close()));
        vertxes.forEach(vertx -> await(vertx.close()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private SiteConf conf(String instance, int port, String members) throws IOException {
        Path instanceDir = Files.createDirectories(dir.resolve(instance));
        Path conf = TestSites.writeConf(instanceDir, "site-a", 0, String.join("\n",
                "[host]", "instance_name = " + instance,
                "[hazelcast]", "members = " + members, "port = " + port));
        return SiteConf.load(conf);
    }

    private Vertx startInstance(SiteConf conf) {
        Vertx vertx = await(HazelcastSetup.clusteredVertx(conf.hazelcast().orElseThrow(), conf.instanceName()));
        vertxes.add(vertx);
        hosts.add(await(Host.start(vertx, conf)));
        return vertx;
    }

    private static JsonObject mgrStat(Host host) {
        try {
            return new JsonObject(new Api(host.port()).command("mgr stat", Map.of(), "json").stdout());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoHostsOfASiteFormOneClusterWithOneEventBus() throws Exception {
        int portA = freePort();
        int portB = freePort();
        String members = "127.0.0.1:" + portA + ", 127.0.0.1:" + portB;
        Vertx a = startInstance(conf("site-a", portA, members));
        Vertx b = startInstance(conf("site-a-2", portB, members));

        for (String instance : List.of("site-a", "site-a-2")) {
            Deadlines.until(Duration.ofSeconds(30), () -> instance + " to see both members",
                () -> Hazelcast.getHazelcastInstanceByName(instance).getCluster().getMembers().size() == 2);
            assertEquals("site-a", Hazelcast.getHazelcastInstanceByName(instance).getConfig().getClusterName());
        }
        await(b.eventBus().consumer("mirrorhost.test.ping", message -> message.reply("pong from site-a-2"))
            .completion());
        assertEquals("pong from site-a-2", await(a.eventBus().request("mirrorhost.test.ping", "ping")).body());

        Deadlines.until(Duration.ofSeconds(30), () -> "both instances to agree on one active one and one standby",
            () -> hosts.stream().map(HazelcastSetupTest::mgrStat).distinct().count() == 1
                && mgrStat(hosts.get(0)).getBoolean("available") && mgrStat(hosts.get(0)).getInteger("num_standby") == 1);
        assertTrue(List.of("site-a", "site-a-2").contains(mgrStat(hosts.get(1)).getString("active_name")));
    }

    @Test
    void theConfigJoinsOnlyTheListedMembersAndDetectsFailuresInSeconds() throws Exception {
        Config config = HazelcastSetup.config(new HazelcastConf(List.of("127.0.0.1:5701", "127.0.0.1:5702"), 5702,
            "127.0.0.1", "site-a", 1, 5, Duration.ofMillis(150), Duration.ofMillis(600)), "site-a-2");

        assertEquals("site-a-2", config.getInstanceName());
        assertEquals(5702, config.getNetworkConfig().getPort());
        assertEquals(false, config.getNetworkConfig().isPortAutoIncrement());
        assertEquals(false, config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
        assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"),
            config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
        assertEquals("1", config.getProperty("hazelcast.heartbeat.interval.seconds"));
        assertEquals("5", config.getProperty("hazelcast.max.no.heartbeat.seconds"));
        assertEquals("0", config.getProperty("hazelcast.wait.seconds.before.join"));
        assertEquals(1, config.getMultiMapConfig("__vertx.subs").getBackupCount());
        assertEquals(2, config.getMapConfig(HazelcastSite.SITE_MAP).getBackupCount());
        assertEquals("site-a-2", config.getMemberAttributeConfig().getAttribute(HazelcastSite.INSTANCE_ATTRIBUTE));
    }
}
