package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.JournalInfo;
import io.mirrorhost.api.cluster.JournalStatus;
import io.mirrorhost.api.cluster.PoolNamespace;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link io.mirrorhost.api.cluster.Journals} calls on the journal headers ({@link JournalRows});
 * each runs in one transaction on the cluster lane.
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
            clients.add(new JournalStatus.JournalClient(c.id(), c.positions().stream()
                .map(p -> new JournalStatus.ObjectPosition(p.objectNumber(), p.tagTid(), p.entryTid())).toList(),
                c.connected()));
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
