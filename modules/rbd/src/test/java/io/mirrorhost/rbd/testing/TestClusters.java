package io.mirrorhost.rbd.testing;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterProvider;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Opens the cluster the tests run against, through the backend's ClusterProvider: {@code embedded}
 * by default (a fresh store in a temp dir), or the backend named by the system property
 * {@code mirrorhost.test.backend}, with extra settings from properties
 * {@code mirrorhost.test.setting.<key>}.
 */
public final class TestClusters {
    public static final String BACKEND_PROPERTY = "mirrorhost.test.backend";
    private static final String SETTING_PREFIX = "mirrorhost.test.setting.";

    private TestClusters() {
    }

    public static Cluster open(Vertx vertx, Path dataDir) throws Exception {
        String backend = System.getProperty(BACKEND_PROPERTY, "embedded");
        Map<String, String> settings = new HashMap<>();
        settings.put("data_dir", dataDir.toString());
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith(SETTING_PREFIX))
                .forEach(name -> settings.put(name.substring(SETTING_PREFIX.length()), System.getProperty(name)));
        for (ClusterProvider provider : ServiceLoader.load(ClusterProvider.class)) {
            if (provider.name().equals(backend)) {
                return Await.result(provider.connect(vertx, settings));
            }
        }
        throw new IllegalStateException("no cluster backend '" + backend + "' on the test class path");
    }
}
