package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.PoolNamespace;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;

/** The image directory of each pool and namespace: create, find, rename and delete image rows. */
final class ImageCatalog {
    private static final SecureRandom RANDOM = new SecureRandom();

    record Located(String id, long poolId, long dataPoolId) {
    }

    private ImageCatalog() {
    }

    static String create(Metadata.Tx tx, ImageSpec spec, ImageOptions options) throws SQLException {
        Names.checkImage(spec.name());
        long poolId = ClusterStore.poolNamespace(tx, spec.pool(), spec.namespace());
        long dataPoolId = poolId;
        if (options.dataPool() != null && !options.dataPool().isEmpty()) {
            Names.checkPool(options.dataPool());
            dataPoolId = tx.queryOne("SELECT id FROM pools WHERE name = ?", r -> r.getLong(1), options.dataPool())
                .orElseThrow(() -> ClusterException.notFound("data pool '" + options.dataPool() + "' does not exist"));
        }
        long features = FeatureRules.forCreate(options.features(), dataPoolId != poolId);
        FeatureRules.checkCreateLayout(features, options.size(), options.order());
        if (tx.queryOne("SELECT 1 FROM images WHERE pool_id = ? AND namespace = ? AND name = ?", r -> true,
                poolId, spec.namespace(), spec.name()).isPresent()) {
            throw ClusterException.exists("librbd: rbd image " + spec.name() + " already exists");
        }
        String id = newImageId(tx);
        long now = System.currentTimeMillis();
        tx.update("INSERT INTO images (id, pool_id, namespace, name, size, obj_order, features, data_pool_id,"
                + " created, accessed, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            id, poolId, spec.namespace(), spec.name(), options.size(), options.order(), features, dataPoolId,
            now, now, now);
        return id;
    }

    /** A 12-hex-digit id like librbd's, unique in the store. */
    private static String newImageId(Metadata.Tx tx) throws SQLException {
        while (true) {
            byte[] bytes = new byte[6];
            RANDOM.nextBytes(bytes);
            String id = HexFormat.of().formatHex(bytes);
            if (tx.queryOne("SELECT 1 FROM images WHERE id = ?", r -> true, id).isEmpty()) {
                return id;
            }
        }
    }

    static Located locate(Metadata.Tx tx, ImageSpec spec) throws SQLException {
        Names.checkImage(spec.name());
        long poolId = ClusterStore.poolNamespace(tx, spec.pool(), spec.namespace());
        return tx.queryOne("SELECT id, pool_id, data_pool_id FROM images WHERE pool_id = ? AND namespace = ? AND name = ?",
                r -> new Located(r.getString(1), r.getLong(2), r.getLong(3)), poolId, spec.namespace(), spec.name())
            .orElseThrow(() -> ClusterException.notFound("image " + spec + " does not exist"));
    }

    static Located locateById(Metadata.Tx tx, PoolNamespace where, String imageId) throws SQLException {
        long poolId = ClusterStore.poolNamespace(tx, where.pool(), where.namespace());
        return tx.queryOne("SELECT id, pool_id, data_pool_id FROM images WHERE pool_id = ? AND namespace = ? AND id = ?",
                r -> new Located(r.getString(1), r.getLong(2), r.getLong(3)), poolId, where.namespace(), imageId)
            .orElseThrow(() -> ClusterException.notFound("image id " + imageId + " does not exist in " + where));
    }

    /** Renames within the image's pool and namespace; returns the image id. */
    static String rename(Metadata.Tx tx, ImageSpec spec, String newName) throws SQLException {
        Names.checkImage(newName);
        Located image = renameSource(tx, spec);
        // the image itself holds the name too: librbd refuses renaming an image onto its own name
        if (tx.queryOne("SELECT 1 FROM images WHERE pool_id = ? AND namespace = ? AND name = ?", r -> true,
                image.poolId(), spec.namespace(), newName).isPresent()) {
            throw ClusterException.exists("librbd::Operations: rbd image " + newName + " already exists");
        }
        tx.update("UPDATE images SET name = ? WHERE id = ?", newName, image.id());
        return image.id();
    }

    /** The image a rename moves: librbd opens it first and logs why it could not. */
    private static Located renameSource(Metadata.Tx tx, ImageSpec spec) throws SQLException {
        try {
            return locate(tx, spec);
        } catch (ClusterException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
            throw ClusterException.notFound("librbd: error opening source image: " + Errno.ENOENT.describe());
        }
    }

    static void deleteImageRows(Metadata.Tx tx, String imageId) throws SQLException {
        tx.update("DELETE FROM object_versions WHERE image_id = ?", imageId);
        tx.update("DELETE FROM object_extents WHERE image_id = ?", imageId);
        tx.update("DELETE FROM snaps WHERE image_id = ?", imageId);
        tx.update("DELETE FROM mirror_images WHERE image_id = ?", imageId);
        tx.update("DELETE FROM omap WHERE object = ?", ImageStore.headerObject(imageId));
        tx.update("DELETE FROM images WHERE id = ?", imageId);
        JournalRows.delete(tx, imageId);
    }
}
