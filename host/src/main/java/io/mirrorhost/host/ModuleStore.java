package io.mirrorhost.host;

import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.cluster.ConfigKeyStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A module's {@link KeyValueStore}: the cluster's config-key store under {@code mgr/MODULE/}. */
final class ModuleStore implements KeyValueStore {
    private final ConfigKeyStore configKeys;
    private final String prefix;

    ModuleStore(ConfigKeyStore configKeys, String module) {
        this.configKeys = configKeys;
        this.prefix = "mgr/" + module + "/";
    }

    @Override
    public Future<Optional<String>> get(String key) {
        return configKeys.configKeyGet(prefix + key);
    }

    @Override
    public Future<Void> put(String key, String value) {
        return configKeys.configKeySet(prefix + key, value);
    }

    @Override
    public Future<Void> remove(String key) {
        return configKeys.configKeyRemove(prefix + key)
                .recover(e -> ClusterErrors.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    @Override
    public Future<Boolean> compareAndSet(String key, String expected, String value) {
        return configKeys.configKeyCompareAndSet(prefix + key, expected, value);
    }

    @Override
    public Future<Map<String, String>> list(String keyPrefix) {
        return configKeys.configKeyList(prefix + keyPrefix).map(found -> {
            Map<String, String> own = new TreeMap<>();
            found.forEach((k, v) -> own.put(k.substring(prefix.length()), v));
            return own;
        });
    }
}
