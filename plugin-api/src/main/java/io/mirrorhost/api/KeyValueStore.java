package io.mirrorhost.api;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;

/**
 * A module's own persistent store, as the {@code get_store}/{@code set_store} of Ceph's manager
 * modules: kept in the cluster, so it survives restarts and is shared by every host instance of
 * the site. Keys are the module's own; the host prefixes them with the module name.
 */
public interface KeyValueStore {
    Future<Optional<String>> get(String key);

    Future<Void> put(String key, String value);

    Future<Void> remove(String key);

    /** Every key starting with {@code prefix} (the empty prefix lists them all), in key order. */
    Future<Map<String, String>> list(String prefix);

    /**
     * Sets {@code key} to {@code value} only if it holds {@code expected} now ({@code null}: only if it is
     * absent), atomically across every host instance; true when it was set. Fails with EOPNOTSUPP where
     * the cluster cannot (Ceph's config-key store).
     */
    Future<Boolean> compareAndSet(String key, String expected, String value);
}
