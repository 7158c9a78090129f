package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LockAndWatchTest extends StoreTestBase {
    private static final int OBJ = 64 * 1024;

    @Test
    void writesTakeTheLockAutomaticallyAndHandItOver() {
        Image a = create("img", OBJ, 16, ImageFeature.defaults());
        Image b = Await.result(cluster.asClient("client.other").openImage(spec("img")));
        assertEquals(List.of(), Await.result(a.lockOwners()));
        Await.result(a.write(0, random(1, 10)));
        List<String> owners = Await.result(b.lockOwners());
        assertEquals(1, owners.size());
        assertTrue(owners.get(0).startsWith("client.admin:"), owners.get(0));
        Await.result(b.write(0, random(2, 10)));
        assertTrue(Await.result(a.lockOwners()).get(0).startsWith("client.other:"));
        Await.result(b.close());
        assertEquals(List.of(), Await.result(a.lockOwners()), "closing releases the lock");
        Await.result(a.close());
    }

    @Test
    void explicitLockIsKeptUntilReleasedOrBroken() {
        Image a = create("img", OBJ, 16, ImageFeature.defaults());
        Image b = Await.result(cluster.openImage(spec("img")));
        Await.result(a.lockAcquire());
        String ownerA = Await.result(a.lockOwners()).get(0);
        Await.failure(Errno.EROFS, b.write(0, random(1, 10)));
        Await.failure(Errno.EROFS, b.lockAcquire());
        Await.failure(Errno.EINVAL, b.lockRelease());
        Await.result(a.write(0, random(2, 10)));
        Await.result(a.lockRelease());
        Await.result(b.write(0, random(3, 10)));
        Await.result(a.lockAcquire());
        Await.failure(Errno.ENOENT, b.lockBreak("client.admin:0"));
        Await.result(b.lockBreak(ownerA));
        assertEquals(List.of(), Await.result(b.lockOwners()));
        Await.failure(Errno.ESHUTDOWN, a.write(0, random(4, 10)));
        Await.result(b.write(0, random(5, 10)));
        assertEquals(random(5, 10), Await.result(a.read(0, 10)), "a broken client can still read");
        Await.result(a.close());
        Await.result(b.close());
    }

    @Test
    void lockCallsNeedTheExclusiveLockFeature() {
        Image img = create("img", OBJ, 16, Set.of(ImageFeature.LAYERING));
        Await.failure(Errno.EINVAL, img.lockAcquire());
        Await.failure(Errno.EINVAL, img.lockOwners());
        Await.result(img.write(0, random(1, 10)));
        Await.result(img.updateFeatures(Set.of(ImageFeature.EXCLUSIVE_LOCK), true));
        Await.result(img.lockAcquire());
        assertEquals(1, Await.result(img.lockOwners()).size());
        Await.result(img.updateFeatures(Set.of(ImageFeature.EXCLUSIVE_LOCK), false));
        Await.result(img.updateFeatures(Set.of(ImageFeature.EXCLUSIVE_LOCK), true));
        assertEquals(List.of(), Await.result(img.lockOwners()), "disabling the feature dropped the lock");
        Await.result(img.close());
    }

    @Test
    void updateWatchFiresOnHeaderChanges() throws Exception {
        Image img = create("img", OBJ, 16, ImageFeature.defaults());
        Await.result(cluster.mirrorModeSet(PoolNamespace.of("rbd"), io.mirrorhost.api.cluster.MirrorMode.IMAGE));
        Await.result(cluster.mirrorPeerSiteAdd("rbd", "site-b", "client.rbd-mirror-peer",
            io.mirrorhost.api.cluster.MirrorPeerDirection.RX_TX));
        Await.result(img.mirrorEnable(io.mirrorhost.api.cluster.MirrorImageMode.SNAPSHOT));
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        Watch watch = Await.result(img.updateWatch(() -> events.add("update")));
        Await.result(img.resize(2 * OBJ));
        assertEquals("update", events.poll(10, TimeUnit.SECONDS));
        Await.result(img.createSnap("s"));
        assertEquals("update", events.poll(10, TimeUnit.SECONDS));
        Await.result(img.protectSnap("s"));
        assertEquals("update", events.poll(10, TimeUnit.SECONDS));
        Await.result(img.unprotectSnap("s"));
        assertEquals("update", events.poll(10, TimeUnit.SECONDS));
        Await.result(img.updateFeatures(Set.of(ImageFeature.FAST_DIFF), false));
        assertEquals("update", events.poll(10, TimeUnit.SECONDS));
        Await.result(img.mirrorCreateSnapshot());
        assertEquals("update", events.poll(10, TimeUnit.SECONDS));
        Await.result(cluster.renameImage(spec("img"), "renamed"));
        assertEquals("update", events.poll(10, TimeUnit.SECONDS));
        Await.result(img.write(0, random(1, 10)));
        Await.result(img.flush());
        Await.result(watch.close());
        Await.result(img.removeSnap("s"));
        Await.result(img.close());
        assertEquals(List.of(), List.copyOf(events), "data writes are no header change; a closed watch is quiet");
    }

    @Test
    void watchNotifyOnNamedObjects() throws Exception {
        Await.result(cluster.createNamespace(new PoolNamespace("rbd", "ns")));
        Context context = vertx.getOrCreateContext();
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        CompletableFuture<Watch[]> registered = new CompletableFuture<>();
        context.runOnContext(v -> cluster.watch(PoolNamespace.of("rbd"), "obj", b -> first.add(b.toString()))
            .compose(w1 -> cluster.watch(PoolNamespace.of("rbd"), "obj", b -> second.add(b.toString()))
                .map(w2 -> new Watch[] {w1, w2}))
            .onComplete(ar -> {
                if (ar.succeeded()) {
                    registered.complete(ar.result());
                } else {
                    registered.completeExceptionally(ar.cause());
                }
            }));
        Watch[] watches = registered.get(10, TimeUnit.SECONDS);
        Await.result(cluster.notify(PoolNamespace.of("rbd"), "obj", Buffer.buffer("one")));
        Await.result(cluster.notify(new PoolNamespace("rbd", "ns"), "obj", Buffer.buffer("other namespace")));
        Await.result(cluster.notify(PoolNamespace.of("rbd"), "other", Buffer.buffer("other object")));
        Await.result(watches[0].close());
        Await.result(cluster.notify(PoolNamespace.of("rbd"), "obj", Buffer.buffer("two")));
        // both watchers run on one context in registration order: once the second has "two",
        // the first would have had it too
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (second.size() < 2 && System.nanoTime() < deadline) {
            CompletableFuture<Void> tick = new CompletableFuture<>();
            context.runOnContext(v -> tick.complete(null));
            tick.get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of("one", "two"), second);
        assertEquals(List.of("one"), first);
        Await.failure(Errno.ENOENT, cluster.watch(PoolNamespace.of("nopool"), "obj", b -> { }));
        Await.failure(Errno.ENOENT, cluster.notify(new PoolNamespace("rbd", "nons"), "obj", Buffer.buffer()));
        Await.result(watches[1].close());
    }
}
