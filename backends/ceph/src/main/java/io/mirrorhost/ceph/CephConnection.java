package io.mirrorhost.ceph;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import com.sun.jna.Pointer;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.mirrorhost.ceph.jna.LibRados;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connected librados client (rados-java's {@link Rados}) with one I/O context per pool and
 * namespace, and the dedicated worker executor every blocking librados/librbd call runs on.
 */
final class CephConnection {
    private static final AtomicInteger EXECUTORS = new AtomicInteger();
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final ClusterHandle rados;
    private final String client;
    private final WorkerExecutor executor;
    private final Map<PoolNamespace, IoCTX> ioContexts = new ConcurrentHashMap<>();
    /**
     * I/O contexts of removed pools. Calls already running may still hold one (a scheduler writing its run
     * records while the pool is removed), and librados crashes on a destroyed one, so they live until close.
     */
    private final List<IoCTX> retiredIoContexts = new CopyOnWriteArrayList<>();
    /** Open images and registered watches, released before rados_shutdown (which crashes with them live). */
    private final Set<NativeResource> resources = ConcurrentHashMap.newKeySet();
    private final Object drained = new Object();
    private int inFlight;
    private volatile boolean closed;

    /** Something holding librados/librbd state that must be released before the client shuts down. */
    interface NativeResource {
        /** Releases it (blocking, on a worker thread). */
        void release();
    }

    /** rados-java keeps the {@code rados_t} protected; librbd's cluster-wide calls need it. */
    private static final class ClusterHandle extends Rados {
        ClusterHandle(String client) {
            super("ceph", client, 0);
        }

        Pointer pointer() {
            return clusterPtr;
        }
    }

    private CephConnection(Vertx vertx, ClusterHandle rados, String client, int threads) {
        this.vertx = vertx;
        this.rados = rados;
        this.client = client;
        this.executor = vertx.createSharedWorkerExecutor("mirrorhost-ceph-" + EXECUTORS.incrementAndGet(), threads);
    }

    /** Creates the client, reads the conf, sets the options and connects (blocking). */
    static CephConnection open(Vertx vertx, CephSettings settings) {
        ClusterHandle rados = new ClusterHandle(settings.client());
        try {
            if (settings.confFile() != null) {
                rados.confReadFile(settings.confFile().toFile());
            }
            rados.confSet("client_mount_timeout", "30");
            rados.confSet("rados_mon_op_timeout", "60");
            // The SPI promises that a discarded range reads as zeros; librbd skips unaligned parts otherwise.
            rados.confSet("rbd_skip_partial_discard", "false");
            for (Map.Entry<String, String> option : settings.options().entrySet()) {
                rados.confSet(option.getKey(), option.getValue());
            }
            rados.connect();
        } catch (RadosException e) {
            rados.shutDown();
            Errno errno = Errno.of(e.getReturnValue());
            throw new ClusterException(errno == Errno.EIO && e.getReturnValue() == 0 ? Errno.EIO : errno,
                    "cannot connect to the Ceph cluster as " + settings.client() + " ("
                            + (settings.confFile() != null ? "conf " + settings.confFile()
                            : "mon_host " + settings.options().get("mon_host")) + "): " + errno.describe());
        }
        return new CephConnection(vertx, rados, settings.client(), settings.workerThreads());
    }

    Vertx vertx() {
        return vertx;
    }

    String client() {
        return client;
    }

    Rados rados() {
        return rados;
    }

    /** The {@code rados_t} handle. */
    Pointer cluster() {
        return rados.pointer();
    }

    /** Runs a blocking call on the Ceph worker executor; the future completes on the caller's context. */
    <T> Future<T> blocking(Callable<T> call) {
        synchronized (drained) {
            if (closed) {
                return Future.failedFuture(new ClusterException(Errno.ESHUTDOWN,
                        "the connection to the Ceph cluster is closed"));
            }
            inFlight++;
        }
        return executor.executeBlocking(() -> {
            try {
                return call.call();
            } finally {
                synchronized (drained) {
                    inFlight--;
                    drained.notifyAll();
                }
            }
        }, false).recover(failure -> Future.failedFuture(
                failure instanceof ClusterException ? failure
                        : new ClusterException(Errno.EIO, "Ceph call failed: " + failure, failure)));
    }

    void register(NativeResource resource) {
        resources.add(resource);
    }

    void unregister(NativeResource resource) {
        resources.remove(resource);
    }

    /** The context callbacks from librados threads are delivered on. */
    Context context() {
        return vertx.getOrCreateContext();
    }

    /** The I/O context of a pool and namespace, created once (blocking). */
    IoCTX ioContext(PoolNamespace where) {
        IoCTX existing = ioContexts.get(where);
        if (existing != null) {
            return existing;
        }
        IoCTX created;
        try {
            created = rados.ioCtxCreate(where.pool());
        } catch (RadosException e) {
            int rc = e.getReturnValue() == 0 ? -Errno.ENOENT.code() : e.getReturnValue();
            throw new ClusterException(Errno.of(rc), rc == -Errno.ENOENT.code()
                    ? "pool '" + where.pool() + "' does not exist"
                    : CephErrors.failed("open pool '" + where.pool() + "'", Errno.of(rc)));
        }
        created.setNamespace(where.namespace());
        IoCTX raced = ioContexts.putIfAbsent(where, created);
        if (raced != null) {
            rados.ioCtxDestroy(created);
            return raced;
        }
        return created;
    }

    /** The {@code rados_ioctx_t} of a pool and namespace. */
    Pointer io(PoolNamespace where) {
        return ioContext(where).getPointer();
    }

    /**
     * Drops the I/O contexts of a removed pool, so that a pool created again under its name gets new ones;
     * they are destroyed at close, when no call can be using them any more.
     */
    void forgetPool(String pool) {
        ioContexts.entrySet().removeIf(e -> {
            if (e.getKey().pool().equals(pool)) {
                retiredIoContexts.add(e.getValue());
                return true;
            }
            return false;
        });
    }

    /**
     * Refuses new calls, waits (bounded) for the calls in flight, releases open images and watches, then
     * shuts the client down: rados_shutdown with live operations, images or watches crashes the process.
     */
    Future<Void> close() {
        synchronized (drained) {
            if (closed) {
                return Future.succeededFuture();
            }
            closed = true;
        }
        return executor.<Void>executeBlocking(() -> {
            awaitDrained();
            for (NativeResource resource : List.copyOf(resources)) {
                try {
                    resource.release();
                } catch (RuntimeException e) {
                    // keep releasing the others; the shutdown below must not find them live
                }
            }
            resources.clear();
            LibRados.INSTANCE.rados_watch_flush(cluster());
            ioContexts.values().forEach(rados::ioCtxDestroy);
            ioContexts.clear();
            retiredIoContexts.forEach(rados::ioCtxDestroy);
            retiredIoContexts.clear();
            rados.shutDown();
            return null;
        }, false).eventually(() -> executor.close());
    }

    private void awaitDrained() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        synchronized (drained) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ClusterException(Errno.EBUSY, "cannot close the Ceph connection: " + inFlight
                            + " call(s) still running after " + DRAIN_TIMEOUT.toSeconds() + " s");
                }
                drained.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
