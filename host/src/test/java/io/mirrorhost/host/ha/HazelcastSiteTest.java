package io.mirrorhost.host.ha;

import static io.mirrorhost.api.testing.Deadlines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.testing.Deadlines;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances of one site, each a clustered Vert.x with its own Hazelcast member on loopback, electing
 * a leader whose term the embedded cluster (one shared storage, as the instances of a site share it) fences.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HazelcastSiteTest {
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private final Vertx storageVertx = Vertx.vertx();
    private Cluster storage;
    private final List<Instance> instances = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    private record Instance(String name, Vertx vertx, HazelcastSite site) {
        Optional<FenceToken> term() {
            return site.term();
        }
    }

    @BeforeEach
    void openStorage() throws IOException {
        ClusterProvider embedded = ServiceLoader.load(ClusterProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("embedded")).findFirst().orElseThrow();
        storage = await(embedded.connect(storageVertx, Map.of("data_dir", dir.resolve("cluster").toString())));
        for (int i = 0; i < 6; i++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                ports.add(socket.getLocalPort());
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Instance instance : instances) {
            quietly(() -> instance.site.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
            quietly(() -> instance.vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
        }
        await(storage.close());
        await(storageVertx.close());
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            // an instance whose Hazelcast was terminated cannot leave its cluster cleanly
        }
    }

    private Instance start(int index) {
        String name = index == 0 ? "site-a" : "site-a-" + (index + 1);
        List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();
        HazelcastConf conf = new HazelcastConf(members, ports.get(index), "127.0.0.1", "site-a", 1, 5,
                Duration.ofMillis(150), Duration.ofMillis(600));
        Vertx vertx = await(HazelcastSetup.clusteredVertx(conf, name));
        HazelcastSite site = HazelcastSite.of(vertx, name, conf);
        Instance instance = new Instance(name, vertx, site);
        instances.add(instance);
        await(site.lead(storage));
        return instance;
    }

    /** Exactly one of {@code live} leads, above {@code after}, and every one of them sees it and all of them. */
    private Instance oneLeader(List<Instance> live, long after) {
        Deadlines.until(Duration.ofSeconds(60), () -> "one leader above epoch " + after + " among " + live, () -> {
            List<Instance> leading = live.stream().filter(i -> i.term().isPresent()).toList();
            return leading.size() == 1 && leading.get(0).term().get().epoch() > after && live.stream().allMatch(i ->
                    i.site.status().leader().equals(Optional.of(leading.get(0).name))
                            && i.site.instanceNames().size() == live.size());
        });
        return live.stream().filter(i -> i.term().isPresent()).findFirst().orElseThrow();
    }

    private void assertRefused(FenceToken stale) {
        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> storage.fenced(stale).configKeySet("written-under", stale.toString())
                        .toCompletionStage().toCompletableFuture().join());
        assertEquals(Errno.ESHUTDOWN, ClusterException.errnoOf(refused.getCause()), refused.getCause().toString());
    }

    @Test
    void oneInstanceLeadsAndAnotherTakesOverWithAHigherEpochWhenItsHazelcastDies() {
        List<Instance> live = new ArrayList<>(List.of(start(0), start(1), start(2)));
        Instance leader = oneLeader(live, 0);
        assertEquals(1, leader.term().orElseThrow().epoch(), "a site formed afresh takes the stored epoch, 0, + 1");
        assertEquals(3, leader.site.status().instances().size());

        List<Long> failoverMillis = new ArrayList<>();
        List<Long> epochs = new ArrayList<>(List.of(1L));
        for (int trial = 0; trial < 3; trial++) {
            // a member that dies while partitions still migrate to a newcomer is removed only by the heartbeat timeout
            Deadlines.until(Duration.ofSeconds(60), () -> "the partitions to settle",
                    () -> live.stream().allMatch(i -> Hazelcast.getHazelcastInstanceByName(i.name)
                            .getPartitionService().isClusterSafe()));
            FenceToken old = leader.term().orElseThrow();
            long killed = System.nanoTime();
            Hazelcast.getHazelcastInstanceByName(leader.name).getLifecycleService().terminate();
            live.remove(leader);
            Deadlines.until(FAILOVER_BOUND, () -> "another instance to lead after " + old,
                    () -> live.stream().anyMatch(i -> i.term().map(t -> t.epoch() > old.epoch()).orElse(false)));
            failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));

            assertRefused(old);
            live.add(start(3 + trial));
            // more than one takeover when the survivors split for a moment (the master died) and merge back
            leader = oneLeader(live, old.epoch());
            epochs.add(leader.term().orElseThrow().epoch());
        }
        System.out.println("HazelcastSiteTest failover after terminate (ms): " + failoverMillis + ", epochs " + epochs);
        assertTrue(failoverMillis.stream().allMatch(ms -> ms < FAILOVER_BOUND.toMillis()), failoverMillis.toString());
    }

    @Test
    void aLeaderWhoseWriteIsRefusedStepsDownAndAnotherLeads() {
        List<Instance> live = List.of(start(0), start(1), start(2));
        Instance leader = oneLeader(live, 0);
        FenceToken term = leader.term().orElseThrow();

        leader.site.refused(term);
        Instance next = oneLeader(live, term.epoch());

        assertTrue(!next.name.equals(leader.name), "the instance that stepped down leaves the lock to the others");
        assertRefused(term);
        assertEquals(term.epoch() + 1, next.site.status().leaderEpoch());
    }
}
