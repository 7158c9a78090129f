package io.mirrorhost.host.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.AssignmentChange;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.Leadership;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Fencing;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SoloSiteTest {
    private final Vertx vertx = Vertx.vertx();
    private final Context moduleContext = vertx.getOrCreateContext();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The fence store of a backend that has one: the stored epoch and whoever took it. */
    private static class StoredFence implements Fencing {
        long epoch;
        String holder;

        StoredFence(long epoch) {
            this.epoch = epoch;
        }

        @Override
        public Future<FenceToken> fenceTake(String name, long known, String holder) {
            if (epoch > known) {
                return Future.failedFuture(new ClusterException(Errno.ESTALE, "stale"));
            }
            this.epoch = known + 1;
            this.holder = holder;
            return Future.succeededFuture(new FenceToken(name, epoch));
        }

        @Override
        public Future<Optional<FenceRecord>> fenceGet(String name) {
            return Future.succeededFuture(epoch == 0 ? Optional.empty()
                : Optional.of(new FenceRecord(name, epoch, holder, 0)));
        }

        @Override
        public Cluster fenced(FenceToken token) {
            throw new UnsupportedOperationException("not used by the site");
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSoloInstanceLeadsWithTheEpochAfterTheStoredOne() throws Exception {
        StoredFence fence = new StoredFence(6);
        SoloSite site = new SoloSite("site-a");
        await(site.lead(fence));

        Leadership leadership = site.leadership(new ModuleCallbacks<>(() -> moduleContext));
        assertEquals(Optional.of(new FenceToken("leader", 7)), leadership.term());
        assertEquals("site-a", fence.holder);
        assertEquals(Optional.of("site-a"), site.leaderName());
        assertEquals(List.of("site-a"), site.instanceNames());
    }

    @Test
    void aBackendThatCannotFenceLeavesTheInstanceLeadingUnfenced() throws Exception {
        Fencing cannot = new StoredFence(0) {
            @Override
            public Future<Optional<FenceRecord>> fenceGet(String name) {
                return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP, "not built"));
            }
        };
        SoloSite site = new SoloSite("site-a");
        await(site.lead(cannot));
        assertEquals(Optional.of(new FenceToken("leader", 0)), site.term());
    }

    @Test
    void otherFailuresFailTheStart() {
        Fencing broken = new StoredFence(0) {
            @Override
            public Future<Optional<FenceRecord>> fenceGet(String name) {
                return Future.failedFuture(new ClusterException(Errno.EIO, "disk gone"));
            }
        };
        Future<Void> started = new SoloSite("site-a").lead(broken);
        assertEquals("disk gone", started.cause().getMessage());
    }

    @Test
    void aRefusedWriteUnderTheTermEndsTheLeadershipOnTheModulesContext() throws Exception {
        SoloSite site = new SoloSite("site-a");
        await(site.lead(new StoredFence(0)));
        ModuleCallbacks<Optional<FenceToken>> callbacks = new ModuleCallbacks<>(() -> moduleContext);
        Leadership leadership = site.leadership(callbacks);
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        leadership.onChange(term -> heard.add(term + " on module context " + (Vertx.currentContext() == moduleContext)));

        leadership.refused(new FenceToken("leader", 0));
        assertEquals(Optional.of(new FenceToken("leader", 1)), leadership.term(), "an older term's refusal changes nothing");
        leadership.refused(new FenceToken("leader", 1));

        assertEquals("Optional.empty on module context true", heard.poll(10, TimeUnit.SECONDS));
        assertEquals(Optional.empty(), leadership.term());
        assertEquals(Optional.empty(), site.leaderName());
        leadership.refused(new FenceToken("leader", 1));
        assertEquals(null, heard.poll(50, TimeUnit.MILLISECONDS), "told once");
    }

    @Test
    void listenersOfAStoppedModuleAreNotCalled() throws Exception {
        SoloSite site = new SoloSite("site-a");
        await(site.lead(new StoredFence(0)));
        ModuleCallbacks<Optional<FenceToken>> callbacks = new ModuleCallbacks<>(() -> moduleContext);
        Leadership leadership = site.leadership(callbacks);
        BlockingQueue<Optional<FenceToken>> heard = new LinkedBlockingQueue<>();
        leadership.onChange(heard::add);
        callbacks.clear();

        leadership.refused(new FenceToken("leader", 1));
        assertEquals(null, heard.poll(50, TimeUnit.MILLISECONDS));
    }

    @Test
    void everyOfferedItemIsThisInstancesUnderItsTerm() throws Exception {
        SoloSite site = new SoloSite("site-a");
        await(site.lead(new StoredFence(2)));
        WorkAssignment assignment = site.assignment(new ModuleCallbacks<>(() -> moduleContext));
        BlockingQueue<AssignmentChange> changes = new LinkedBlockingQueue<>();
        assignment.onChange(changes::add);
        FenceToken term = new FenceToken("leader", 3);

        assignment.offer("rbd/", Set.of("gid-b", "gid-a"));
        assertEquals(new AssignmentChange.Acquire("rbd/", "gid-a", term), changes.poll(10, TimeUnit.SECONDS));
        assertEquals(new AssignmentChange.Acquire("rbd/", "gid-b", term), changes.poll(10, TimeUnit.SECONDS));
        assertEquals(Set.of("gid-a", "gid-b"), assignment.mine("rbd/"));

        assignment.offer("rbd/", Set.of("gid-b", "gid-c"));
        assertEquals(new AssignmentChange.Release("rbd/", "gid-a"), changes.poll(10, TimeUnit.SECONDS));
        assertEquals(new AssignmentChange.Acquire("rbd/", "gid-c", term), changes.poll(10, TimeUnit.SECONDS));
        assertEquals(Set.of("gid-b", "gid-c"), assignment.mine("rbd/"));
        assertEquals(Set.of(), assignment.mine("other/"));
    }
}
