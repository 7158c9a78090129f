package io.mirrorhost.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.ServiceDaemon;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the manager's service map answers, and librados' dict encoding. */
class ServiceMapTest {

    @Test
    void daemonsComeFromTheDumpWithTheirStatusAndTheSummaryStringIsSkipped() {
        // the shapes Ceph 16.2's mgr answers "service dump" and "service status" with
        JsonObject dump = new JsonObject("{\"epoch\":12,\"modified\":\"2026-11-25T11:24:12.0+0000\",\"services\":{"
                + "\"rbd-mirror\":{\"daemons\":{\"summary\":\"\",\"14837\":{\"start_epoch\":5,\"gid\":14837,"
                + "\"metadata\":{\"id\":\"admin\",\"hostname\":\"vm\",\"ceph_version_short\":\"16.2.15\","
                + "\"instance_id\":\"14837\"},\"task_status\":{}},\"9\":{\"gid\":9,\"metadata\":{\"id\":\"b\"}}}},"
                + "\"rgw\":{\"daemons\":{\"summary\":\"\",\"x\":{\"metadata\":{}}}}}}");
        JsonObject status = new JsonObject("{\"rbd-mirror\":{\"14837\":{\"status_stamp\":\"2026-11-25T11:24:12\","
                + "\"last_beacon\":\"2026-11-25T11:24:12\",\"status\":{\"json\":\"{\\\"3\\\":{\\\"leader\\\":true}}\"}},"
                + "\"9\":{\"status_stamp\":\"0.000000\",\"status\":{}}}}");
        List<ServiceDaemon> daemons = ServiceMap.daemons(dump, status, "rbd-mirror");
        assertEquals(List.of(
                new ServiceDaemon("14837", Map.of("id", "admin", "hostname", "vm", "ceph_version_short", "16.2.15",
                        "instance_id", "14837"), Map.of("json", "{\"3\":{\"leader\":true}}")),
                new ServiceDaemon("9", Map.of("id", "b"), Map.of())), daemons);
        assertEquals(List.of(), ServiceMap.daemons(dump, status, "nfs"));
        assertEquals(List.of(), ServiceMap.daemons(new JsonObject(), new JsonObject(), "rbd-mirror"));
    }

    @Test
    void dictsAreKeyValuePairsEndedByAnEmptyKey() {
        assertArrayEquals("foo\0bar\0this\0that\0\0".getBytes(StandardCharsets.UTF_8),
                ServiceMap.dict(Map.of("this", "that", "foo", "bar")));
        assertArrayEquals(new byte[] {0}, ServiceMap.dict(Map.of()));
    }
}
