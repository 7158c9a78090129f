package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The site statuses daemons record for mirrored images ({@code mirror_image_status_set}).
 *
 * <p>cls_rbd reports a status {@code up} while its writer still watches the pool's
 * {@code rbd_mirroring} object. Here a status is up while it was reported up and refreshed within two
 * status intervals: a daemon rewrites every status at least every {@link #STATUS_INTERVAL} (rbd-mirror's
 * MirrorStatusUpdater does every 30 s), so a writer that died reads as down within a minute; and at once
 * when the {@link ServiceRegistry} sees its writer go (connection closed, daemon stopped: {@link #markDown}).
 */
final class MirrorStatuses {
    static final Duration STATUS_INTERVAL = Duration.ofSeconds(30);
    static final Duration UP_WINDOW = STATUS_INTERVAL.multipliedBy(2);

    private MirrorStatuses() {
    }

    /** Whether a status reported {@code reportedUp} at {@code lastUpdate} still counts as up at {@code now}. */
    static boolean isUp(boolean reportedUp, Instant lastUpdate, Instant now) {
        return reportedUp && !lastUpdate.plus(UP_WINDOW).isBefore(now);
    }

    static List<MirrorImageSiteStatus> of(Metadata.Tx t, long poolId, String namespace, String globalId, Instant now)
        throws SQLException {
        return t.query("SELECT mirror_uuid, state, description, last_update, up FROM mirror_statuses"
                + " WHERE pool_id = ? AND namespace = ? AND global_id = ? ORDER BY mirror_uuid", r -> {
                Instant lastUpdate = Instant.ofEpochMilli(r.getLong(4));
                return new MirrorImageSiteStatus(r.getString(1), MirrorImageStatusState.valueOf(r.getString(2)),
                    r.getString(3), lastUpdate, isUp(r.getInt(5) != 0, lastUpdate, now));
            }, poolId, namespace, globalId);
    }

    static void set(Metadata.Tx t, long poolId, String namespace, String globalId, MirrorImageSiteStatus status,
                    Instant now) throws SQLException {
        t.update("INSERT OR REPLACE INTO mirror_statuses (pool_id, namespace, global_id, mirror_uuid, state,"
                + " description, last_update, up) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", poolId, namespace, globalId,
            status.mirrorUuid() == null ? "" : status.mirrorUuid(), status.state().name(),
            status.description() == null ? "" : status.description(), now.toEpochMilli(), status.up() ? 1 : 0);
    }

    static void remove(Metadata.Tx t, long poolId, String namespace, String globalId, String mirrorUuid)
        throws SQLException {
        t.update("DELETE FROM mirror_statuses WHERE pool_id = ? AND namespace = ? AND global_id = ? AND mirror_uuid = ?",
            poolId, namespace, globalId, mirrorUuid == null ? "" : mirrorUuid);
    }

    /** The status reads as down from now on (its writer went away), keeping its state and last update. */
    static void markDown(Metadata.Tx t, long poolId, String namespace, String globalId, String mirrorUuid)
        throws SQLException {
        t.update("UPDATE mirror_statuses SET up = 0 WHERE pool_id = ? AND namespace = ? AND global_id = ?"
            + " AND mirror_uuid = ?", poolId, namespace, globalId, mirrorUuid == null ? "" : mirrorUuid);
    }
}
