package io.mirrorhost.cli.guide;

import io.mirrorhost.host.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real modules and the embedded backend, which cli's surefire configuration keeps off the test class
 * path (its other end-to-end tests run the host's test modules). They are loaded here from where Maven put
 * the host's own runtime dependencies: next to the host jar in the local repository, or in
 * {@code host/target/lib} when the host comes from its build directory.
 */
final class ModuleJars {
    static final List<String> ARTIFACTS = List.of("backend-embedded", "module-rbd", "module-replayer",
            "module-mirror-status", "module-mirror-snapshot-schedule");

    private ModuleJars() {
    }

    /** A loader of the real modules and backend, delegating everything else to the test class path. */
    static URLClassLoader loader() {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars()) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return new URLClassLoader("guide-modules", urls.toArray(URL[]::new), ModuleJars.class.getClassLoader());
    }

    static List<Path> jars() {
        Path hostLocation = hostLocation();
        List<Path> jars = new ArrayList<>();
        for (String artifact : ARTIFACTS) {
            jars.add(find(hostLocation, artifact));
        }
        return jars;
    }

    private static Path hostLocation() {
        try {
            return Path.of(Host.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path find(Path hostLocation, String artifact) {
        // in a build directory (host/target/classes or, in a reactor build, host/target/host-<v>.jar)
        // the host's runtime dependencies were copied to host/target/lib
        Path buildLib = hostLocation.getParent().resolve("lib");
        if (Files.isRegularFile(hostLocation) && !Files.isDirectory(buildLib)) {
            // ~/.m2/repository/io/mirrorhost/host/<version>/host-<version>.jar
            Path versionDir = hostLocation.getParent();
            String version = versionDir.getFileName().toString();
            Path jar = versionDir.getParent().getParent().resolve(artifact).resolve(version)
                    .resolve(artifact + "-" + version + ".jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
            throw new IllegalStateException(jar + " not found: run mvn -q -B install -DskipTests");
        }
        Path lib = buildLib;
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(p -> p.getFileName().toString().startsWith(artifact + "-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(artifact + " not in " + lib
                            + ": run mvn -q -B install -DskipTests"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
