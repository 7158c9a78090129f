package io.mirrorhost.api.testing;

import io.mirrorhost.api.KeyValueStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** A module store in memory, for tests: shared by whoever holds it, as the cluster-backed one is. */
public final class InMemoryKeyValueStore implements KeyValueStore {
    private final TreeMap<String, String> values = new TreeMap<>();

    @Override
    public synchronized Future<Optional<String>> get(String key) {
        return Future.succeededFuture(Optional.ofNullable(values.get(key)));
    }

    @Override
    public synchronized Future<Void> put(String key, String value) {
        values.put(key, value);
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Void> remove(String key) {
        values.remove(key);
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Boolean> compareAndSet(String key, String expected, String value) {
        if (!Objects.equals(values.get(key), expected)) {
            return Future.succeededFuture(false);
        }
        values.put(key, value);
        return Future.succeededFuture(true);
    }

    @Override
    public synchronized Future<Map<String, String>> list(String prefix) {
        Map<String, String> found = new TreeMap<>();
        values.tailMap(prefix, true).forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                found.put(k, v);
            }
        });
        return Future.succeededFuture(found);
    }
}
