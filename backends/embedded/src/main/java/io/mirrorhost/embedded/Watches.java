package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * In-process watch/notify: watchers of a named object (or of an image header) are called on the
 * Vert.x context they registered from. The network layer forwards them to remote clients.
 */
final class Watches {
    private final Vertx vertx;
    private final Map<String, List<Registration>> byKey = new ConcurrentHashMap<>();

    Watches(Vertx vertx) {
        this.vertx = vertx;
    }

    static String objectKey(long poolId, String namespace, String object) {
        return "object/" + poolId + "/" + namespace + "/" + object;
    }

    static String imageKey(String imageId) {
        return "image/" + imageId;
    }

    Watch watch(String key, Consumer<Buffer> onNotify) {
        Registration registration = new Registration(key, vertx.getOrCreateContext(), onNotify);
        byKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(registration);
        return registration;
    }

    void notify(String key, Buffer payload) {
        for (Registration r : byKey.getOrDefault(key, List.of())) {
            r.context.runOnContext(v -> r.onNotify.accept(payload.copy()));
        }
    }

    int watcherCount(String key) {
        return byKey.getOrDefault(key, List.of()).size();
    }

    private final class Registration implements Watch {
        private final String key;
        private final Context context;
        private final Consumer<Buffer> onNotify;

        Registration(String key, Context context, Consumer<Buffer> onNotify) {
            this.key = key;
            this.context = context;
            this.onNotify = onNotify;
        }

        @Override
        public Future<Void> close() {
            byKey.computeIfPresent(key, (k, list) -> {
                list.remove(this);
                return list.isEmpty() ? null : list;
            });
            return Future.succeededFuture();
        }
    }
}
