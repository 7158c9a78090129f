package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorSnapshotInfo;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The mirroring rows of the metadata database, what cls_rbd keeps in a pool's {@code rbd_mirroring}
 * object: the mode of each pool and namespace, the pool's mirror uuid and peers, the mirror record
 * of each image, and the site statuses of mirrored images. Every method runs inside the caller's
 * transaction.
 */
final class MirrorRecords {
    /** The object whose watchers hear of mirroring changes ({@code RBD_MIRRORING}). */
    static final String MIRRORING_OBJECT = "rbd_mirroring";
    static final String SITE_NAME_KEY = "rbd/mirror/site_name";
    static final String PEER_CLIENT_ID_KEY = "rbd/mirror/peer_client_id";
    private static final String PEER_KEY_PREFIX = "rbd/mirror/peer/";

    private MirrorRecords() {
    }

    /** librbd's promotion state of an image ({@code mirror::PromotionState}). */
    enum Promotion {
        PRIMARY, NON_PRIMARY, ORPHAN, UNKNOWN
    }

    /** An image's mirror record (cls_rbd {@code MirrorImage}) with what the rules need about the image. */
    record ImageRow(String imageId, String name, long poolId, String namespace, String globalId,
                    MirrorImageMode mode, MirrorImageState state, Promotion journalPromotion,
                    boolean resyncRequested, long features) {
    }

    static String peerAttributesKey(long poolId, String peerUuid) {
        return PEER_KEY_PREFIX + poolId + "/" + peerUuid;
    }

    // --- modes ---

    static MirrorMode mode(Metadata.Tx t, long poolId, String namespace) throws SQLException {
        String word = namespace.isEmpty()
            ? t.queryOne("SELECT mirror_mode FROM pools WHERE id = ?", r -> r.getString(1), poolId).orElseThrow()
            : t.queryOne("SELECT mirror_mode FROM namespaces WHERE pool_id = ? AND name = ?", r -> r.getString(1),
                poolId, namespace).orElseThrow();
        return MirrorMode.valueOf(word);
    }

    static void setMode(Metadata.Tx t, long poolId, String namespace, MirrorMode mode) throws SQLException {
        if (namespace.isEmpty()) {
            t.update("UPDATE pools SET mirror_mode = ? WHERE id = ?", mode.name(), poolId);
        } else {
            t.update("UPDATE namespaces SET mirror_mode = ? WHERE pool_id = ? AND name = ?", mode.name(), poolId,
                namespace);
        }
    }

    static boolean anyNamespaceMirrored(Metadata.Tx t, long poolId) throws SQLException {
        return t.queryOne("SELECT 1 FROM namespaces WHERE pool_id = ? AND mirror_mode <> 'DISABLED' LIMIT 1",
            r -> true, poolId).isPresent();
    }

    static Optional<String> mirrorUuid(Metadata.Tx t, long poolId) throws SQLException {
        return t.queryOne("SELECT coalesce(mirror_uuid, '') FROM pools WHERE id = ?", r -> r.getString(1), poolId)
            .filter(uuid -> !uuid.isEmpty());
    }

    static void setMirrorUuid(Metadata.Tx t, long poolId, String uuid) throws SQLException {
        t.update("UPDATE pools SET mirror_uuid = ? WHERE id = ?", uuid, poolId);
    }

    static String remoteNamespace(Metadata.Tx t, long poolId, String namespace) throws SQLException {
        if (namespace.isEmpty()) {
            return t.queryOne("SELECT remote_namespace FROM pools WHERE id = ?", r -> r.getString(1), poolId)
                .orElse("");
        }
        return t.queryOne("SELECT remote_namespace FROM namespaces WHERE pool_id = ? AND name = ?",
            r -> r.getString(1), poolId, namespace).orElse("");
    }

    static void setRemoteNamespace(Metadata.Tx t, long poolId, String namespace, String remote) throws SQLException {
        if (namespace.isEmpty()) {
            t.update("UPDATE pools SET remote_namespace = ? WHERE id = ?", remote, poolId);
        } else {
            t.update("UPDATE namespaces SET remote_namespace = ? WHERE pool_id = ? AND name = ?", remote, poolId,
                namespace);
        }
    }

    // --- peers ---

    static List<MirrorPeer> peers(Metadata.Tx t, long poolId) throws SQLException {
        return t.query("SELECT uuid, direction, site_name, mirror_uuid, client_name, last_seen FROM mirror_peers"
                + " WHERE pool_id = ? ORDER BY rowid", r -> {
                long seen = r.getLong(6);
                Instant lastSeen = r.wasNull() ? null : Instant.ofEpochMilli(seen);
                return new MirrorPeer(r.getString(1), MirrorPeerDirection.valueOf(r.getString(2)), r.getString(3),
                    r.getString(4), r.getString(5), lastSeen);
            }, poolId);
    }

    static Optional<MirrorPeer> peer(Metadata.Tx t, long poolId, String uuid) throws SQLException {
        return peers(t, poolId).stream().filter(p -> p.uuid().equals(uuid)).findFirst();
    }

    static void addPeer(Metadata.Tx t, long poolId, MirrorPeer peer) throws SQLException {
        t.update("INSERT INTO mirror_peers (pool_id, uuid, direction, site_name, mirror_uuid, client_name, last_seen)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", poolId, peer.uuid(), peer.direction().name(), peer.siteName(),
            peer.mirrorUuid(), peer.clientName(), peer.lastSeen() == null ? null : peer.lastSeen().toEpochMilli());
    }

    static void updatePeer(Metadata.Tx t, long poolId, MirrorPeer peer) throws SQLException {
        t.update("UPDATE mirror_peers SET direction = ?, site_name = ?, mirror_uuid = ?, client_name = ?, last_seen = ?"
                + " WHERE pool_id = ? AND uuid = ?", peer.direction().name(), peer.siteName(), peer.mirrorUuid(),
            peer.clientName(), peer.lastSeen() == null ? null : peer.lastSeen().toEpochMilli(), poolId, peer.uuid());
    }

    static boolean removePeer(Metadata.Tx t, long poolId, String uuid) throws SQLException {
        t.update("DELETE FROM config_keys WHERE key = ?", peerAttributesKey(poolId, uuid));
        return t.update("DELETE FROM mirror_peers WHERE pool_id = ? AND uuid = ?", poolId, uuid) > 0;
    }

    // --- images ---

    private static final String IMAGE_COLUMNS = "SELECT i.id, i.name, i.pool_id, i.namespace, m.global_id, m.mode,"
        + " m.state, m.promotion, m.resync_requested, i.features FROM mirror_images m JOIN images i ON i.id = m.image_id";

    private static ImageRow imageRow(java.sql.ResultSet r) throws SQLException {
        String mode = r.getString(6);
        return new ImageRow(r.getString(1), r.getString(2), r.getLong(3), r.getString(4), r.getString(5),
            mode == null ? MirrorImageMode.JOURNAL : MirrorImageMode.valueOf(mode),
            MirrorImageState.valueOf(r.getString(7)), Promotion.valueOf(r.getString(8)), r.getInt(9) != 0,
            r.getLong(10));
    }

    /** The image's mirror record, if mirroring is enabled (or being disabled) on it. */
    static Optional<ImageRow> image(Metadata.Tx t, String imageId) throws SQLException {
        return t.queryOne(IMAGE_COLUMNS + " WHERE m.image_id = ? AND m.state <> 'DISABLED'", MirrorRecords::imageRow,
            imageId);
    }

    /** The mirrored images of a pool's namespace, by image id. */
    static List<ImageRow> images(Metadata.Tx t, long poolId, String namespace) throws SQLException {
        return t.query(IMAGE_COLUMNS + " WHERE i.pool_id = ? AND i.namespace = ? AND m.state <> 'DISABLED'"
            + " ORDER BY i.id", MirrorRecords::imageRow, poolId, namespace);
    }

    static Optional<ImageRow> imageByGlobalId(Metadata.Tx t, long poolId, String namespace, String globalId)
        throws SQLException {
        return t.queryOne(IMAGE_COLUMNS + " WHERE i.pool_id = ? AND i.namespace = ? AND m.global_id = ?"
            + " AND m.state <> 'DISABLED'", MirrorRecords::imageRow, poolId, namespace, globalId);
    }

    /** Records mirroring as enabled and primary with a new global id; returns the id. */
    static String enableImage(Metadata.Tx t, String imageId, MirrorImageMode mode) throws SQLException {
        String globalId = UUID.randomUUID().toString();
        t.update("INSERT OR REPLACE INTO mirror_images (image_id, global_id, mode, state, is_primary, resync_requested,"
            + " promotion) VALUES (?, ?, ?, 'ENABLED', 1, 0, 'PRIMARY')", imageId, globalId, mode.name());
        return globalId;
    }

    static void setJournalPromotion(Metadata.Tx t, String imageId, Promotion promotion) throws SQLException {
        t.update("UPDATE mirror_images SET promotion = ?, is_primary = ? WHERE image_id = ?", promotion.name(),
            promotion == Promotion.PRIMARY ? 1 : 0, imageId);
    }

    static void setResyncRequested(Metadata.Tx t, String imageId, boolean requested) throws SQLException {
        t.update("UPDATE mirror_images SET resync_requested = ? WHERE image_id = ?", requested ? 1 : 0, imageId);
    }

    /** Forgets the image's mirroring: its record and the statuses of its global id. */
    static void disableImage(Metadata.Tx t, ImageRow image) throws SQLException {
        t.update("DELETE FROM mirror_statuses WHERE pool_id = ? AND namespace = ? AND global_id = ?", image.poolId(),
            image.namespace(), image.globalId());
        t.update("DELETE FROM mirror_images WHERE image_id = ?", image.imageId());
    }

    /**
     * The promotion state of a snapshot-mode image, from its newest mirror-snapshot as librbd's
     * {@code GetInfoRequest} decides it.
     */
    static Promotion snapshotPromotion(Metadata.Tx t, String imageId) throws SQLException {
        Optional<String> newest = t.queryOne("SELECT mirror FROM snaps WHERE image_id = ? AND mirror IS NOT NULL"
            + " ORDER BY snap_id DESC LIMIT 1", r -> r.getString(1), imageId);
        return newest.map(json -> promotionOf(MirrorSnapshotCodec.decode(json))).orElse(Promotion.UNKNOWN);
    }

    static Promotion promotionOf(MirrorSnapshotInfo newest) {
        if (newest == null) {
            return Promotion.UNKNOWN;
        }
        return switch (newest.state()) {
            case PRIMARY -> Promotion.PRIMARY;
            case NON_PRIMARY -> Promotion.NON_PRIMARY;
            case PRIMARY_DEMOTED, NON_PRIMARY_DEMOTED -> Promotion.ORPHAN;
        };
    }

    static Promotion promotion(Metadata.Tx t, ImageRow image) throws SQLException {
        return image.mode() == MirrorImageMode.SNAPSHOT ? snapshotPromotion(t, image.imageId())
            : image.journalPromotion();
    }

}
