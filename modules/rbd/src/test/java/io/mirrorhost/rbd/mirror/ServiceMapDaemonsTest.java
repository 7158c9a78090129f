package io.mirrorhost.rbd.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mirrorhost.api.cluster.ServiceDaemon;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rbd's daemon health rules ({@code MirrorDaemonServiceInfo}), from service map entries. */
class ServiceMapDaemonsTest {
    private static final long POOL = 3;
    private static final Map<String, String> METADATA = Map.of("id", "admin", "hostname", "vm",
            "ceph_version_short", "16.2.15", "instance_id", "4160");

    private static ServiceDaemon daemon(String name, JsonObject status) {
        return new ServiceDaemon(name, METADATA, status == null ? Map.of() : Map.of("json", status.encode()));
    }

    private static JsonObject pool(String instanceId, boolean leader, JsonObject callouts) {
        JsonObject pool = new JsonObject().put("name", "image-pool").put("instance_id", instanceId)
                .put("callouts", callouts).put("namespaces", new JsonObject());
        if (leader) {
            pool.put("leader", true);
        }
        return new JsonObject().put(Long.toString(POOL), pool);
    }

    private static JsonObject callout(String level, String text) {
        return new JsonObject().put("level", level).put("text", text);
    }

    private static MirrorDaemons.Report report(ServiceDaemon... daemons) {
        return ServiceMapDaemons.report(List.of(daemons), POOL, Map.of("img1", "4160"));
    }

    @Test
    void noDaemonIsUnknown() {
        assertSame(MirrorDaemons.Report.NONE, ServiceMapDaemons.report(List.of(), POOL, Map.of("img1", "4160")));
    }

    @Test
    void aLeaderReportingThePoolWithoutCalloutsIsOk() {
        MirrorDaemons.Report report = report(daemon("4157", pool("4160", true, new JsonObject())));
        assertEquals(MirrorHealth.OK, report.daemonHealth());
        assertEquals(List.of(new MirrorService("4157", "4160", "admin", "vm", "16.2.15", true, MirrorHealth.OK,
                List.of())), report.services());
        assertEquals("admin on vm", report.serviceOfInstance("4160").description());
        assertEquals("4160", report.imageInstanceIds().get("img1"));
    }

    @Test
    void aDaemonWithoutStatusWarnsAndNoDaemonReportingThePoolIsAnError() {
        MirrorDaemons.Report report = report(daemon("4157", null));
        assertEquals(new MirrorService("4157", "", "admin", "vm", "16.2.15", false, MirrorHealth.WARNING,
                List.of("not reporting status")), report.services().get(0));
        assertEquals(MirrorHealth.ERROR, report.daemonHealth());
        assertNull(report.serviceOfInstance("4160"));
    }

    @Test
    void aDaemonReportingOtherPoolsWarnsForThisOne() {
        JsonObject otherPool = new JsonObject().put("7", pool("4160", true, new JsonObject()).getJsonObject("3"));
        MirrorDaemons.Report report = report(daemon("4157", otherPool));
        assertEquals(List.of("not reporting status for pool"), report.services().get(0).callouts());
        assertEquals(MirrorHealth.WARNING, report.services().get(0).health());
        assertEquals(MirrorHealth.ERROR, report.daemonHealth());
    }

    @Test
    void aStatusThatIsNotJsonCountsAsNotReportingThePool() {
        MirrorDaemons.Report report = ServiceMapDaemons.report(List.of(new ServiceDaemon("4157", METADATA,
                Map.of("json", "{not json"))), POOL, Map.of());
        assertEquals(List.of("not reporting status for pool"), report.services().get(0).callouts());
        assertEquals(MirrorHealth.ERROR, report.daemonHealth());
    }

    @Test
    void noLeaderWarns() {
        MirrorDaemons.Report report = report(daemon("4157", pool("4160", false, new JsonObject())));
        assertEquals(MirrorHealth.OK, report.services().get(0).health());
        assertEquals(MirrorHealth.WARNING, report.daemonHealth());
    }

    @Test
    void theWorstCalloutDecidesAndEveryTextIsListedInKeyOrder() {
        JsonObject callouts = new JsonObject().put("0", callout("info", "zero"))
                .put("2", callout("warning", "two")).put("10", callout("error", "ten"))
                .put("1", new JsonObject().put("text", "no level, skipped"));
        MirrorService service = report(daemon("4157", pool("4160", true, callouts))).services().get(0);
        assertEquals(MirrorHealth.ERROR, service.health());
        assertEquals(List.of("zero", "ten", "two"), service.callouts());

        MirrorDaemons.Report warning = report(daemon("4157", pool("4160", true,
                new JsonObject().put("0", callout("warning", "remote pool unreachable")))));
        assertEquals(MirrorHealth.WARNING, warning.services().get(0).health());
        assertEquals(MirrorHealth.WARNING, warning.daemonHealth());

        MirrorDaemons.Report info = report(daemon("4157", pool("4160", true,
                new JsonObject().put("0", callout("info", "note")))));
        assertEquals(MirrorHealth.OK, info.daemonHealth());
        assertEquals(List.of("note"), info.services().get(0).callouts());
    }

    @Test
    void daemonsAreOrderedByServiceIdAsTextAndTheWorstDecides() {
        MirrorDaemons.Report report = report(daemon("9", pool("4160", true, new JsonObject())),
                daemon("10", null));
        assertEquals(List.of("10", "9"), report.services().stream().map(MirrorService::serviceId).toList());
        assertEquals(MirrorHealth.WARNING, report.daemonHealth());
        assertEquals("9", report.serviceOfInstance("4160").serviceId());
    }

    @Test
    void metadataMissingFieldsAreEmptyAndTheServiceIdNamesTheDaemon() {
        MirrorDaemons.Report report = ServiceMapDaemons.report(List.of(new ServiceDaemon("4157", Map.of(),
                Map.of("json", pool("4160", true, new JsonObject()).encode()))), POOL, Map.of());
        MirrorService service = report.services().get(0);
        assertEquals("", service.clientId());
        assertEquals("", service.cephVersion());
        assertEquals("4157", service.description());
    }
}
