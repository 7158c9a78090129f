package io.mirrorhost.embedded;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * An image's {@link VersionIndex} in SQLite: {@code object_versions} (one row per version, died
 * NULL for the head) and {@code object_extents} (a version's written ranges and overlay flag;
 * versions from stores older than the table have none and read their whole file). Read and written
 * inside the caller's transaction.
 */
final class VersionRows {
    private VersionRows() {
    }

    /** Loads every version of the image into {@code index}. */
    static void load(Metadata.Tx tx, String imageId, VersionIndex index) throws SQLException {
        tx.query("SELECT objno, gen, born, died FROM object_versions WHERE image_id = ? ORDER BY objno, gen", r -> {
            long died = r.getLong(4);
            if (r.wasNull()) {
                died = ObjectVersion.HEAD;
            }
            index.load(new ObjectVersion(r.getLong(1), r.getLong(2), r.getLong(3), died));
            return null;
        }, imageId);
        tx.query("SELECT objno, gen, overlay, extents FROM object_extents WHERE image_id = ?", r -> {
            for (ObjectVersion v : index.versions(r.getLong(1))) {
                if (v.gen == r.getLong(2)) {
                    v.overlay = r.getInt(3) != 0;
                    v.written = ExtentSet.decode(r.getBytes(4));
                }
            }
            return null;
        }, imageId);
    }

    /** Replaces the rows of {@code objnos} with the versions {@code versionsOf} gives (none: the object is gone). */
    static void save(Metadata.Tx tx, String imageId, Set<Long> objnos, LongFunction<List<ObjectVersion>> versionsOf)
        throws SQLException {
        if (objnos.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = tx.prepare("DELETE FROM object_versions WHERE image_id = ? AND objno = ?");
             PreparedStatement deleteExtents = tx.prepare("DELETE FROM object_extents WHERE image_id = ? AND objno = ?");
             PreparedStatement insertExtents = tx.prepare(
                 "INSERT INTO object_extents (image_id, objno, gen, overlay, extents) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement insert = tx.prepare(
                 "INSERT INTO object_versions (image_id, objno, gen, born, died) VALUES (?, ?, ?, ?, ?)")) {
            for (long objno : objnos) {
                delete.setString(1, imageId);
                delete.setLong(2, objno);
                delete.addBatch();
                deleteExtents.setString(1, imageId);
                deleteExtents.setLong(2, objno);
                deleteExtents.addBatch();
                for (ObjectVersion v : versionsOf.apply(objno)) {
                    if (v.written != null) {
                        insertExtents.setString(1, imageId);
                        insertExtents.setLong(2, v.objno);
                        insertExtents.setLong(3, v.gen);
                        insertExtents.setInt(4, v.overlay ? 1 : 0);
                        insertExtents.setBytes(5, v.written.encode());
                        insertExtents.addBatch();
                    }
                    insert.setString(1, imageId);
                    insert.setLong(2, v.objno);
                    insert.setLong(3, v.gen);
                    insert.setLong(4, v.born);
                    if (v.isHead()) {
                        insert.setNull(5, Types.INTEGER);
                    } else {
                        insert.setLong(5, v.died);
                    }
                    insert.addBatch();
                }
            }
            delete.executeBatch();
            deleteExtents.executeBatch();
            insert.executeBatch();
            insertExtents.executeBatch();
        }
    }
}
