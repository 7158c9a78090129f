package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Small key-value objects in a pool or namespace ({@code rados omap}) and watch/notify on them
 * ({@code rados_watch2}, {@code rados_notify2}): what modules keep their per-pool records in (the
 * schedule's run records) and how they hear of changes without polling (the replayer watches the
 * {@code rbd_mirroring} object). A watch lasts until its {@link Watch} is closed.
 */
public interface RadosObjects {

    Future<Map<String, String>> omapGet(PoolNamespace where, String object);

    Future<Void> omapSet(PoolNamespace where, String object, Map<String, String> values);

    Future<Void> omapRemove(PoolNamespace where, String object, Set<String> keys);

    /** Removes the whole object; succeeds if it did not exist. */
    Future<Void> removeObject(PoolNamespace where, String object);

    Future<Watch> watch(PoolNamespace where, String object, Consumer<Buffer> onNotify);

    Future<Void> notify(PoolNamespace where, String object, Buffer payload);
}
