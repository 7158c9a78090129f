package io.mirrorhost.embedded;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The store holds the cluster's client keys (admin and peers) in its metadata, so, as Ceph keeps its
 * keyrings, only the owner may read it: directories 0700, files 0600. The modes are set after
 * creation too, so no umask widens or narrows them, and on every open, so an older store is
 * tightened.
 */
final class OwnerOnly {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly() {
    }

    /** Creates {@code dir} (and missing parents) if needed and makes it the owner's alone. */
    static void directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
    }

    /** Creates {@code file} empty if it is missing and makes it the owner's alone. */
    static void file(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        if (POSIX) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /** Makes {@code file} the owner's alone if it exists. */
    static void ifExists(Path file) throws IOException {
        if (POSIX && Files.exists(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }
}
