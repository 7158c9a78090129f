package io.mirrorhost.host.testing;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.mirrorhost.api.cluster.PeerConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test double of a backend, named "memory": a cluster whose config-key store is a map, written to
 * {@code state_file} after every change when the conf names one (so a restarted host process finds it
 * again; hosts in one JVM naming the same file share the store live).
 * Every other cluster call fails with EOPNOTSUPP.
 */
public final class MemoryClusterProvider implements ClusterProvider {
    /** Hosts of one JVM naming the same state file share one store, as host instances share a cluster. */
    private static final Map<Path, ConfigKeys> SHARED = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Future<Cluster> connect(Vertx vertx, Map<String, String> settings) {
        String file = settings.get("state_file");
        ConfigKeys keys = file == null ? new ConfigKeys(null)
                : SHARED.computeIfAbsent(Path.of(file).toAbsolutePath(), ConfigKeys::new);
        return Future.succeededFuture(cluster(keys));
    }

    @Override
    public Future<Cluster> connectPeer(Vertx vertx, PeerConnection peer) {
        return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP, "the memory backend has no peers"));
    }

    private static Cluster cluster(ConfigKeys keys) {
        return (Cluster) Proxy.newProxyInstance(Cluster.class.getClassLoader(), new Class<?>[] {Cluster.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "fsid" -> "memory-fsid";
                    case "clientName" -> "client.admin";
                    case "configKeyGet" -> Future.succeededFuture(keys.get((String) args[0]));
                    case "configKeySet" -> keys.set((String) args[0], (String) args[1]);
                    case "configKeyRemove" -> keys.remove((String) args[0]);
                    case "configKeyList" -> Future.succeededFuture(keys.list((String) args[0]));
                    case "close" -> Future.succeededFuture();
                    case "toString" -> "MemoryCluster";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP,
                            "the memory backend does not implement " + method.getName()));
                });
    }

    /** The config-key store, optionally saved to a properties file. */
    private static final class ConfigKeys {
        private final TreeMap<String, String> values = new TreeMap<>();
        private final Path file;

        ConfigKeys(Path file) {
            this.file = file;
            if (file != null && Files.exists(file)) {
                Properties saved = new Properties();
                try (Reader in = Files.newBufferedReader(file)) {
                    saved.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                saved.stringPropertyNames().forEach(k -> values.put(k, saved.getProperty(k)));
            }
        }

        synchronized Optional<String> get(String key) {
            return Optional.ofNullable(values.get(key));
        }

        synchronized Future<Void> set(String key, String value) {
            values.put(key, value);
            return save();
        }

        synchronized Future<Void> remove(String key) {
            if (values.remove(key) == null) {
                return Future.failedFuture(ClusterException.notFound("no config-key " + key));
            }
            return save();
        }

        synchronized Map<String, String> list(String prefix) {
            Map<String, String> found = new TreeMap<>();
            values.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    found.put(k, v);
                }
            });
            return found;
        }

        private Future<Void> save() {
            if (file == null) {
                return Future.succeededFuture();
            }
            Properties out = new Properties();
            out.putAll(values);
            try (Writer w = Files.newBufferedWriter(file)) {
                out.store(w, "memory cluster config-keys");
                return Future.succeededFuture();
            } catch (IOException e) {
                return Future.failedFuture(new ClusterException(Errno.EIO, "cannot save " + file, e));
            }
        }
    }
}
