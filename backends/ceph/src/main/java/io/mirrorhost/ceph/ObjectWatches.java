package io.mirrorhost.ceph;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.Watch;
import io.mirrorhost.ceph.jna.LibRados;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Watch/notify on RADOS objects ({@code rados_watch2}, {@code rados_notify2}). Notifications are
 * acknowledged on the librados thread and handed to the watcher on the Vert.x context that watched.
 */
final class ObjectWatches {
    private static final long NOTIFY_TIMEOUT_MS = 10_000;
    private static final LibRados RADOS = LibRados.INSTANCE;

    private final CephConnection connection;
    /** Keeps the JNA callbacks reachable while librados may call them. */
    private final Set<RadosWatch> live = ConcurrentHashMap.newKeySet();

    ObjectWatches(CephConnection connection) {
        this.connection = connection;
    }

    Future<Watch> watch(PoolNamespace where, String oid, Consumer<Buffer> onNotify) {
        Context context = connection.context();
        return connection.blocking(() -> {
            Pointer io = connection.io(where);
            RadosWatch watch = new RadosWatch(io, oid, context, onNotify);
            LongByReference cookie = new LongByReference();
            CephErrors.checkNamed(RADOS.rados_watch2(io, oid, cookie, watch.callback, watch.errorCallback, null),
                    "watch " + oid, "object " + oid);
            watch.cookie = cookie.getValue();
            live.add(watch);
            connection.register(watch);
            return watch;
        });
    }

    Future<Void> notify(PoolNamespace where, String oid, Buffer payload) {
        return connection.blocking(() -> {
            byte[] bytes = payload.getBytes();
            PointerByReference reply = new PointerByReference();
            LongByReference replyLen = new LongByReference();
            int rc = RADOS.rados_notify2(connection.io(where), oid, bytes, bytes.length, NOTIFY_TIMEOUT_MS, reply,
                    replyLen);
            if (reply.getValue() != null) {
                RADOS.rados_buffer_free(reply.getValue());
            }
            CephErrors.checkNamed(rc, "notify " + oid, "object " + oid);
            return null;
        });
    }

    private final class RadosWatch implements Watch, CephConnection.NativeResource {
        private final Pointer io;
        private final String oid;
        volatile long cookie;
        final LibRados.WatchCallback callback;
        final LibRados.WatchErrorCallback errorCallback;

        RadosWatch(Pointer io, String oid, Context context, Consumer<Buffer> onNotify) {
            this.io = io;
            this.oid = oid;
            this.callback = (arg, notifyId, handle, notifierId, data, dataLen) -> {
                Buffer payload = Buffer.buffer(data == null || dataLen == 0 ? new byte[0]
                        : data.getByteArray(0, (int) dataLen));
                RADOS.rados_notify_ack(io, oid, notifyId, handle, null, 0);
                context.runOnContext(v -> onNotify.accept(payload));
            };
            this.errorCallback = (arg, c, err) -> {
                // librados re-establishes the watch itself; a lost watch shows up as missed notifications.
            };
        }

        @Override
        public Future<Void> close() {
            if (!live.contains(this)) {
                return Future.succeededFuture();
            }
            return connection.blocking(() -> {
                release();
                return null;
            });
        }

        @Override
        public void release() {
            if (live.remove(this)) {
                connection.unregister(this);
                CephErrors.check(RADOS.rados_unwatch2(io, cookie), "unwatch " + oid);
            }
        }
    }
}
