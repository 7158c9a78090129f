package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.JournalPeerClient;
import io.mirrorhost.api.cluster.JournalTag;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A journal's header in SQLite, as cls_journal keeps it in the {@code journal.<id>} omap: the
 * immutable layout, the minimum and active sets, the registered clients with their commit
 * positions, and the tags. The entries themselves are in the set files ({@link ImageJournal}).
 */
final class JournalRows {
    static final String[] TABLES = {
        "CREATE TABLE IF NOT EXISTS journals (image_id TEXT PRIMARY KEY, obj_order INTEGER NOT NULL,"
            + " splay_width INTEGER NOT NULL, max_payload INTEGER NOT NULL, minimum_set INTEGER NOT NULL,"
            + " active_set INTEGER NOT NULL, next_tag_tid INTEGER NOT NULL)",
        // positions: most recent first, "object:tag:entry" joined by ','; state CONNECTED or DISCONNECTED
        "CREATE TABLE IF NOT EXISTS journal_clients (image_id TEXT NOT NULL, id TEXT NOT NULL, state TEXT NOT NULL,"
            + " positions TEXT NOT NULL, PRIMARY KEY (image_id, id))",
        "CREATE TABLE IF NOT EXISTS journal_tags (image_id TEXT NOT NULL, tid INTEGER NOT NULL,"
            + " tag_class INTEGER NOT NULL, mirror_uuid TEXT NOT NULL, pred_mirror_uuid TEXT NOT NULL,"
            + " pred_commit_valid INTEGER NOT NULL, pred_tag_tid INTEGER NOT NULL, pred_entry_tid INTEGER NOT NULL,"
            + " PRIMARY KEY (image_id, tid))",
        // a peer client's MirrorPeerClientMeta: its local copy's image id and SYNCING or REPLAYING
        "CREATE TABLE IF NOT EXISTS journal_peer_clients (image_id TEXT NOT NULL, id TEXT NOT NULL,"
            + " peer_image_id TEXT NOT NULL, sync_state TEXT NOT NULL, PRIMARY KEY (image_id, id))",
    };
    /** librbd's {@code IMAGE_CLIENT_ID}: the image's own client. */
    static final String IMAGE_CLIENT = "";

    private JournalRows() {
    }

    record Header(JournalLayout layout, long minimumSet, long activeSet, long nextTagTid) {
    }

    record Client(String id, boolean connected, List<JournalPosition> positions) {
    }

    static void create(Metadata.Tx t, String imageId, JournalLayout layout) throws SQLException {
        t.update("INSERT INTO journals (image_id, obj_order, splay_width, max_payload, minimum_set, active_set,"
            + " next_tag_tid) VALUES (?, ?, ?, ?, 0, 0, 0)", imageId, layout.order(), layout.splayWidth(),
            layout.maxPayloadBytes());
        t.update("INSERT INTO journal_clients (image_id, id, state, positions) VALUES (?, ?, 'CONNECTED', '')",
            imageId, IMAGE_CLIENT);
    }

    static void delete(Metadata.Tx t, String imageId) throws SQLException {
        t.update("DELETE FROM journals WHERE image_id = ?", imageId);
        t.update("DELETE FROM journal_clients WHERE image_id = ?", imageId);
        t.update("DELETE FROM journal_tags WHERE image_id = ?", imageId);
        t.update("DELETE FROM journal_peer_clients WHERE image_id = ?", imageId);
    }

    static Optional<Header> header(Metadata.Tx t, String imageId) throws SQLException {
        return t.queryOne("SELECT obj_order, splay_width, max_payload, minimum_set, active_set, next_tag_tid"
            + " FROM journals WHERE image_id = ?", r -> new Header(new JournalLayout(r.getInt(1), r.getInt(2),
            r.getInt(3)), r.getLong(4), r.getLong(5), r.getLong(6)), imageId);
    }

    static List<Client> clients(Metadata.Tx t, String imageId) throws SQLException {
        return t.query("SELECT id, state, positions FROM journal_clients WHERE image_id = ? ORDER BY id",
            r -> new Client(r.getString(1), "CONNECTED".equals(r.getString(2)), decode(r.getString(3))), imageId);
    }

    record PeerMeta(String id, String imageId, JournalPeerClient.SyncState state) {
    }

    /** A new client, connected with an empty commit position, and its peer meta. */
    static void addPeer(Metadata.Tx t, String imageId, PeerMeta meta) throws SQLException {
        t.update("INSERT INTO journal_clients (image_id, id, state, positions) VALUES (?, ?, 'CONNECTED', '')",
            imageId, meta.id());
        setPeerMeta(t, imageId, meta);
    }

    static void setPeerMeta(Metadata.Tx t, String imageId, PeerMeta meta) throws SQLException {
        t.update("INSERT OR REPLACE INTO journal_peer_clients (image_id, id, peer_image_id, sync_state)"
            + " VALUES (?, ?, ?, ?)", imageId, meta.id(), meta.imageId(), meta.state().name());
    }

    static void removeClient(Metadata.Tx t, String imageId, String clientId) throws SQLException {
        t.update("DELETE FROM journal_clients WHERE image_id = ? AND id = ?", imageId, clientId);
        t.update("DELETE FROM journal_peer_clients WHERE image_id = ? AND id = ?", imageId, clientId);
    }

    static List<PeerMeta> peers(Metadata.Tx t, String imageId) throws SQLException {
        return t.query("SELECT id, peer_image_id, sync_state FROM journal_peer_clients WHERE image_id = ? ORDER BY id",
            r -> new PeerMeta(r.getString(1), r.getString(2), JournalPeerClient.SyncState.valueOf(r.getString(3))),
            imageId);
    }

    static void commit(Metadata.Tx t, String imageId, String clientId, List<JournalPosition> positions)
        throws SQLException {
        t.update("UPDATE journal_clients SET positions = ? WHERE image_id = ? AND id = ?", encode(positions), imageId,
            clientId);
    }

    static void setConnected(Metadata.Tx t, String imageId, String clientId, boolean connected) throws SQLException {
        t.update("UPDATE journal_clients SET state = ? WHERE image_id = ? AND id = ?",
            connected ? "CONNECTED" : "DISCONNECTED", imageId, clientId);
    }

    static void setActiveSet(Metadata.Tx t, String imageId, long set) throws SQLException {
        t.update("UPDATE journals SET active_set = ? WHERE image_id = ?", set, imageId);
    }

    static void setMinimumSet(Metadata.Tx t, String imageId, long set) throws SQLException {
        t.update("UPDATE journals SET minimum_set = ? WHERE image_id = ?", set, imageId);
    }

    private static final String TAG_COLUMNS = "SELECT tid, tag_class, mirror_uuid, pred_mirror_uuid, pred_commit_valid,"
        + " pred_tag_tid, pred_entry_tid FROM journal_tags WHERE image_id = ?";

    static Optional<JournalTag> lastTag(Metadata.Tx t, String imageId) throws SQLException {
        return t.queryOne(TAG_COLUMNS + " ORDER BY tid DESC LIMIT 1", JournalRows::tag, imageId);
    }

    /** Oldest first. */
    static List<JournalTag> tags(Metadata.Tx t, String imageId) throws SQLException {
        return t.query(TAG_COLUMNS + " ORDER BY tid", JournalRows::tag, imageId);
    }

    private static JournalTag tag(java.sql.ResultSet r) throws SQLException {
        return new JournalTag(r.getLong(1), r.getLong(2), r.getString(3), new JournalTag.Predecessor(r.getString(4),
            r.getInt(5) != 0, r.getLong(6), r.getLong(7)));
    }

    static void addTag(Metadata.Tx t, String imageId, JournalTag tag) throws SQLException {
        JournalTag.Predecessor p = tag.predecessor();
        t.update("INSERT INTO journal_tags (image_id, tid, tag_class, mirror_uuid, pred_mirror_uuid, pred_commit_valid,"
            + " pred_tag_tid, pred_entry_tid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", imageId, tag.tid(), tag.tagClass(),
            tag.mirrorUuid(), p.mirrorUuid(), p.commitValid() ? 1 : 0, p.tagTid(), p.entryTid());
        t.update("UPDATE journals SET next_tag_tid = ? WHERE image_id = ?", tag.tid() + 1, imageId);
    }

    static String encode(List<JournalPosition> positions) {
        return String.join(",", positions.stream().map(JournalPosition::compact).toList());
    }

    static List<JournalPosition> decode(String text) {
        List<JournalPosition> positions = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String p : text.split(",")) {
                positions.add(JournalPosition.parse(p));
            }
        }
        return List.copyOf(positions);
    }
}
