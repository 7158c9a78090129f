package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.RadosObjects;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link RadosObjects} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledRadosObjects extends RadosObjects {

    @Override
    default Future<Map<String, String>> omapGet(PoolNamespace where, String object) {
        return RoleFakes.notModelled("Cluster.omapGet");
    }

    @Override
    default Future<Void> omapSet(PoolNamespace where, String object, Map<String, String> values) {
        return RoleFakes.notModelled("Cluster.omapSet");
    }

    @Override
    default Future<Void> omapRemove(PoolNamespace where, String object, Set<String> keys) {
        return RoleFakes.notModelled("Cluster.omapRemove");
    }

    @Override
    default Future<Void> removeObject(PoolNamespace where, String object) {
        return RoleFakes.notModelled("Cluster.removeObject");
    }

    @Override
    default Future<Watch> watch(PoolNamespace where, String object, Consumer<Buffer> onNotify) {
        return RoleFakes.notModelled("Cluster.watch");
    }

    @Override
    default Future<Void> notify(PoolNamespace where, String object, Buffer payload) {
        return RoleFakes.notModelled("Cluster.notify");
    }
}
