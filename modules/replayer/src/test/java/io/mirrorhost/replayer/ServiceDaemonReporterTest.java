package io.mirrorhost.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.testing.FakeClock;
import io.mirrorhost.api.testing.FakeLeadership;
import io.mirrorhost.api.testing.RoleFakes;
import io.mirrorhost.api.testing.TestModuleContext;
import io.mirrorhost.api.testing.UnmodelledClusterConnection;
import io.mirrorhost.api.testing.UnmodelledPools;
import io.mirrorhost.api.testing.UnmodelledServiceMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The replayer's registration in the service map and its status pushes. */
class ServiceDaemonReporterTest {
    private final Vertx vertx = Vertx.vertx();
    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-25T11:00:00Z"));
    private final RecordingServiceMap serviceMap = new RecordingServiceMap();
    private volatile JsonObject moduleStatus = status("running", new JsonObject(), "replaying");

    /** The service map calls the reporter makes, recorded. */
    public static final class RecordingServiceMap implements UnmodelledClusterConnection, UnmodelledPools,
            UnmodelledServiceMap {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> pushes = new CopyOnWriteArrayList<>();
        final AtomicBoolean forgotten = new AtomicBoolean();
        final AtomicBoolean refused = new AtomicBoolean();
        volatile Map<String, String> metadata;

        @Override
        public String clientName() {
            return "client.admin";
        }

        @Override
        public Future<Long> instanceId() {
            return Future.succeededFuture(4242L);
        }

        @Override
        public Future<List<PoolInfo>> listPools() {
            return Future.succeededFuture(List.of(new PoolInfo(3, "rbd", true)));
        }

        @Override
        public Future<Void> serviceDaemonRegister(String service, String daemon, Map<String, String> metadata) {
            this.metadata = metadata;
            calls.add("register " + service + " " + daemon);
            if (refused.get()) {
                return Future.failedFuture(new ClusterException(io.mirrorhost.api.Errno.EOPNOTSUPP,
                        "registering as an rbd-mirror daemon is done by rbd-mirror on a Ceph cluster"));
            }
            forgotten.set(false);
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> serviceDaemonUpdateStatus(Map<String, String> status) {
            if (forgotten.get()) {
                return Future.failedFuture(ClusterException.notFound("not registered"));
            }
            calls.add("push");
            pushes.add(status.get("json"));
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> serviceDaemonUnregister() {
            calls.add("unregister");
            return Future.succeededFuture();
        }
    }

    private static JsonObject status(String state, JsonObject callouts, String imageState) {
        return new JsonObject().put("pools", new JsonObject().put("rbd", new JsonObject()
                .put("state", state).put("callouts", callouts)
                .put("namespaces", new JsonObject().put("", new JsonObject().put("images", new JsonObject()
                        .put("img1", new JsonObject().put("state", imageState).put("description", "x"))
                        .put("img2", new JsonObject().put("state", "error").put("description", "y")))))));
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private ServiceDaemonReporter start() {
        return start(FakeLeadership.leading(TestModuleContext.SOLO_TERM));
    }

    private ServiceDaemonReporter start(FakeLeadership leadership) {
        TestModuleContext ctx = new TestModuleContext(vertx, "site-b", RoleFakes.cluster(serviceMap),
                clock, new ReplayerModule()).withLeadership(leadership);
        return ServiceDaemonReporter.start(ctx, () -> moduleStatus);
    }

    private void tickUntil(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what + ": " + serviceMap.calls);
            }
            clock.advance(ServiceDaemonReporter.TICK);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Test
    void registersAsItsInstanceAndPushesThePoolStatusOnChangeAndAsABeacon() {
        ServiceDaemonReporter reporter = start();
        tickUntil("the first push", () -> serviceMap.pushes.size() == 1);
        assertEquals("register rbd-mirror 4242", serviceMap.calls.get(0));
        assertEquals("admin", serviceMap.metadata.get("id"));
        assertEquals("4242", serviceMap.metadata.get("instance_id"));
        assertFalse(serviceMap.metadata.get("hostname").isEmpty());
        assertEquals(new JsonObject().put("3", new JsonObject()
                .put("name", "rbd")
                .put("callouts", new JsonObject())
                .put("instance_id", "4242")
                .put("leader", true)
                .put("namespaces", new JsonObject().put("", new JsonObject()
                        .put("image_assigned_count", 2).put("image_error_count", 1).put("image_local_count", 2)
                        .put("image_remote_count", 2).put("image_warning_count", 0)))),
                new JsonObject(serviceMap.pushes.get(0)));

        clock.advance(Duration.ofSeconds(5));
        assertEquals(1, serviceMap.pushes.size(), "an unchanged status is not pushed again before the beacon");
        JsonObject callouts = new JsonObject().put("0", new JsonObject().put("level", "error")
                .put("text", "unable to connect to remote cluster"));
        moduleStatus = status("running", callouts, "syncing");
        tickUntil("the changed status", () -> serviceMap.pushes.size() == 2);
        JsonObject pool = new JsonObject(serviceMap.pushes.get(1)).getJsonObject("3");
        assertEquals(callouts, pool.getJsonObject("callouts"));
        assertEquals(1, pool.getJsonObject("namespaces").getJsonObject("").getInteger("image_warning_count"));

        tickUntil("a beacon", () -> serviceMap.pushes.size() == 3);
        assertEquals(serviceMap.pushes.get(1), serviceMap.pushes.get(2), "the beacon repeats the status");

        reporter.stop().toCompletionStage().toCompletableFuture().join();
        assertEquals("unregister", serviceMap.calls.get(serviceMap.calls.size() - 1));
        int calls = serviceMap.calls.size();
        clock.advance(Duration.ofSeconds(30));
        assertEquals(calls, serviceMap.calls.size(), "nothing after stopping");
    }

    @Test
    void aStandbyCountsOnlyTheImagesAssignedToItAndSaysNothingOfLeadingUntilItLeads() {
        FakeLeadership leadership = FakeLeadership.standby();
        start(leadership);
        tickUntil("the first push", () -> serviceMap.pushes.size() == 1);
        assertEquals(new JsonObject().put("3", new JsonObject()
                .put("name", "rbd")
                .put("callouts", new JsonObject())
                .put("instance_id", "4242")
                .put("namespaces", new JsonObject().put("", new JsonObject()
                        .put("image_assigned_count", 2).put("image_error_count", 1).put("image_warning_count", 0)))),
                new JsonObject(serviceMap.pushes.get(0)));

        leadership.change(Optional.of(TestModuleContext.SOLO_TERM));
        tickUntil("the status of the leader", () -> serviceMap.pushes.size() == 2);
        JsonObject pool = new JsonObject(serviceMap.pushes.get(1)).getJsonObject("3");
        assertEquals(true, pool.getBoolean("leader"));
        assertEquals(2, pool.getJsonObject("namespaces").getJsonObject("").getInteger("image_local_count"));
    }

    @Test
    void registersAgainWhenTheClusterForgotIt() {
        start();
        tickUntil("the first push", () -> serviceMap.pushes.size() == 1);
        serviceMap.forgotten.set(true);
        moduleStatus = status("running", new JsonObject(), "unknown");
        tickUntil("a second registration", () -> serviceMap.calls.stream().filter(c -> c.startsWith("register"))
                .count() == 2);
        tickUntil("the status pushed to the new registration", () -> serviceMap.pushes.size() == 2);
        assertTrue(serviceMap.pushes.get(1).contains("\"image_warning_count\":1"));
    }

    @Test
    void aClusterThatRefusesTheRegistrationIsNotAskedAgain() {
        serviceMap.refused.set(true);
        ServiceDaemonReporter reporter = start();
        tickUntil("the refused registration", () -> serviceMap.calls.size() == 1);
        clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of("register rbd-mirror 4242"), serviceMap.calls, "no retries, no pushes");
        reporter.stop().toCompletionStage().toCompletableFuture().join();
    }
}
