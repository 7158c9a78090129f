package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.cluster.PeerConnection;
import io.mirrorhost.host.ha.HazelcastConf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiteConfTest {
    private static final Path FILE = Path.of("/etc/mirrorhost/site-a.conf");

    @Test
    void readsSectionsCommentsAndResolvesPaths() {
        SiteConf conf = SiteConf.parse(FILE, List.of(
                "# a comment",
                "[global]",
                "site name = site-a   ; inline comment",
                "backend = embedded # or ceph",
                "[host]",
                "listen_port = 7481",
                "api_key = k1",
                "api_keys = ops:k2, dash : k3",
                "[embedded]",
                "data_dir = ../run/site-a/cluster",
                "log_file = /var/log/x.log",
                "[mgr/mirror-snapshot-schedule]",
                "max_concurrent_snapshots = 10",
                "[peer/site-b]",
                "mon_host = 127.0.0.1:6792",
                "key = secret"));
        assertEquals("site-a", conf.siteName());
        assertEquals("embedded", conf.backend());
        assertEquals("127.0.0.1", conf.listenAddress());
        assertEquals(7481, conf.listenPort());
        assertEquals(Map.of("default", "k1", "ops", "k2", "dash", "k3"), conf.acceptedApiKeys());
        assertEquals(Map.of("data_dir", "/etc/run/site-a/cluster", "log_file", "/var/log/x.log"),
                conf.section("embedded"));
        assertEquals(Map.of("max_concurrent_snapshots", "10"), conf.moduleOptions("mirror-snapshot-schedule"));
        assertEquals(List.of(new PeerConnection("site-b", "client.rbd-mirror-peer", "127.0.0.1:6792", "secret")),
                conf.peers());
    }

    @Test
    void anInstanceIsNamedAfterItsConfFileUnlessTheConfNamesIt() {
        assertEquals("site-a", SiteConf.parse(FILE, List.of("[global]")).instanceName());
        assertEquals("site-a-2", SiteConf.parse(Path.of("conf/site-a-2.conf"), List.of()).instanceName());
        assertEquals("east-1", SiteConf.parse(FILE, List.of("[host]", "instance_name = east-1")).instanceName());
    }

    @Test
    void aHazelcastSectionNamesTheMembersAndThisInstancesPort() {
        assertEquals(java.util.Optional.empty(), SiteConf.parse(FILE, List.of("[global]", "site_name = site-a")).hazelcast());
        SiteConf conf = SiteConf.parse(FILE, List.of("[global]", "site_name = site-a", "[hazelcast]",
                "members = 127.0.0.1:5701, 127.0.0.1:5702,127.0.0.1:5703", "port = 5702"));
        assertEquals(java.util.Optional.of(new HazelcastConf(List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"),
                5702, "127.0.0.1", "site-a", 1, 5, Duration.ofMillis(150), Duration.ofMillis(600))), conf.hazelcast());
        SiteConf tuned = SiteConf.parse(FILE, List.of("[hazelcast]", "members = h1:5701", "port = 5701",
                "interface = 10.0.0.2", "cluster_name = east", "heartbeat_interval = 2", "max_no_heartbeat = 9",
                "leader_beat_ms = 100", "leader_suspect_ms = 250"));
        assertEquals(new HazelcastConf(List.of("h1:5701"), 5701, "10.0.0.2", "east", 2, 9, Duration.ofMillis(100),
                Duration.ofMillis(250)), tuned.hazelcast().orElseThrow());
    }

    @Test
    void aHazelcastSectionIsCheckedWhenRead() {
        assertEquals("/etc/mirrorhost/site-a.conf: missing 'members' in section [hazelcast]",
                assertThrows(SiteConf.ConfException.class,
                        () -> SiteConf.parse(FILE, List.of("[hazelcast]", "port = 5701")).hazelcast()).getMessage());
        assertEquals("/etc/mirrorhost/site-a.conf: [hazelcast] members must be host:port entries, got 'h1'",
                assertThrows(SiteConf.ConfException.class, () -> SiteConf.parse(FILE,
                        List.of("[hazelcast]", "members = h1", "port = 5701")).hazelcast()).getMessage());
        assertEquals("/etc/mirrorhost/site-a.conf: [hazelcast] port must be a port number (1-65535), got '0'",
                assertThrows(SiteConf.ConfException.class, () -> SiteConf.parse(FILE,
                        List.of("[hazelcast]", "members = h1:1", "port = 0")).hazelcast()).getMessage());
        assertEquals("/etc/mirrorhost/site-a.conf: [hazelcast] max_no_heartbeat must be whole seconds between 4 and 3600,"
                        + " got '3'", assertThrows(SiteConf.ConfException.class, () -> SiteConf.parse(FILE, List.of(
                        "[global]", "site_name = site-a", "[hazelcast]", "members = h1:1", "port = 1",
                        "heartbeat_interval = 3", "max_no_heartbeat = 3"))
                        .hazelcast()).getMessage());
        assertEquals("/etc/mirrorhost/site-a.conf: [hazelcast] leader_suspect_ms must be milliseconds between 400 and"
                        + " 60000, got '300'", assertThrows(SiteConf.ConfException.class, () -> SiteConf.parse(FILE,
                        List.of("[global]", "site_name = site-a", "[hazelcast]", "members = h1:1", "port = 1", "leader_beat_ms = 200",
                                "leader_suspect_ms = 300")).hazelcast()).getMessage());
    }

    @Test
    void problemsNameFileAndLine() {
        assertEquals("/etc/mirrorhost/site-a.conf:2: expected 'key = value', got 'oops'",
                assertThrows(SiteConf.ConfException.class,
                        () -> SiteConf.parse(FILE, List.of("[global]", "oops"))).getMessage());
        assertEquals("/etc/mirrorhost/site-a.conf: missing 'site_name' in section [global]",
                assertThrows(SiteConf.ConfException.class,
                        () -> SiteConf.parse(FILE, List.of("[global]")).siteName()).getMessage());
        assertEquals("/etc/mirrorhost/site-a.conf: [host] listen_port must be a port number (0-65535), got '99999'",
                assertThrows(SiteConf.ConfException.class,
                        () -> SiteConf.parse(FILE, List.of("[host]", "listen_port = 99999")).listenPort()).getMessage());
        assertEquals("/etc/mirrorhost/site-a.conf: [host] api_keys entries must be name:key, got 'nokey'",
                assertThrows(SiteConf.ConfException.class, () -> SiteConf.parse(FILE,
                        List.of("[host]", "api_keys = nokey")).acceptedApiKeys()).getMessage());
    }
}
