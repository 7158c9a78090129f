package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.JournalBatch;
import io.mirrorhost.api.cluster.JournalInfo;
import io.mirrorhost.api.cluster.JournalPeerClient;
import io.mirrorhost.api.cluster.JournalStatus;
import io.mirrorhost.api.cluster.JournalTag;
import io.mirrorhost.api.cluster.PoolNamespace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link io.mirrorhost.api.cluster.Journals} calls on the journal headers ({@link JournalRows})
 * and set files; each runs in one transaction on the cluster lane. A peer client's commit trims
 * nothing itself: the image's journal trims at its next flush, as Ceph's trimmer runs in the
 * image's owner.
 */
final class EmbeddedJournals {
    private EmbeddedJournals() {
    }

    static JournalInfo info(Metadata.Tx t, PoolNamespace where, String journalId) throws SQLException {
        ImageCatalog.Located image = locate(t, where, journalId);
        JournalRows.Header h = header(t, journalId);
        return new JournalInfo(journalId, image.poolId(), h.layout().order(), h.layout().splayWidth(), null);
    }

    static JournalStatus status(Metadata.Tx t, PoolNamespace where, String journalId) throws SQLException {
        locate(t, where, journalId);
        JournalRows.Header h = header(t, journalId);
        List<JournalStatus.JournalClient> clients = new ArrayList<>();
        for (JournalRows.Client c : JournalRows.clients(t, journalId)) {
            clients.add(new JournalStatus.JournalClient(c.id(), objectPositions(c.positions()), c.connected()));
        }
        return new JournalStatus(h.minimumSet(), h.activeSet(), clients);
    }

    /** Ceph's {@code rbd journal client disconnect}: every client but the image's own, or just {@code clientId}. */
    static List<String> disconnect(Metadata.Tx t, PoolNamespace where, String journalId, String clientId)
        throws SQLException {
        locate(t, where, journalId);
        header(t, journalId);
        List<String> disconnected = new ArrayList<>();
        for (JournalRows.Client c : JournalRows.clients(t, journalId)) {
            boolean chosen = clientId == null ? !c.id().equals(JournalRows.IMAGE_CLIENT) : c.id().equals(clientId);
            if (chosen) {
                JournalRows.setConnected(t, journalId, c.id(), false);
                disconnected.add(c.id());
            }
        }
        if (disconnected.isEmpty()) {
            throw ClusterException.notFound(clientId == null ? "no registered clients to disconnect"
                : "warning: client " + clientId + " is not registered");
        }
        return disconnected;
    }

    static Void register(Metadata.Tx t, PoolNamespace where, String journalId, JournalRows.PeerMeta meta)
        throws SQLException {
        locate(t, where, journalId);
        header(t, journalId);
        if (client(t, journalId, meta.id()).isPresent()) {
            throw new ClusterException(Errno.EEXIST, "client " + meta.id() + " is already registered");
        }
        JournalRows.addPeer(t, journalId, meta);
        return null;
    }

    static Void update(Metadata.Tx t, PoolNamespace where, String journalId, JournalRows.PeerMeta meta)
        throws SQLException {
        registered(t, where, journalId, meta.id());
        JournalRows.setPeerMeta(t, journalId, meta);
        return null;
    }

    static Void unregister(Metadata.Tx t, PoolNamespace where, String journalId, String clientId) throws SQLException {
        registered(t, where, journalId, clientId);
        JournalRows.removeClient(t, journalId, clientId);
        return null;
    }

    static List<JournalPeerClient> peers(Metadata.Tx t, PoolNamespace where, String journalId) throws SQLException {
        locate(t, where, journalId);
        header(t, journalId);
        Map<String, JournalRows.Client> clients = new HashMap<>();
        for (JournalRows.Client c : JournalRows.clients(t, journalId)) {
            clients.put(c.id(), c);
        }
        List<JournalPeerClient> peers = new ArrayList<>();
        for (JournalRows.PeerMeta meta : JournalRows.peers(t, journalId)) {
            JournalRows.Client c = clients.get(meta.id());
            peers.add(new JournalPeerClient(meta.id(), meta.imageId(), meta.state(), objectPositions(c.positions()),
                c.connected()));
        }
        return peers;
    }

    /** The client's position after it committed {@code position}, most recent first and one per splay offset. */
    static Void commit(Metadata.Tx t, PoolNamespace where, String journalId, String clientId,
                       JournalStatus.ObjectPosition position) throws SQLException {
        JournalRows.Client c = registered(t, where, journalId, clientId);
        JournalLayout layout = header(t, journalId).layout();
        JournalRows.commit(t, journalId, clientId, layout.committed(c.positions(),
            new JournalPosition(position.objectNumber(), position.tagTid(), position.entryTid())));
        return null;
    }

    static List<JournalTag> tags(Metadata.Tx t, PoolNamespace where, String journalId) throws SQLException {
        locate(t, where, journalId);
        header(t, journalId);
        return JournalRows.tags(t, journalId);
    }

    /** The header, read in a transaction before {@link #read} scans the set files it names. */
    static JournalRows.Header readableHeader(Metadata.Tx t, PoolNamespace where, String journalId) throws SQLException {
        locate(t, where, journalId);
        return header(t, journalId);
    }

    /**
     * Scans the sets from the minimum to the active one and returns the batch after {@code after};
     * at least one entry when there is one. With the image open ({@code durable} not null) the scan
     * ends where the journal is durable, so a peer never applies an entry its primary could still
     * lose; else a frame still being written ends it.
     */
    static JournalBatch read(Path dataDir, String journalId, JournalRows.Header header, ImageJournal.DurableEnd durable,
                             JournalStatus.ObjectPosition after, int maxEntries, long maxBytes) throws IOException {
        Path dir = ImageJournal.dir(dataDir, journalId);
        List<JournalBatch.Entry> entries = new ArrayList<>();
        boolean found = after == null;
        long bytes = 0;
        long lastSet = durable == null ? header.activeSet() : Math.min(header.activeSet(), durable.set());
        for (long set = header.minimumSet(); set <= lastSet; set++) {
            long limit = durable != null && set == durable.set() ? durable.bytes() : Long.MAX_VALUE;
            for (JournalEntry e : scanSet(dir, set, limit)) {
                JournalStatus.ObjectPosition at = new JournalStatus.ObjectPosition(
                    header.layout().objectNumber(set, e.entryTid()), e.tagTid(), e.entryTid());
                if (!found) {
                    found = at.equals(after);
                    continue;
                }
                if (entries.size() == maxEntries || (!entries.isEmpty() && bytes + e.payload().length > maxBytes)) {
                    return new JournalBatch(entries, false);
                }
                JournalEvents.Timed timed = JournalEvents.decode(e.payload());
                entries.add(new JournalBatch.Entry(at, timed.timestampMillis(), timed.event()));
                bytes += e.payload().length;
            }
        }
        if (!found) {
            throw ClusterException.notFound("journal " + journalId + " no longer holds position " + after);
        }
        return new JournalBatch(entries, true);
    }

    /**
     * A set's entries in its first {@code limit} bytes; none when it is not there (not begun, or
     * trimmed since the header was read).
     */
    private static List<JournalEntry> scanSet(Path dir, long set, long limit) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(ImageJournal.setFile(dir, set));
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return JournalFraming.scan(ByteBuffer.wrap(bytes, 0, (int) Math.min(bytes.length, limit))).entries();
    }

    private static Optional<JournalRows.Client> client(Metadata.Tx t, String journalId, String clientId)
        throws SQLException {
        return JournalRows.clients(t, journalId).stream().filter(c -> c.id().equals(clientId)).findFirst();
    }

    private static JournalRows.Client registered(Metadata.Tx t, PoolNamespace where, String journalId, String clientId)
        throws SQLException {
        locate(t, where, journalId);
        header(t, journalId);
        return client(t, journalId, clientId).orElseThrow(() -> ClusterException.notFound("client " + clientId
            + " is not registered"));
    }

    private static List<JournalStatus.ObjectPosition> objectPositions(List<JournalPosition> positions) {
        return positions.stream()
            .map(p -> new JournalStatus.ObjectPosition(p.objectNumber(), p.tagTid(), p.entryTid())).toList();
    }

    private static ImageCatalog.Located locate(Metadata.Tx t, PoolNamespace where, String journalId) throws SQLException {
        try {
            return ImageCatalog.locateById(t, where, journalId);
        } catch (ClusterException e) {
            throw noJournal(journalId);
        }
    }

    private static JournalRows.Header header(Metadata.Tx t, String journalId) throws SQLException {
        return JournalRows.header(t, journalId).orElseThrow(() -> noJournal(journalId));
    }

    private static ClusterException noJournal(String journalId) {
        return new ClusterException(Errno.ENOENT, "failed to get journal metadata: " + Errno.ENOENT.describe());
    }
}
