package io.mirrorhost.host;

import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.cluster.Cluster;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A module's {@link KeyValueStore}: the cluster's config-key store under {@code mgr/MODULE/}. */
final class ModuleStore implements KeyValueStore {
    private final Cluster cluster;
    private final String prefix;

    ModuleStore(Cluster cluster, String module) {
        this.cluster = cluster;
        this.prefix = "mgr/" + module + "/";
    }

    @Override
    public Future<Optional<String>> get(String key) {
        return cluster.configKeyGet(prefix + key);
    }

    @Override
    public Future<Void> put(String key, String value) {
        return cluster.configKeySet(prefix + key, value);
    }

    @Override
    public Future<Void> remove(String key) {
        return cluster.configKeyRemove(prefix + key)
                .recover(e -> ClusterErrors.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    @Override
    public Future<Boolean> compareAndSet(String key, String expected, String value) {
        return cluster.configKeyCompareAndSet(prefix + key, expected, value);
    }

    @Override
    public Future<Map<String, String>> list(String keyPrefix) {
        return cluster.configKeyList(prefix + keyPrefix).map(found -> {
            Map<String, String> own = new TreeMap<>();
            found.forEach((k, v) -> own.put(k.substring(prefix.length()), v));
            return own;
        });
    }
}
