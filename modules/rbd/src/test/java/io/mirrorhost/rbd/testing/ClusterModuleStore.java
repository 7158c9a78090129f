package io.mirrorhost.rbd.testing;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ConfigKeyStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The module's store as the host keeps it: the cluster's config-keys under {@code mgr/rbd/}, so it outlives the process. */
final class ClusterModuleStore implements KeyValueStore {
    private static final String PREFIX = "mgr/rbd/";
    private final ConfigKeyStore configKeys;

    ClusterModuleStore(ConfigKeyStore configKeys) {
        this.configKeys = configKeys;
    }

    @Override
    public Future<Optional<String>> get(String key) {
        return configKeys.configKeyGet(PREFIX + key);
    }

    @Override
    public Future<Void> put(String key, String value) {
        return configKeys.configKeySet(PREFIX + key, value);
    }

    @Override
    public Future<Void> remove(String key) {
        return configKeys.configKeyRemove(PREFIX + key).recover(e -> e instanceof ClusterException c
                && c.errno() == Errno.ENOENT ? Future.succeededFuture() : Future.failedFuture(e));
    }

    @Override
    public Future<Map<String, String>> list(String prefix) {
        return configKeys.configKeyList(PREFIX + prefix).map(found -> {
            Map<String, String> own = new TreeMap<>();
            found.forEach((k, v) -> own.put(k.substring(PREFIX.length()), v));
            return own;
        });
    }

    @Override
    public Future<Boolean> compareAndSet(String key, String expected, String value) {
        return configKeys.configKeyCompareAndSet(PREFIX + key, expected, value);
    }
}
