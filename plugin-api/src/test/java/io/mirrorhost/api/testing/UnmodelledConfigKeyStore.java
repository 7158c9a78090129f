package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.ConfigKeyStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ConfigKeyStore} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledConfigKeyStore extends ConfigKeyStore {

    @Override
    default Future<Optional<String>> configKeyGet(String key) {
        return RoleFakes.notModelled("Cluster.configKeyGet");
    }

    @Override
    default Future<Void> configKeySet(String key, String value) {
        return RoleFakes.notModelled("Cluster.configKeySet");
    }

    @Override
    default Future<Void> configKeyRemove(String key) {
        return RoleFakes.notModelled("Cluster.configKeyRemove");
    }

    @Override
    default Future<Map<String, String>> configKeyList(String prefix) {
        return RoleFakes.notModelled("Cluster.configKeyList");
    }

    @Override
    default Future<Boolean> configKeyCompareAndSet(String key, String expected, String value) {
        return RoleFakes.notModelled("Cluster.configKeyCompareAndSet");
    }
}
