package io.mirrorhost.host.ha;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A clustered Vert.x whose cluster manager joins the other instances of the site over TCP/IP, as the
 * {@code [hazelcast]} section says. Only this class names Hazelcast, so that a host with no such
 * section loads none of it. The configuration is built here rather than read from a cluster.xml so
 * that tests can pass their own ports.
 */
public final class HazelcastSetup {

    private HazelcastSetup() {
    }

    /** Joins the site's cluster (or forms it, when this instance is the first) and starts Vert.x on it. */
    public static Future<Vertx> clusteredVertx(HazelcastConf conf, String instanceName) {
        VertxOptions options = new VertxOptions()
                .setEventBusOptions(new EventBusOptions().setHost(conf.interfaceAddress()).setPort(0));
        return Vertx.builder().with(options)
                .withClusterManager(new HazelcastClusterManager(config(conf, instanceName)))
                .buildClustered();
    }

    static Config config(HazelcastConf conf, String instanceName) {
        Config config = new Config().setClusterName(conf.clusterName()).setInstanceName(instanceName);
        config.getMemberAttributeConfig().setAttribute(HazelcastSite.INSTANCE_ATTRIBUTE, instanceName);
        NetworkConfig network = config.getNetworkConfig().setPort(conf.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(conf.interfaceAddress());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(conf.members()).setConnectionTimeoutSeconds(1);
        // the structures of vertx-hazelcast's default-cluster.xml, which a Config built in code must repeat
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        // the site map on every member of three (synchronous backups), so that the last survivor knows the
        // latest leader epoch; a member that was cut off brings its own entries back, and they lose
        config.addMapConfig(new MapConfig(HazelcastSite.SITE_MAP).setBackupCount(2)
                .setMergePolicyConfig(new MergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName())));
        failureDetection(config, conf);
        config.setProperty("hazelcast.shutdownhook.enabled", "false"); // Main stops the host, then Vert.x
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        return config;
    }

    /**
     * Seconds rather than Hazelcast's minutes: a killed member's connection is refused at once and it is
     * removed after a few reconnect faults 100 ms apart (the defaults); a paused one is removed after
     * {@code max_no_heartbeat}. A restarted instance joins at once, and a member that was paused and
     * came back alone merges back within seconds.
     */
    private static void failureDetection(Config config, HazelcastConf conf) {
        config.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(conf.heartbeatIntervalSeconds()));
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(conf.maxNoHeartbeatSeconds()));
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "2");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        config.setProperty("hazelcast.mastership.claim.timeout.seconds", "5");
    }
}
