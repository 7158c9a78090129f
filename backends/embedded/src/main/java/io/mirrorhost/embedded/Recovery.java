package io.mirrorhost.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Brings the object files in line with the committed metadata after a crash: files that no
 * committed version points at (written before a flush or header change committed, or left after
 * a version was dropped) are deleted. Referenced files are never touched.
 */
final class Recovery {
    private final Path dataDir;
    private final Metadata metadata;

    Recovery(Path dataDir, Metadata metadata) {
        this.dataDir = dataDir;
        this.metadata = metadata;
    }

    void removeOrphans() throws IOException, SQLException {
        List<Path> orphans = new ArrayList<>(findOrphans());
        orphans.addAll(findOrphanJournals());
        for (Path orphan : orphans) {
            if (Files.isDirectory(orphan)) {
                deleteTree(orphan);
            } else {
                Files.deleteIfExists(orphan);
            }
        }
    }

    /** Journal directories of images that have no journal (its image removed, or journaling turned off). */
    List<Path> findOrphanJournals() throws IOException, SQLException {
        Set<String> journals = new HashSet<>(metadata.transaction(tx -> tx.query("SELECT image_id FROM journals",
            r -> r.getString(1))));
        List<Path> orphans = new ArrayList<>();
        for (Path dir : list(dataDir.resolve(ImageJournal.DIR))) {
            if (!journals.contains(dir.getFileName().toString())) {
                orphans.add(dir);
            }
        }
        return orphans;
    }

    /** Files and directories under objects/ that the metadata does not reference. */
    List<Path> findOrphans() throws IOException, SQLException {
        Map<String, Long> dataPoolOfImage = new HashMap<>();
        Set<String> referenced = new HashSet<>();
        metadata.transaction(tx -> {
            tx.query("SELECT id, data_pool_id FROM images", r -> dataPoolOfImage.put(r.getString(1), r.getLong(2)));
            tx.query("SELECT image_id, objno, gen FROM object_versions",
                r -> referenced.add(r.getString(1) + "/" + ObjectFiles.fileName(r.getLong(2), r.getLong(3))));
            return null;
        });
        List<Path> orphans = new ArrayList<>();
        Path objects = dataDir.resolve(ClusterStore.OBJECTS_DIR);
        if (!Files.isDirectory(objects)) {
            return orphans;
        }
        for (Path poolDir : list(objects)) {
            for (Path imageDir : list(poolDir)) {
                String imageId = imageDir.getFileName().toString();
                Long dataPool = dataPoolOfImage.get(imageId);
                if (dataPool == null || !poolDir.getFileName().toString().equals(Long.toString(dataPool))) {
                    orphans.add(imageDir);
                    continue;
                }
                for (Path file : list(imageDir)) {
                    if (!referenced.contains(imageId + "/" + file.getFileName())) {
                        orphans.add(file);
                    }
                }
            }
        }
        return orphans;
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
