package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;

/**
 * The monitor's config-key store ({@code ceph config-key get/set/rm/ls}), shared by every client of
 * the site: the host keeps module state and options there, the schedule module its schedules and
 * lease, {@code rbd mirror pool peer} commands the peers' connection attributes. Read when a value
 * is needed, written when a command or lease changes it.
 */
public interface ConfigKeyStore {

    Future<Optional<String>> configKeyGet(String key);

    Future<Void> configKeySet(String key, String value);

    Future<Void> configKeyRemove(String key);

    Future<Map<String, String>> configKeyList(String prefix);

    /**
     * Sets {@code key} to {@code value} only if it holds {@code expected} now ({@code null}: only if it is
     * absent), atomically; true when it was set. What a lease needs to have one holder. The monitor's
     * config-key service has no such operation: the Ceph backend fails with EOPNOTSUPP.
     */
    Future<Boolean> configKeyCompareAndSet(String key, String expected, String value);
}
